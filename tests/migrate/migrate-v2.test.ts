/**
 * `pgml migrate --from-v2` against a real PostgreSQL holding PostgresML 2.x's schema and models stored as 2.x's own
 * code stores them (v2-database.ts): python pickles, rust XGBoost (also with 2.0.0's 16-byte prefix), linfa
 * MessagePack models, lightgbm / catboost / linfa SVM, a hostile pickle. Needs DATABASE_URL (set by `npm test`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployedModel, PostgresML, predictBatch, predictProbaBatch, type Db } from '@pgml-ts/sdk';
import { compare, FLOAT32 } from '../../packages/sdk/src/migrate/compare.js';
import type { MigrationReport } from '../../packages/sdk/src/migrate/index.js';
import { closeRuntimes, migrate, modelReport, openDb, runtimes } from './helpers.js';
import { createDatabase, fingerprint } from './v1-database.js';
import { loadV2Database, makeV2Fixture, type V2Fixture, type V2FixtureModel } from './v2-database.js';

const DATABASE_URL = process.env.DATABASE_URL;

/** What each fixture model becomes: status and serving runtime (null: not migrated). */
const EXPECTED: Record<number, { status: string; runtime: 'python' | 'native' | null; stored?: string }> = {
  1: { status: 'migrated', runtime: 'python' },
  2: { status: 'migrated', runtime: 'native', stored: 'rust' },
  3: { status: 'migrated', runtime: 'native', stored: 'rust' },
  4: { status: 'migrated', runtime: 'native', stored: 'rust' },
  5: { status: 'unsupported', runtime: null },
  6: { status: 'migrated', runtime: 'python' },
  7: { status: 'migrated', runtime: 'native', stored: 'rust' },
  8: { status: 'unsupported', runtime: null },
  9: { status: 'unsupported', runtime: null },
  10: { status: 'unsupported', runtime: null },
  11: { status: 'refused', runtime: null },
  12: { status: 'migrated', runtime: 'native', stored: 'rust' },
  13: { status: 'migrated', runtime: 'native', stored: 'rust' },
  14: { status: 'migrated', runtime: 'python' },
};

/** 2.x fed its models float32 features (and linfa computed in float32): compared at float32's tolerance. */
const close = (actual: ArrayLike<number>, expected: ArrayLike<number>) => compare(actual, expected, FLOAT32).matches;

/** The raw snapshot rows (feature columns, table order) — 2.x's models saw them preprocessed; predict must do that. */
function featureRows(fixture: V2Fixture, model: V2FixtureModel): number[][] {
  const snapshot = fixture.snapshots.find((s) => s.id === model.snapshot_id)!;
  const relation = fixture.relations.find((r) => r.name === snapshot.relation)!;
  return relation.rows.map((row) =>
    relation.columns.flatMap(([name], i) => (snapshot.y.includes(name) ? [] : [Number(row[i])])),
  );
}

async function sdkPredictions(db: Db, fixture: V2Fixture, model: V2FixtureModel) {
  const reg = await runtimes();
  const rows = featureRows(fixture, model);
  const batch = await predictBatch(db, reg, model.id, rows);
  const predictions = Array.from(batch.predictions as ArrayLike<number>, Number);
  const proba = model.expected?.proba ? Array.from((await predictProbaBatch(db, reg, model.id, rows)).probabilities) : undefined;
  return { predictions, proba };
}

describe.skipIf(!DATABASE_URL)(`pgml migrate --from-v2${DATABASE_URL ? '' : ' (skipped: DATABASE_URL is not set)'}`, () => {
  const markerDir = mkdtempSync(join(tmpdir(), 'pgml-migrate-v2-marker-'));
  const cleanups: Array<() => Promise<void>> = [];
  let fixture: V2Fixture;
  beforeAll(async () => {
    fixture = await makeV2Fixture(markerDir);
  }, 120_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await closeRuntimes();
    rmSync(markerDir, { recursive: true, force: true });
  });

  async function v2Database(): Promise<string> {
    const db = await createDatabase(DATABASE_URL!, 'pgml_v2');
    cleanups.push(db.drop);
    await loadV2Database(db.url, fixture);
    return db.url;
  }

  it('opening a 2.x database stops with MIGRATION_REQUIRED naming the command, and creates nothing', async () => {
    const url = await v2Database();
    const before = await fingerprint(url, ['pgml', 'public']);
    const client = await PostgresML.connect(url);
    try {
      await expect(client.projects()).rejects.toMatchObject({ code: 'MIGRATION_REQUIRED', message: expect.stringMatching(/pgml migrate --from-v2/) });
      await expect(client.train('x', { task: 'regression', relationName: 'public.v2_houses', yColumnName: 'price' })).rejects.toMatchObject({
        code: 'MIGRATION_REQUIRED',
      });
    } finally {
      await client.close();
    }
    expect(await fingerprint(url, ['pgml', 'public'])).toEqual(before);
  });

  describe('in place, with --verify', () => {
    let url: string;
    let report: MigrationReport;
    let db: Db;
    beforeAll(async () => {
      url = await v2Database();
      const plan = await migrate(['--from-v2', '--from', url, '--allow-pickle', '--dry-run']);
      expect(plan.dryRun).toBe(true);
      report = await migrate(['--from-v2', '--from', url, '--allow-pickle', '--verify']);
      db = openDb(url);
      cleanups.push(() => db.close());
    }, 300_000);

    it('reports every model with the status and runtime it gets, and why the rest is not migrated', () => {
      expect(report.source.layout).toBe('postgresml-2');
      expect(report.target.renamedSchema).toBe('pgml_v2');
      for (const [id, expected] of Object.entries(EXPECTED)) {
        const row = modelReport(report, Number(id));
        expect({ id, status: row.status, runtime: row.runtimeAfter }).toEqual({ id, status: expected.status, runtime: expected.runtime });
      }
      expect(modelReport(report, 5).message).toMatch(/LightGBM/);
      expect(modelReport(report, 8).message).toMatch(/multi:softprob/);
      expect(modelReport(report, 9).message).toMatch(/SVM/);
      expect(modelReport(report, 10).message).toMatch(/CatBoost/);
      expect(modelReport(report, 11).message).toMatch(/refused global .*system/);
      expect(existsSync(fixture.marker)).toBe(false);
      for (const id of [1, 2, 3, 4, 6, 7, 12, 13, 14]) expect(modelReport(report, id).rowsCompared, `model ${id}`).toBeGreaterThan(0);
    });

    it('stores rust models as PostgresML did (runtime rust), keeps deployment strategies and the served models', async () => {
      const runtimesStored = await db.query<{ id: string; runtime: string }>('SELECT id, runtime FROM pgml.models ORDER BY id');
      for (const row of runtimesStored.rows) {
        const expected = EXPECTED[Number(row.id)]!;
        expect(row.runtime, `model ${row.id}`).toBe(expected.stored ?? expected.runtime);
      }
      const strategies = await db.query<{ strategy: string }>('SELECT strategy FROM pgml.deployments ORDER BY id');
      expect(strategies.rows.map((r) => r.strategy)).toEqual(['new_score', 'new_score', 'specific', 'new_score', 'most_recent', 'new_score', 'best_score']);
      const reg = await runtimes();
      for (const [project, live] of [['v2 houses', 3], ['v2 patients', 7], ['v2 flowers', 13]] as const) {
        expect((await deployedModel(db, reg, project)).modelId).toBe(live);
      }
      const sampling = await db.query<{ test_sampling: string }>('SELECT test_sampling FROM pgml.snapshots ORDER BY id');
      expect(sampling.rows.map((r) => r.test_sampling)).toEqual(['last', 'stratified', 'random']);
    });

    it('serves every migrated model from raw rows as 2.x predicted from its preprocessed rows', async () => {
      for (const model of fixture.models.filter((m) => EXPECTED[m.id]!.runtime !== null)) {
        const got = await sdkPredictions(db, fixture, model);
        expect(close(got.predictions, model.expected!.predictions), `model ${model.id} predictions`).toBe(true);
        if (model.expected!.proba) expect(close(got.proba!, model.expected!.proba), `model ${model.id} proba`).toBe(true);
      }
    });

    it('is idempotent: a second run finds everything migrated and writes nothing new', async () => {
      const before = await fingerprint(url, ['pgml', 'pgml_v2', 'public']);
      const again = await migrate(['--from-v2', '--from', url, '--allow-pickle']);
      for (const [id, expected] of Object.entries(EXPECTED)) {
        if (expected.runtime !== null) expect(modelReport(again, Number(id)).status, `model ${id}`).toBe('already_migrated');
      }
      expect(await fingerprint(url, ['pgml', 'pgml_v2', 'public'])).toEqual(before);
    });
  });

  it('into another database with --convert-native: the python linear model becomes native, the source is only read', async () => {
    const source = await v2Database();
    const target = await createDatabase(DATABASE_URL!, 'pgml_v2_target');
    cleanups.push(target.drop);
    const before = await fingerprint(source, ['pgml', 'public']);
    const report = await migrate(['--from-v2', '--from', source, '--to', target.url, '--allow-pickle', '--convert-native', '--verify']);
    expect(await fingerprint(source, ['pgml', 'public'])).toEqual(before);
    expect(modelReport(report, 1)).toMatchObject({ status: 'migrated', runtimeAfter: 'native', conversion: { status: 'converted' } });
    const db = openDb(target.url);
    try {
      const model = fixture.models.find((m) => m.id === 1)!;
      const got = await sdkPredictions(db, fixture, model);
      expect(close(got.predictions, model.expected!.predictions)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
