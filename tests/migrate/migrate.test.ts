/**
 * `pgml migrate` against real PostgreSQL 1.0 databases (both layouts), built at test time from models fitted by the
 * real scikit-learn / XGBoost. Needs DATABASE_URL (set by `npm test`); skipped visibly without it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployedModel, loadExplanation, predict, type Db } from '@pgml-ts/sdk';
import type { MigrationReport } from '../../packages/sdk/src/migrate/index.js';
import {
  closeRuntimes,
  closeTo,
  featureObjects,
  maxAbsDiff,
  migrate,
  modelReport,
  openDb,
  pgml,
  runtimes,
  sdkPredictions,
} from './helpers.js';
import { buildV1Database, createDatabase, fingerprint, makeFixture, type Layout, type V1Fixture } from './v1-database.js';

const DATABASE_URL = process.env.DATABASE_URL;
/** Models the fixture makes unloadable on purpose. */
const CORRUPT = 7;
const HOSTILE = 16;
/** Every fixture model the native runtime represents: all but the SVC (model 9), which stays python. */
const NATIVE_CONVERTIBLE = [1, 2, 3, 4, 5, 6, 8, 10, 11, 12, 13, 14, 15];

function liveModel(fixture: V1Fixture, projectId: number): number {
  return fixture.deployments.filter((d) => d.project_id === projectId).sort((a, b) => b.created_at - a.created_at)[0]!.model_id;
}

describe.skipIf(!DATABASE_URL)(`pgml migrate${DATABASE_URL ? '' : ' (skipped: DATABASE_URL is not set)'}`, () => {
  const markerDir = mkdtempSync(join(tmpdir(), 'pgml-migrate-marker-'));
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await closeRuntimes();
    rmSync(markerDir, { recursive: true, force: true });
  });

  it('refuses to load pickles without --allow-pickle, and says why', async () => {
    const result = await pgml(['migrate', '--from', 'postgres://u:secret@127.0.0.1:1/v1', '--json']);
    expect(result.code).toBe(1);
    const error = (JSON.parse(result.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/unpickling can execute arbitrary code/);
    expect(error.message).toMatch(/--allow-pickle/);
    expect(result.stderr).toMatch(/--allow-pickle/);
  });

  for (const layout of ['final', 'early'] as Layout[]) {
    describe(`the 1.0 ${layout} layout, into another database`, () => {
      let fixture: V1Fixture;
      let source: string;
      let target: string;
      let targetDb: Db;
      let sourceBefore: Record<string, string>;
      let report: MigrationReport;

      beforeAll(async () => {
        fixture = await makeFixture(layout, markerDir);
        const sourceDb = await createDatabase(DATABASE_URL!, `pgml_v1_${layout}`);
        const targetDbInfo = await createDatabase(DATABASE_URL!, `pgml_v2_${layout}`);
        cleanups.push(sourceDb.drop, targetDbInfo.drop);
        source = sourceDb.url;
        target = targetDbInfo.url;
        await buildV1Database(source, fixture);
        sourceBefore = await fingerprint(source, ['pgml', 'public']);
        targetDb = openDb(target);
        cleanups.push(() => targetDb.close());
      });

      it('--dry-run loads every model, reports the plan and writes nothing', async () => {
        const targetBefore = await fingerprint(target, ['pgml', 'public']);
        const plan = await migrate(['--from', source, '--to', target, '--allow-pickle', '--dry-run', '--convert-native']);
        expect(plan.dryRun).toBe(true);
        expect(plan.source).toMatchObject({ schema: 'pgml', layout, featureOrder: layout === 'early' ? 'sorted' : 'table' });
        expect(modelReport(plan, 1)).toMatchObject({ status: 'would_migrate', runtimeAfter: 'native', conversion: { status: 'would_convert' } });
        expect(modelReport(plan, 4)).toMatchObject({ status: 'would_migrate', runtimeAfter: 'native', conversion: { status: 'would_convert' } });
        expect(modelReport(plan, 9)).toMatchObject({ status: 'would_migrate', runtimeAfter: 'python', conversion: { status: 'not_convertible' } });
        expect(modelReport(plan, CORRUPT).status).toBe('corrupt');
        expect(modelReport(plan, HOSTILE)).toMatchObject({ status: 'refused', runtimeAfter: null, message: expect.stringContaining('system') });
        expect(await fingerprint(target, ['pgml', 'public'])).toEqual(targetBefore);
        expect(await fingerprint(source, ['pgml', 'public'])).toEqual(sourceBefore);
        expect(existsSync(fixture.marker)).toBe(false);
      });

      it('migrates with --verify: ids, deployed models and predictions kept; the hostile pickle refused and never run', async () => {
        report = await migrate(['--from', source, '--to', target, '--allow-pickle', '--verify']);
        expect(existsSync(fixture.marker), 'the hostile pickle ran').toBe(false);
        expect(report.target).toMatchObject({ inPlace: false, renamedSchema: null });
        expect(report.source.url).not.toMatch(/secret/);
        for (const model of fixture.models) {
          const row = modelReport(report, model.id);
          if (model.id === CORRUPT) expect(row).toMatchObject({ status: 'corrupt', runtimeAfter: null });
          else if (model.id === HOSTILE) expect(row).toMatchObject({ status: 'refused', runtimeAfter: null });
          else {
            expect(row, `model ${model.id} ${model.algorithm_name}`).toMatchObject({ status: 'migrated', runtimeAfter: 'python', maxDiff: 0 });
            expect(row.rowsCompared).toBe(model.expected!.predictions.length / (model.expected!.shape[1] ?? 1));
          }
        }
        // The source database is only read.
        expect(await fingerprint(source, ['pgml', 'public'])).toEqual(sourceBefore);
        // Every row kept its id; the deployed model of each project is the one 1.0 served.
        const ids = await targetDb.query<{ id: string }>('SELECT id FROM pgml.models ORDER BY id');
        expect(ids.rows.map((r) => Number(r.id))).toEqual(fixture.models.map((m) => m.id).filter((id) => id !== CORRUPT && id !== HOSTILE));
        const reg = await runtimes();
        for (const project of fixture.projects) {
          if (project.name === 'Hostile') {
            await expect(deployedModel(targetDb, reg, project.name)).rejects.toMatchObject({ code: 'NO_DEPLOYED_MODEL' });
            expect(report.projects.find((p) => p.id === project.id)!.notes.join(' ')).toMatch(/not migrated/);
            continue;
          }
          expect((await deployedModel(targetDb, reg, project.name)).modelId, project.name).toBe(liveModel(fixture, project.id));
        }
        const strategies = await targetDb.query<{ strategy: string }>('SELECT DISTINCT strategy FROM pgml.deployments ORDER BY 1');
        // 1.0's automatic deployments (new_score) keep their strategy: the schema records PostgresML's names.
        expect(strategies.rows.map((r) => r.strategy)).toEqual(['best_score', 'new_score']);
      });

      it('serves every migrated model through the SDK exactly as scikit-learn predicted', async () => {
        for (const model of fixture.models.filter((m) => m.expected)) {
          const got = await sdkPredictions(targetDb, fixture, model);
          expect(maxAbsDiff(got.predictions, model.expected!.predictions), `model ${model.id} ${model.algorithm_name}`).toBe(0);
          if (got.proba) expect(maxAbsDiff(got.proba, model.expected!.proba!), `model ${model.id} proba`).toBe(0);
        }
        // One row by column name, through the project's deployed model (Patients: SVC on raw labels 3/7).
        const svm = fixture.models.find((m) => m.id === 9)!;
        const first = featureObjects(fixture, svm)[0]!;
        expect(await predict(targetDb, await runtimes(), 'Patients', first)).toBe(svm.expected!.predictions[0]);
      });

      it("measured every migrated model's explanation at migration, on its snapshot's test split", async () => {
        for (const model of fixture.models.filter((m) => m.id !== CORRUPT && m.id !== HOSTILE)) {
          const { explanation, task } = await loadExplanation(targetDb, model.id);
          expect(explanation.task, `model ${model.id}`).toBe(task);
          expect(explanation.testRows, `model ${model.id}`).toBeGreaterThan(0);
          if (explanation.classification) {
            const total = explanation.classification.confusion.flat().reduce((a, b) => a + b, 0);
            expect(total, `model ${model.id} confusion matrix`).toBe(explanation.testRows);
          }
          expect(explanation.importances, `model ${model.id} importances`).not.toBeNull();
        }
      });

      it('re-running adds nothing and reports every model as already migrated', async () => {
        const before = await fingerprint(target, ['pgml']);
        const again = await migrate(['--from', source, '--to', target, '--allow-pickle']);
        for (const model of fixture.models) {
          const expected = model.id === CORRUPT ? 'corrupt' : model.id === HOSTILE ? 'refused' : 'already_migrated';
          expect(modelReport(again, model.id).status, `model ${model.id}`).toBe(expected);
        }
        expect(await fingerprint(target, ['pgml'])).toEqual(before);
      });

      it('--convert-native re-encodes linear models, trees, forests, boosting, xgboost and k-means from fitted parameters, exactly; the rest stays python', async () => {
        const converted = await migrate(['--from', source, '--to', target, '--allow-pickle', '--convert-native', '--verify']);
        for (const model of fixture.models.filter((m) => m.expected)) {
          const row = modelReport(converted, model.id);
          if (NATIVE_CONVERTIBLE.includes(model.id)) {
            expect(row, `model ${model.id}`).toMatchObject({ status: 'already_migrated', runtimeAfter: 'native', conversion: { status: 'converted' } });
            expect(row.conversion!.maxDiff!).toBeLessThanOrEqual(1e-6);
            expect(row.maxDiff!).toBeLessThanOrEqual(1e-6);
          } else {
            expect(row, `model ${model.id}`).toMatchObject({ runtimeAfter: 'python', conversion: { status: 'not_convertible' } });
          }
        }
        const runtimesAfter = await targetDb.query<{ id: string; runtime: string }>('SELECT id, runtime FROM pgml.models ORDER BY id');
        expect(runtimesAfter.rows.filter((r) => r.runtime === 'native').map((r) => Number(r.id))).toEqual(NATIVE_CONVERTIBLE);
        for (const model of fixture.models.filter((m) => NATIVE_CONVERTIBLE.includes(m.id))) {
          const got = await sdkPredictions(targetDb, fixture, model);
          expect(closeTo(got.predictions, model.expected!.predictions), `native model ${model.id}`).toBe(true);
          if (got.proba) expect(closeTo(got.proba, model.expected!.proba!), `native model ${model.id} proba`).toBe(true);
        }
        // A second conversion run finds nothing left to do.
        const again = await migrate(['--from', source, '--to', target, '--allow-pickle', '--convert-native']);
        expect(again.models.filter((m) => m.conversion?.status === 'converted')).toEqual([]);
        expect(await fingerprint(source, ['pgml', 'public'])).toEqual(sourceBefore);
      });
    });
  }

  describe('in place (one database): the 1.0 schema is renamed to pgml_v1 and kept', () => {
    let fixture: V1Fixture;
    let url: string;
    let v1Before: Record<string, string>;

    beforeAll(async () => {
      fixture = await makeFixture('final', markerDir);
      const database = await createDatabase(DATABASE_URL!, 'pgml_inplace');
      cleanups.push(database.drop);
      url = database.url;
      await buildV1Database(url, fixture);
      v1Before = await fingerprint(url, ['pgml', 'public']);
    });

    it('--dry-run renames nothing and writes nothing', async () => {
      const plan = await migrate(['--from', url, '--allow-pickle', '--dry-run', '--verify']);
      expect(plan.target).toMatchObject({ inPlace: true, renamedSchema: null });
      expect(plan.summary).toMatchObject({ models: 16, migrated: 14 });
      expect(await fingerprint(url, ['pgml', 'public'])).toEqual(v1Before);
    });

    it('migrates in place, serves the models, and keeps the 1.0 rows untouched in pgml_v1', async () => {
      const report = await migrate(['--from', url, '--allow-pickle', '--verify']);
      expect(report.target).toMatchObject({ inPlace: true, renamedSchema: 'pgml_v1' });
      expect(report.summary).toMatchObject({ models: 16, migrated: 14, notMigrated: 2 });
      const after = await fingerprint(url, ['pgml_v1', 'public']);
      const renamed = Object.fromEntries(Object.entries(v1Before).filter(([k]) => k !== 'schemas').map(([k, v]) => [k.replace(/^(sequence )?pgml\./, '$1pgml_v1.'), v]));
      expect(Object.fromEntries(Object.entries(after).filter(([k]) => k !== 'schemas'))).toEqual(renamed);
      const db = openDb(url);
      try {
        for (const model of fixture.models.filter((m) => m.expected)) {
          const got = await sdkPredictions(db, fixture, model);
          expect(maxAbsDiff(got.predictions, model.expected!.predictions), `model ${model.id}`).toBe(0);
        }
        const again = await migrate(['--from', url, '--allow-pickle']);
        expect(again.source.schema).toBe('pgml_v1');
        expect(again.summary).toMatchObject({ alreadyMigrated: 14, migrated: 0 });
        // Without --json: a Markdown table, one row per model.
        const human = await pgml(['migrate', '--from', url, '--allow-pickle']);
        expect(human.code).toBe(0);
        expect(human.stdout).toContain('| model id | project | algorithm | status | runtime after | max diff | note |');
        expect(human.stdout).toMatch(/\| 16 \| Hostile \| linear \| refused \| — \| — \| refused global posix\.system/);
      } finally {
        await db.close();
      }
    });

    it('`pgml predict --project` serves a migrated 1.0 model from Node', async () => {
      const flowers = fixture.models.find((m) => m.id === 13)!;
      const row = featureObjects(fixture, flowers)[0]!;
      const result = await pgml(['predict', '--project', 'Flowers', '--features', JSON.stringify(row), '--database-url', url, '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ prediction: flowers.expected!.predictions[0] });
    });
  });

  it('reports a missing 1.0 schema as a user error, with the password masked', async () => {
    const empty = await createDatabase(DATABASE_URL!, 'pgml_empty');
    cleanups.push(empty.drop);
    const withPassword = empty.url.replace('postgres@', 'postgres:hunter2@');
    const result = await pgml(['migrate', '--from', withPassword, '--allow-pickle', '--json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/no PostgresML 1.0 schema/);
    expect(result.stdout + result.stderr).not.toMatch(/hunter2/);
  });
});
