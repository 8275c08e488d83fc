// The ML commands of the `pgml` CLI as a user runs them (a spawned node process), on the embedded database and on
// PostgreSQL: --json gives exactly one JSON object on stdout, exit codes are 0 / 1, bad flags name the flag.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { BUILT, ENGINES, fails, json, ok, run, type Engine } from './cli-engines.js';

const SETOSA = '[5.1, 3.5, 1.4, 0.2]';

function cliSuite(name: string, setup: () => Promise<{ engine: Engine; dispose: () => Promise<void> }>, skip = false): void {
  describe.skipIf(!BUILT || skip)(`pgml train / predict / deploy [${name}]`, () => {
    let engine: Engine;
    let dispose: () => Promise<void>;
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      ({ engine, dispose } = await setup());
      expect(ok(engine, ['load-dataset', 'iris'])).toMatchObject({ rows: 150 });
      expect(ok(engine, ['load-dataset', 'linnerud'])).toMatchObject({ rows: 20 });
    });
    afterAll(() => dispose());

    it('trains with every flag, as train() returns it', () => {
      const linear = ok(engine, ['train', '--project', 'iris', '--task', 'classification', '--relation', 'pgml.iris', '--y', 'target',
        '--algorithm', 'linear', '--runtime', 'native', '--test-size', '0.2', '--test-sampling', 'stratified',
        '--hyperparams', '{"C": 2}', '--preprocess', '{"sepal_length": {"scale": "standard"}}', '--materialize-snapshot']);
      expect(linear).toMatchObject({ project: 'iris', task: 'classification', algorithm: 'linear', runtime: 'native', deployed: true });
      expect(linear.hyperparams.C).toBe(2);
      expect(Object.keys(linear.metrics)).toEqual(expect.arrayContaining(['f1', 'accuracy', 'fit_time', 'score_time']));
      const svm = ok(engine, ['train', '--project', 'iris', '--algorithm', 'svm', '--runtime', 'python', '--no-deploy',
        '--search', 'grid', '--search-params', '{"C": [0.1, 1]}', '--search-args', '{"cv": 2}']);
      expect(svm).toMatchObject({ algorithm: 'svm', runtime: 'python', deployed: false, snapshotId: linear.snapshotId });
      Object.assign(ids, { linear: linear.modelId, svm: svm.modelId });
      // Human output: a summary line and a small metrics table.
      const human = run(engine, ['train', '--project', 'iris', '--algorithm', 'ridge', '--no-deploy']);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/^trained "iris": classification ridge on the (native|python) runtime — model \d+, not deployed \(--no-deploy\)\nhyperparameters: \{\}\n\nmetric/);
      expect(human.stdout).toMatch(/\naccuracy +0\.\d{4}\n/);
      expect(human.stderr).toBe(''); // not a TTY: no progress
    });

    it('trains a joint regression from --y COL,COL', () => {
      const joint = ok(engine, ['train', '--project', 'linnerud', '--task', 'regression', '--relation', 'pgml.linnerud',
        '--y', 'weight,waist,pulse']);
      expect(joint).toMatchObject({ task: 'regression', deployed: true });
      expect(ok(engine, ['predict', '--project', 'linnerud', '--features', '[5, 162, 60]']).prediction).toHaveLength(3);
      const batch = ok(engine, ['predict', '--project', 'linnerud', '--relation', 'pgml.linnerud', '--limit', '2']);
      expect(batch.predictions).toHaveLength(2);
      expect(batch.predictions[0]).toHaveLength(3);
    });

    it('predicts one row, its probabilities, and a relation in one batch', () => {
      expect(ok(engine, ['predict', '--project', 'iris', '--features', SETOSA])).toEqual({ prediction: 0 });
      const byName = '{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}';
      const proba = ok(engine, ['predict', '--project', 'iris', '--features', byName, '--proba']);
      expect(proba.labels).toEqual([0, 1, 2]);
      expect(proba.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 10);
      const batch = ok(engine, ['predict', '--project', 'iris', '--relation', 'pgml.iris', '--limit', '10']);
      expect(batch.predictions).toHaveLength(10);
      expect(batch.predictions[0]).toBe(0);
      expect(ok(engine, ['predict', '--project', 'iris', '--relation', 'pgml.iris']).predictions).toHaveLength(150);
      const probas = ok(engine, ['predict', '--project', 'iris', '--relation', 'pgml.iris', '--limit', '3', '--proba']);
      expect(probas.probabilities).toHaveLength(3);
      expect(probas.probabilities[0]).toHaveLength(3);
      // A model by id, deployed or not.
      expect([0, 1, 2]).toContain(ok(engine, ['predict', '--model', String(ids.svm), '--features', SETOSA]).prediction);
      expect(run(engine, ['predict', '--project', 'iris', '--features', SETOSA]).stdout).toBe('0\n');
    });

    it('deploys, and lists models and projects', () => {
      expect(ok(engine, ['deploy', '--project', 'iris', '--strategy', 'most_recent', '--algorithm', 'svm'])).toMatchObject({
        project: 'iris', strategy: 'most_recent', algorithm: 'svm', modelId: ids.svm,
      });
      expect(ok(engine, ['deploy', '--project', 'iris', '--strategy', 'rollback']).modelId).toBe(ids.linear);
      expect(ok(engine, ['deploy', '--project', 'iris']).strategy).toBe('best_score');
      const { models } = ok(engine, ['models', '--project', 'iris']);
      expect(models.map((m: { algorithm: string }) => m.algorithm)).toEqual(['linear', 'svm', 'ridge']);
      expect(models.filter((m: { deployed: boolean }) => m.deployed)).toHaveLength(1);
      expect(ok(engine, ['models']).models).toHaveLength(4);
      const { projects } = ok(engine, ['projects']);
      expect(projects.map((p: { name: string }) => p.name)).toEqual(['iris', 'linnerud']);
      expect(projects[0]).toMatchObject({ task: 'classification', models: 3 });
      const table = run(engine, ['models', '--project', 'iris']);
      expect(table.stdout).toMatch(/^id +project +algorithm +runtime +hyperparams +metric +score +deployed +created\n/);
      expect(run(engine, ['projects']).stdout).toMatch(/\niris +classification +3 +\d+\n/);
    });

    it('bad flags and bad input exit 1 with a typed error naming the problem', () => {
      fails(engine, ['train', '--project', 'iris', '--hyperparams', '{"C": '], 'INVALID_ARGUMENT', /--hyperparams is not valid JSON/);
      fails(engine, ['train', '--project', 'iris', '--search-params', '[1]'], 'INVALID_ARGUMENT', /--search-params must be a JSON object/);
      fails(engine, ['train', '--project', 'iris', '--test-size', 'a quarter'], 'INVALID_ARGUMENT', /--test-size must be a number/);
      fails(engine, ['train', '--project', 'iris', '--search', 'bayes'], 'INVALID_ARGUMENT', /--search must be one of grid, random/);
      fails(engine, ['train', '--task', 'regression'], 'INVALID_ARGUMENT', /--project P is required/);
      fails(engine, ['train', '--project', 'iris', '--epochs', '3'], 'INVALID_ARGUMENT', /Unknown option '--epochs'/);
      fails(engine, ['train', '--project', 'iris', '--algorithm', 'lightgbm'], 'ALGORITHM_UNAVAILABLE', /lightgbm/);
      fails(engine, ['train', '--project', 'new', '--task', 'classification', '--relation', 'pgml.nope', '--y', 'target'],
        'UNKNOWN_RELATION', /pgml\.nope/);
      fails(engine, ['predict', '--project', 'iris', '--features', '[1, 2'], 'INVALID_ARGUMENT', /--features is not valid JSON/);
      fails(engine, ['predict', '--project', 'iris', '--features', '[1, 2]'], 'DIMENSION_MISMATCH', /expected 4, got 2/);
      fails(engine, ['predict', '--project', 'nope', '--features', SETOSA], 'UNKNOWN_PROJECT', /nope/);
      fails(engine, ['predict', '--project', 'iris'], 'INVALID_ARGUMENT', /--features JSON .* or --relation R/);
      fails(engine, ['predict', '--project', 'iris', '--relation', 'pgml.iris; DROP TABLE pgml.iris'], 'UNKNOWN_RELATION', /DROP/);
      fails(engine, ['predict', '--project', 'iris', '--relation', 'pgml.linnerud'], 'UNKNOWN_COLUMN', /sepal_length/);
      fails(engine, ['deploy', '--project', 'iris', '--strategy', 'newest'], 'INVALID_ARGUMENT', /--strategy must be one of/);
      // The table survived the injection attempt.
      expect(ok(engine, ['predict', '--project', 'iris', '--relation', 'pgml.iris']).predictions).toHaveLength(150);
    });

    it("PostgresML 2.x's commands: snapshot, deploy --model, deployments, decompose, load-dataset --limit, --runtime rust", () => {
      expect(ok(engine, ['load-dataset', 'digits', '--limit', '200'])).toMatchObject({ rows: 200 });
      const snapshot = ok(engine, ['snapshot', '--relation', 'pgml.iris', '--y', 'target', '--test-size', '0.2']);
      expect(snapshot).toMatchObject({ testSampling: 'stratified', materialized: true, rows: 150, testRows: 30 });
      const rust = ok(engine, ['train', '--project', 'iris', '--algorithm', 'linear', '--runtime', 'rust', '--no-deploy']);
      expect(rust).toMatchObject({ runtime: 'rust', deployed: false });
      expect(ok(engine, ['deploy', '--model', String(rust.modelId)])).toMatchObject({ strategy: 'specific', modelId: rust.modelId });
      const { deployments } = ok(engine, ['deployments', '--project', 'iris']);
      expect(deployments.at(-1)).toMatchObject({ modelId: rust.modelId, strategy: 'specific', live: true });
      expect(deployments[0]).toMatchObject({ strategy: 'new_score' });
      const pca = ok(engine, ['train', '--project', 'digits pca', '--task', 'decomposition', '--relation', 'pgml.digits', '--y', 'target',
        '--hyperparams', '{"n_components": 3}']);
      expect(pca).toMatchObject({ algorithm: 'pca', deployed: true });
      expect(ok(engine, ['decompose', '--project', 'digits pca', '--features', JSON.stringify(Array(64).fill(1))]).components).toHaveLength(3);
      fails(engine, ['deploy', '--model', String(rust.modelId), '--strategy', 'best_score'], 'INVALID_ARGUMENT', /--model ID deploys that model/);
      fails(engine, ['deploy', '--model', '999999'], 'INVALID_ARGUMENT', /model 999999 does not exist/);
      fails(engine, ['decompose', '--project', 'iris', '--features', SETOSA], 'INVALID_ARGUMENT', /decompose needs a decomposition model/);
      fails(engine, ['load-dataset', 'iris', '--limit=-1'], 'INVALID_ARGUMENT', /--limit must be an integer/);
    });
  });
}

for (const { name, skip, setup } of ENGINES) cliSuite(name, setup, skip);

describe.skipIf(!BUILT)('pgml runtimes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgml-runtimes-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports task × algorithm → runtime and why, from PGML_PARITY_FILE, opening no database', () => {
    const parity = join(dir, 'parity.json');
    writeFileSync(parity, JSON.stringify({ version: 1, entries: [{ task: 'classification', algorithm: 'linear', choice: 'python', why: 'slower' }] }));
    // An unreachable database proves nothing is opened.
    const env = { PGML_PARITY_FILE: parity, DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/x' };
    const result = run({ args: [], env }, ['runtimes', '--task', 'classification', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = json(result.stdout);
    expect(report.parity).toEqual({ source: parity, entries: 1 });
    expect(report.native).toEqual({ available: true });
    expect(report.algorithms.every((a: { task: string }) => a.task === 'classification')).toBe(true);
    const find = (algorithm: string) => report.algorithms.find((a: { algorithm: string }) => a.algorithm === algorithm);
    expect(find('linear')).toMatchObject({ runtime: 'python', reason: 'parity table: python — slower', implementedBy: ['native', 'python'] });
    expect(find('logistic')).toMatchObject({ runtime: 'native' });
    expect(find('catboost')).toMatchObject({ runtime: null });
    const human = run({ args: [], env }, ['runtimes']);
    expect(human.stdout).toMatch(/^native runtime: available\npython runtime: .*\nparity table: +.*parity\.json \(1 entries\)\n\ntask +algorithm +auto picks +implemented by +why\n/);
    expect(human.stdout).toMatch(/\nregression +linear +native +native, python +no parity data/);
    const bad = run({ args: [], env: { PGML_PARITY_FILE: join(dir, 'missing.json') } }, ['runtimes', '--json']);
    expect(bad.code).toBe(1);
    expect(json(bad.stdout).error.code).toBe('INVALID_ARGUMENT');
    expect(run({ args: [], env: {} }, ['runtimes', '--task', 'ranking']).code).toBe(1);
  });
});

describe('progress', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgml-progress-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs main() in-process with a terminal (or not) on stderr. */
  async function mainWith(args: string[], tty: boolean) {
    const stdout = new PassThrough();
    const stderr = Object.assign(new PassThrough(), { isTTY: tty });
    const out: string[] = [];
    const err: string[] = [];
    stdout.on('data', (c: Buffer) => out.push(c.toString()));
    stderr.on('data', (c: Buffer) => err.push(c.toString()));
    const code = await main(args, { stdout, stderr });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it('shows snapshot, rows read, search folds, fit, score and store on a terminal\'s stderr only, and never with --quiet', async () => {
    const saved = { ...process.env };
    process.env.PGML_DATA_DIR = dir;
    delete process.env.DATABASE_URL;
    try {
      expect((await mainWith(['load-dataset', 'iris'], false)).code).toBe(0);
      const args = ['train', '--project', 'p', '--task', 'classification', '--relation', 'pgml.iris', '--y', 'target',
        '--algorithm', 'svm', '--runtime', 'python', '--search', 'grid', '--search-params', '{"C": [0.5, 1]}', '--search-args', '{"cv": 3}', '--json'];
      const tty = await mainWith(args, true);
      expect(tty.code, tty.stderr).toBe(0);
      expect(json(tty.stdout)).toMatchObject({ project: 'p', deployed: true });
      for (const step of ['snapshot of pgml.iris…', 'reading 150', 'preprocessing…', 'search: 2 candidates × 3 folds', 'cross-validation folds 6/6', 'fitting…', 'scoring on the test split…', 'storing the model…']) {
        expect(tty.stderr).toContain(step);
      }
      expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true); // the status line is erased before the result
      expect((await mainWith(args, false)).stderr).toBe('');
      expect((await mainWith([...args, '--quiet'], true)).stderr).toBe('');
    } finally {
      process.env = saved;
    }
  });
});
