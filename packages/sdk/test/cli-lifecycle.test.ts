// The CLI as a TypeScript developer's user meets it, on both databases: errors name flags (not SDK option names),
// train prints the winning hyperparameters and `models` shows each model's, unknown projects are refused alike, the
// algorithm catalogue, and a model's lifecycle — delete, export to a file, import into another database.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, ENGINES, fails, json, ok, run, withDb, type Engine } from './cli-engines.js';

/** The engine a model moves to: PostgreSQL from the embedded database (when there is one), else a fresh embedded one. */
async function otherEngine(from: string) {
  const postgres = ENGINES[1]!;
  return from === 'pglite' && !postgres.skip ? postgres.setup() : ENGINES[0]!.setup();
}

const IRIS = ['--project', 'iris', '--task', 'classification', '--relation', 'pgml.iris', '--y', 'target'];

for (const { name, skip, setup } of ENGINES) {
  // Each test spawns the CLI a dozen times; on a busy machine an embedded-database run takes seconds.
  describe.skipIf(!BUILT || skip)(`pgml errors, results and lifecycle [${name}]`, { timeout: 240_000 }, () => {
    let engine: Engine;
    let dispose: () => Promise<void>;
    let files: string;
    const after: Array<() => Promise<void>> = [];
    beforeAll(async () => {
      ({ engine, dispose } = await setup());
      files = mkdtempSync(join(tmpdir(), 'pgml-export-'));
      ok(engine, ['load-dataset', 'iris']);
      ok(engine, ['load-dataset', 'diabetes']);
      ok(engine, ['train', ...IRIS, '--algorithm', 'linear', '--runtime', 'native']);
    });
    afterAll(async () => {
      for (const close of after) await close();
      rmSync(files, { recursive: true, force: true });
      await dispose();
    });

    it('errors speak in flags', async () => {
      fails(engine, ['train', '--project', 'iris', '--test-size', '0.5'], 'INVALID_ARGUMENT',
        /--test-size applies only when a new snapshot is taken: pass --relation and --y with it/);
      fails(engine, ['train', '--project', 'iris', '--y', 'target'], 'INVALID_ARGUMENT', /--y applies only when a new snapshot is taken: pass --relation with it/);
      fails(engine, ['train', '--project', 'iris', '--search-params', '{"C": [1, 2]}'], 'INVALID_ARGUMENT',
        /--search-params only apply to a hyperparameter search: add --search \(grid or random\)/);
      fails(engine, ['train', '--project', 'new', '--relation', 'pgml.iris', '--y', 'target'], 'INVALID_ARGUMENT', /does not exist: pass --task to create it/);
      fails(engine, ['train', '--project', 'iris', '--task', 'regression'], 'INVALID_ARGUMENT', /already exists with --task classification, not regression/);
      fails(engine, ['train', '--project', 'r', '--task', 'regression', '--relation', 'pgml.iris', '--test-size', '0'], 'INVALID_ARGUMENT',
        /--test-size must be a fraction/);
      ok(engine, ['train', '--project', 'diabetes', '--task', 'regression', '--relation', 'pgml.diabetes', '--y', 'target', '--runtime', 'native']);
      fails(engine, ['predict', '--project', 'diabetes', '--features', '[0,0,0,0,0,0,0,0,0,0]', '--proba'], 'INVALID_ARGUMENT',
        /--proba needs a classification model with probabilities/);
      fails(engine, ['train', '--project', 'dia classes', '--task', 'classification', '--relation', 'pgml.diabetes', '--y', 'target'], 'DATA_ERROR',
        /214 distinct values in 442 rows .*train it with --task regression/);
      fails(engine, ['train', '--project', 'iris', '--algorithm', 'random_forst'], 'INVALID_ARGUMENT',
        /unknown algorithm "random_forst" for classification; did you mean "random_forest"\? \(pgml algorithms --task classification lists every classification algorithm\)/);
      await withDb(engine, (db) => db.query('CREATE TABLE "MixedCase" AS SELECT * FROM pgml.iris'));
      fails(engine, ['train', '--project', 'x', '--task', 'classification', '--relation', 'MixedCase', '--y', 'target'], 'UNKNOWN_RELATION',
        /relation "MixedCase" does not exist; did you mean "MixedCase"\? .* '"MixedCase"'/);
      expect(ok(engine, ['train', '--project', 'x', '--task', 'classification', '--relation', '"MixedCase"', '--y', 'target', '--runtime', 'native'])).toMatchObject({ deployed: true });
    });

    it('models --project of an unknown project is refused like predict and deploy', () => {
      for (const command of [['models'], ['deploy'], ['predict', '--features', '[1]']]) {
        fails(engine, [...command, '--project', 'nosuch'], 'UNKNOWN_PROJECT', /project "nosuch" does not exist/);
      }
    });

    it('train prints the winning hyperparameters, and models shows every model\'s', () => {
      const human = run(engine, ['train', '--project', 'iris', '--algorithm', 'svm', '--runtime', 'python', '--no-deploy', '--search', 'grid',
        '--search-params', '{"C": [0.01, 10]}', '--search-args', '{"cv": 3}']);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/\nhyperparameters: \{"C":10\} — best of 2 candidates by 3-fold cross-validation \(mean f1 0\.\d{4}\)\n/);
      const searched = ok(engine, ['train', '--project', 'iris', '--algorithm', 'svm', '--runtime', 'python', '--no-deploy', '--hyperparams', '{"C": 0.5}']);
      expect(searched).toMatchObject({ hyperparams: { C: 0.5 }, searchResults: null });
      const table = run(engine, ['models', '--project', 'iris']).stdout;
      expect(table).toMatch(/\n *\d+ +iris +svm +python +\{"C":10\} +f1 /);
      expect(table).toMatch(/\n *\d+ +iris +svm +python +\{"C":0\.5\} +f1 /);
      expect(table).toMatch(/\n *\d+ +iris +linear +native +\{\} +f1 +0\.\d{4} +yes +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/);
      const { models } = ok(engine, ['models', '--project', 'iris']);
      const svm = models.find((m: { hyperparams: { C?: number } }) => m.hyperparams.C === 10);
      expect(svm).toMatchObject({ search: 'grid', searchResults: { n_splits: 3 } });
      expect(svm.metrics.search_results).toBeUndefined();
      expect(new Date(svm.createdAt).toISOString()).toBe(svm.createdAt);
    });

    it('algorithms: the catalogue, one algorithm\'s hyperparameters, typos suggested (no database opened)', () => {
      const dead = { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' };
      const { algorithms } = ok({ args: [], env: dead }, ['algorithms', '--task', 'clustering']);
      expect(algorithms.map((a: { algorithm: string }) => a.algorithm)).toEqual(expect.arrayContaining(['kmeans', 'agglomerative', 'dbscan']));
      expect(algorithms.every((a: { task: string }) => a.task === 'clustering')).toBe(true);
      const overview = run({ args: [], env: dead }, ['algorithms']);
      expect(overview.stdout).toMatch(/^task +algorithm +native +python +auto trains with\n/);
      expect(overview.stdout).toMatch(/\nregression +lightgbm +– \(LightGBM is not installed/);
      const ridge = run({ args: [], env: dead }, ['algorithms', '--task', 'regression', '--algorithm', 'ridge']);
      expect(ridge.stdout).toMatch(/^regression ridge — auto trains with (native|python)\n\nnative runtime: Ridge \(multi-target\)\nhyperparameter +default +accepts\n/);
      expect(ridge.stdout).toMatch(/\nalpha +1 +a number >= 0\n/);
      expect(ridge.stdout).toMatch(/\npython runtime: sklearn\.linear_model\.Ridge \(multi-target\)\n/);
      fails({ args: [], env: dead }, ['algorithms', '--algorithm', 'random_forst'], 'INVALID_ARGUMENT', /did you mean "random_forest"\? \(pgml algorithms lists them\)/);
    });

    it('delete: a model, refusing the deployed one without --force, then the whole project with its snapshot tables', () => {
      const extra = ok(engine, ['train', ...IRIS, '--algorithm', 'linear', '--runtime', 'native', '--materialize-snapshot', '--no-deploy']);
      const deployed = ok(engine, ['models', '--project', 'iris']).models.find((m: { deployed: boolean }) => m.deployed).id;
      fails(engine, ['delete', '--model', String(deployed)], 'CONFLICT', /is the deployed model of project "iris": deploy another model first, or pass --force/);
      const one = ok(engine, ['delete', '--model', String(extra.modelId)]);
      expect(one).toEqual({ project: 'iris', projectDeleted: false, models: [extra.modelId], snapshots: [extra.snapshotId], tables: [`pgml.snapshot_${extra.snapshotId}`] });
      expect(ok(engine, ['models', '--project', 'iris']).models.some((m: { id: number }) => m.id === extra.modelId)).toBe(false);
      fails(engine, ['delete', '--model', String(extra.modelId)], 'INVALID_ARGUMENT', /model \d+ does not exist/);
      fails(engine, ['delete', '--project', 'diabetes'], 'CONFLICT', /has a deployed model .* pass --force to delete the project with it/);
      const project = ok(engine, ['delete', '--project', 'diabetes', '--force']);
      expect(project).toMatchObject({ project: 'diabetes', projectDeleted: true, models: [expect.any(Number)] });
      fails(engine, ['models', '--project', 'diabetes'], 'UNKNOWN_PROJECT', /diabetes/);
      expect(run(engine, ['delete', '--project', 'diabetes', '--force']).code).toBe(1);
    });

    it('export writes a model file that import stores in another database, predicting the same', async () => {
      const file = join(files, `iris-${name}.pgmlts`);
      const exported = ok(engine, ['export', '--project', 'iris', '--out', file]);
      expect(exported).toMatchObject({ file, project: 'iris', task: 'classification', algorithm: 'linear', runtime: 'native' });
      expect(existsSync(file)).toBe(true);
      fails(engine, ['export', '--project', 'iris', '--out', file], 'INVALID_ARGUMENT', /it exists/);
      // Into the other engine: trained on the embedded database, served from PostgreSQL, and the other way round.
      const { engine: other, dispose: disposeOther } = await otherEngine(name);
      after.push(disposeOther);
      const imported = ok(other, ['import', file]);
      expect(imported).toMatchObject({ project: 'iris', task: 'classification', deployed: true, createdProject: true });
      const setosa = '[5.1, 3.5, 1.4, 0.2]';
      expect(ok(other, ['predict', '--project', 'iris', '--features', setosa, '--proba'])).toEqual(
        ok(engine, ['predict', '--project', 'iris', '--features', setosa, '--proba']),
      );
      const again = ok(other, ['import', file, '--project', 'iris copy', '--no-deploy']);
      expect(again).toMatchObject({ project: 'iris copy', deployed: false, createdProject: true });
      fails(other, ['import', join(files, 'missing.pgmlts')], 'INVALID_ARGUMENT', /cannot read .*no such file/);
      const models = ok(other, ['models', '--project', 'iris']).models;
      expect(models).toEqual([expect.objectContaining({ algorithm: 'linear', runtime: 'native', snapshotId: null, deployed: true })]);
    });
  });
}

describe.skipIf(!BUILT)('pgml import refuses damaged files, writing nothing', () => {
  it('checksum and format are checked before anything is written', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'pgml-import-'));
    try {
      const home: Engine = { args: [], env: { PGML_DATA_DIR: join(dir, 'home') } };
      const away: Engine = { args: [], env: { PGML_DATA_DIR: join(dir, 'away') } };
      ok(home, ['load-dataset', 'iris']);
      ok(home, ['train', ...IRIS, '--runtime', 'native']);
      const file = join(dir, 'iris.pgmlts');
      ok(home, ['export', '--project', 'iris', '--out', file]);
      const bytes = readFileSync(file);
      const damaged = Buffer.from(bytes);
      damaged[damaged.length - 10]! ^= 0xff;
      writeFileSync(join(dir, 'damaged.pgmlts'), damaged);
      fails(away, ['import', join(dir, 'damaged.pgmlts')], 'CORRUPT_MODEL', /checksum mismatch/);
      writeFileSync(join(dir, 'text.pgmlts'), 'hello');
      fails(away, ['import', join(dir, 'text.pgmlts')], 'CORRUPT_MODEL', /missing PGMLTS magic/);
      expect(json(run(away, ['projects', '--json']).stdout).projects).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
