/**
 * PostgreSQL killed (`pg_ctl stop -m immediate`) in the middle of train and of migrate, on a server of this test's
 * own (not the shared DATABASE_URL one), then restarted on the same port: the caller gets a typed error with the
 * password masked, nothing of the interrupted transaction is left, and re-running completes — with the same
 * client for train, and without duplicates for migrate.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPgDb, ensureSchema, PgmlError, PostgresML } from '@pgml-ts/sdk';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres-server.mjs';
import { migrateV1, type MigrationReport } from '../../packages/sdk/src/migrate/index.js';
import { buildV1Database, createDatabase, makeFixture } from '../migrate/v1-database.js';
import { crashAndRestart, stallInserts, unstall, withPassword } from './crash.js';
import { createRegressionTable, projectRows } from './helpers.js';
import { DATABASE_URL, figures } from './profile.js';

const PASSWORD = 'hunter2-crash-secret';

/** The error and everything it carries, as one string to search for the password. */
function everything(error: unknown): string {
  const e = error as Error & { details?: unknown; cause?: unknown };
  return [String(e?.message), String(e?.stack), JSON.stringify(e?.details ?? null), JSON.stringify(e), String(e?.cause)].join('\n');
}

describe.skipIf(!DATABASE_URL)('PostgreSQL crashes mid-train and mid-migrate', () => {
  let server: PostgresServer;
  let url: string;
  let injected = 0;
  let survived = 0;
  beforeAll(async () => {
    server = await startPostgres({ log: () => undefined });
    url = withPassword(server.url, PASSWORD);
  });
  afterAll(() => {
    figures('crash', { injected, survived });
    server?.stop();
  });

  it('train: typed error, no partial project/snapshot/model/file/deployment, the same client trains after restart', async () => {
    const pgml = await PostgresML.connect(url);
    try {
      await ensureSchema(pgml.db);
      const table = await createRegressionTable(server.url, 'crash_train');
      const train = (project: string) =>
        pgml.train(project, { task: 'regression', relationName: table, yColumnName: 'y', algorithm: 'linear', runtime: 'native' });
      const existing = 'crash existing project';
      await train(existing);
      // New project: stopped at each insert of the transaction. Existing project: stopped at its new model's file.
      const points: Array<[string, string]> = [
        ['projects', 'crash new project 1'],
        ['snapshots', 'crash new project 2'],
        ['models', 'crash new project 3'],
        ['files', 'crash new project 4'],
        ['deployments', 'crash new project 5'],
        ['files', existing],
      ];
      for (const [tableName, project] of points) {
        const before = await projectRows(server.url, project);
        const snapshotsBefore = await count(server.url, 'pgml.snapshots');
        const stall = await stallInserts(server.url, tableName);
        const running = train(project).then(
          () => undefined,
          (error: unknown) => error,
        );
        await stall.stuck();
        injected++;
        crashAndRestart(server);
        const error = await running;
        expect(error, `train stopped at pgml.${tableName}`).toBeInstanceOf(PgmlError);
        expect((error as PgmlError).code).toBe('DATABASE_ERROR');
        expect(everything(error)).not.toContain(PASSWORD);
        await unstall(server.url, tableName);
        const after = await projectRows(server.url, project);
        expect(after, `rows of ${project} after the crash at pgml.${tableName}`).toEqual(before);
        expect(await count(server.url, 'pgml.snapshots')).toBe(snapshotsBefore);
        // The same client, whose pooled connections all died, trains again.
        const result = await train(project);
        expect(result.modelId).toBeGreaterThan(0);
        const rows = await projectRows(server.url, project);
        expect(rows.problems).toEqual([]);
        expect(rows).toMatchObject({ projects: 1, models: before.models + 1, files: before.files + 1 });
        survived++;
      }
    } finally {
      await pgml.close();
    }
  });

  it('migrate: stopped inside the second project, re-run resumes without duplicates', async () => {
    const markerDir = mkdtempSync(join(tmpdir(), 'pgml-crash-marker-'));
    try {
      const fixture = await makeFixture('final', markerDir);
      const source = await createDatabase(server.url, 'crash_v1');
      const target = await createDatabase(server.url, 'crash_v2');
      await buildV1Database(source.url, fixture);
      const targetDb = createPgDb(target.url, { max: 1 });
      await ensureSchema(targetDb);
      await targetDb.close();
      const second = fixture.projects[1]!.id;
      const stall = await stallInserts(target.url, 'models', `NEW.project_id = ${second}`);
      const options = { from: withPassword(source.url, PASSWORD), to: withPassword(target.url, PASSWORD), allowPickle: true };
      const running: Promise<MigrationReport | Error> = migrateV1(options).then(
        (report) => report,
        (error: unknown) => error as Error,
      );
      await stall.stuck();
      injected++;
      crashAndRestart(server);
      const outcome = await running;
      expect(everything(outcome)).not.toContain(PASSWORD);
      if (outcome instanceof Error) {
        expect(outcome).toBeInstanceOf(PgmlError);
        expect((outcome as PgmlError).code).toBe('DATABASE_ERROR');
      } else {
        expect(outcome.projects.find((p) => p.id === second)?.status).toBe('failed');
      }
      await unstall(target.url, 'models');
      // Projects before the stalled one committed whole; nothing of the stalled one is there.
      const afterCrash = await modelsByProject(target.url);
      expect(afterCrash.has(second)).toBe(false);
      expect(await scalar(target.url, `SELECT count(*) AS n FROM pgml.projects WHERE id = ${second}`)).toBe(0);
      expect(await scalar(target.url, `SELECT count(*) AS n FROM pgml.deployments WHERE project_id = ${second}`)).toBe(0);
      expect(await scalar(target.url, `SELECT count(*) AS n FROM pgml.files f WHERE NOT EXISTS (SELECT 1 FROM pgml.models m WHERE m.id = f.model_id)`)).toBe(0);

      const rerun = await migrateV1(options);
      expect(JSON.stringify(rerun)).not.toContain(PASSWORD);
      const committed = [...afterCrash.values()].flat();
      for (const m of rerun.models) {
        if (committed.includes(m.modelId)) expect(m.status, `model ${m.modelId}`).toBe('already_migrated');
        else expect(['migrated', 'refused', 'corrupt'], `model ${m.modelId}: ${m.message}`).toContain(m.status);
      }
      const after = await modelsByProject(target.url);
      // A project that had committed gained nothing; the stalled one is now complete.
      for (const [project, ids] of afterCrash) expect(after.get(project)).toEqual(ids);
      expect(after.get(second)?.length).toBe(rerun.models.filter((m) => m.project === fixture.projects[1]!.name && m.status === 'migrated').length);
      const ids = [...after.values()].flat();
      expect(ids.length).toBe(rerun.models.filter((m) => m.status === 'migrated' || m.status === 'already_migrated').length);
      for (const t of ['projects', 'snapshots', 'deployments', 'files']) {
        const dupes = await scalar(target.url, `SELECT count(*) - count(DISTINCT id) AS n FROM pgml.${t}`);
        expect(dupes, `duplicate ${t}`).toBe(0);
      }
      expect(await scalar(target.url, 'SELECT count(*) - count(DISTINCT (model_id, path, part)) AS n FROM pgml.files')).toBe(0);
      expect(existsSync(fixture.marker), 'the hostile pickle ran').toBe(false);
      survived++;
    } finally {
      rmSync(markerDir, { recursive: true, force: true });
    }
  });
});

async function scalar(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

const count = (url: string, table: string): Promise<number> => scalar(url, `SELECT count(*) AS n FROM ${table}`);

async function modelsByProject(url: string): Promise<Map<number, number[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = (await client.query('SELECT project_id, id FROM pgml.models ORDER BY project_id, id')).rows;
    const out = new Map<number, number[]>();
    for (const r of rows) out.set(Number(r.project_id), [...(out.get(Number(r.project_id)) ?? []), Number(r.id)]);
    return out;
  } finally {
    await client.end();
  }
}
