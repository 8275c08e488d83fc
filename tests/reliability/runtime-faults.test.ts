/**
 * Faults while serving: the SDK's PostgreSQL backends terminated (idle and mid-predict), the python worker killed
 * with SIGKILL during batch predicts, and batches too large for memory — each a typed error at worst, and the next
 * call succeeds. Run in both serving modes: in-process (the default: predicts answered from memory, the listener's
 * connection among those terminated) and one lookup query per call.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PythonWorker } from '@pgml-ts/python-compat';
import { PgmlError, PostgresML } from '@pgml-ts/sdk';
import { createRegressionTable } from './helpers.js';
import { DATABASE_URL, figures, FULL } from './profile.js';

const INPUT = [1, -2, 0.5, 3];

describe.skipIf(!DATABASE_URL).each(['auto', 'per-call'] as const)('faults while serving (serving mode %s)', (serving) => {
  const app = `pgml_reliability_${randomBytes(4).toString('hex')}`;
  const project = `runtime faults ${app}`;
  let pgml: PostgresML;
  let admin: pg.Client;
  let table: string;
  let expected: number;
  let injected = 0;
  let survived = 0;

  beforeAll(async () => {
    table = await createRegressionTable(DATABASE_URL!, 'runtime_faults', 2000);
    pgml = await PostgresML.connect({ url: `${DATABASE_URL}?application_name=${app}`, serving: { mode: serving } });
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await pgml.train(project, { task: 'regression', relationName: table, yColumnName: 'y', algorithm: 'linear', runtime: 'native' });
    expected = Number(await pgml.predict(project, INPUT));
  });
  afterAll(async () => {
    figures(`runtime-faults ${serving}`, { injected, survived });
    await pgml?.db.query('DELETE FROM pgml.projects WHERE name LIKE $1', [`runtime faults ${app}%`]).catch(() => undefined);
    await pgml?.close();
    await admin?.query(`DROP TABLE IF EXISTS ${table}`);
    await admin?.end();
  });

  const terminate = async (): Promise<number> =>
    (await admin.query('SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1', [app])).rows[0].n;

  it('terminated idle backends: the next predict reconnects and succeeds', async () => {
    const rounds = FULL ? 20 : 5;
    for (let i = 0; i < rounds; i++) {
      // In-process serving answers predicts from memory, so the pool is filled explicitly: several idle pooled
      // connections (and the deployment listener) are what gets terminated.
      await Promise.all(Array.from({ length: 8 }, () => pgml.db.query('SELECT pg_sleep(0.01)')));
      await Promise.all(Array.from({ length: 8 }, () => pgml.predict(project, INPUT)));
      expect(Number(await terminate())).toBeGreaterThan(0);
      injected++;
      expect(Number(await pgml.predict(project, INPUT))).toBe(expected);
      survived++;
    }
  });

  it('backends terminated during predicts: typed errors at worst, then success', async () => {
    const rounds = FULL ? 10 : 3;
    let failed = 0;
    for (let i = 0; i < rounds; i++) {
      const calls = Array.from({ length: 40 }, (_, k) =>
        (k % 2 ? pgml.predictBatch(project, Array.from({ length: 64 }, () => INPUT)) : pgml.predict(project, INPUT)).then(
          () => undefined,
          (error: unknown) => error,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 2));
      await terminate();
      injected++;
      for (const error of await Promise.all(calls)) {
        if (error === undefined) continue;
        failed++;
        expect(error).toBeInstanceOf(PgmlError);
        expect((error as PgmlError).code).toBe('DATABASE_ERROR');
      }
      expect(Number(await pgml.predict(project, INPUT))).toBe(expected);
      survived++;
    }
    figures(`terminate-during-predict ${serving}`, { rounds, callsFailedTyped: failed });
  });

  it('python worker SIGKILLed during batch predicts: pending calls fail typed, the next call succeeds', async () => {
    const name = `${project} python`;
    await pgml.train(name, { task: 'regression', relationName: table, yColumnName: 'y', algorithm: 'linear', runtime: 'python' });
    const pyExpected = Number(await pgml.predict(name, INPUT));
    const big = { data: new Float64Array(400_000 * 4).map((_, i) => (i % 7) - 3), rows: 400_000 };
    let killedCalls = 0;
    for (let attempt = 0; attempt < 5 && killedCalls === 0; attempt++) {
      const calls = Array.from({ length: 4 }, () => pgml.predictBatch(name, big).then(() => undefined, (error: unknown) => error));
      const worker = PythonWorker.default();
      while (worker.pid === undefined) await new Promise((resolve) => setTimeout(resolve, 1));
      await new Promise((resolve) => setTimeout(resolve, 20));
      process.kill(worker.pid, 'SIGKILL');
      injected++;
      for (const error of await Promise.all(calls)) {
        if (error === undefined) continue;
        killedCalls++;
        expect(error).toBeInstanceOf(PgmlError);
        expect((error as PgmlError).code, (error as Error).message).toBe('PYTHON_WORKER');
      }
      // A fresh worker reloads the model from its bytes.
      expect(Number(await pgml.predict(name, INPUT))).toBeCloseTo(pyExpected, 9);
      survived++;
    }
    expect(killedCalls).toBeGreaterThan(0);
    figures(`python-sigkill ${serving}`, { pendingCallsFailedTyped: killedCalls });
  });

  it('a batch beyond the memory bound is refused up front, typed; the process and the next call are fine', async () => {
    const refusals: Array<[string, () => Promise<unknown>, string]> = [
      ['rows far beyond memory', () => pgml.predictBatch(project, { data: new Float64Array(4), rows: 2 ** 40 }), 'RESOURCE_LIMIT'],
      ['a billion rows', () => pgml.predictBatch(project, { data: new Float64Array(4), rows: 1e9 }), 'RESOURCE_LIMIT'],
      ['negative rows', () => pgml.predictBatch(project, { data: new Float64Array(4), rows: -1 }), 'INVALID_ARGUMENT'],
      ['fractional rows', () => pgml.predictBatch(project, { data: new Float64Array(4), rows: 1.5 }), 'INVALID_ARGUMENT'],
      ['NaN rows', () => pgml.predictBatch(project, { data: new Float64Array(4), rows: Number.NaN }), 'INVALID_ARGUMENT'],
      ['proba rows far beyond memory', () => pgml.predictProbaBatch(project, { data: new Float64Array(4), rows: 2 ** 40 }), 'RESOURCE_LIMIT'],
    ];
    const previous = process.env.PGML_MAX_BATCH_BYTES;
    for (const [what, call, code] of refusals) {
      injected++;
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error, what).toBeInstanceOf(PgmlError);
      expect((error as PgmlError).code, what).toBe(code);
      survived++;
    }
    // A real batch over a lowered bound: refused with the figures that explain it, served once the bound allows.
    const rows = { data: new Float64Array(100_000 * 4), rows: 100_000 };
    process.env.PGML_MAX_BATCH_BYTES = String(1024 * 1024);
    try {
      const error = await pgml.predictBatch(project, rows).then(() => undefined, (e: unknown) => e);
      expect((error as PgmlError).code).toBe('RESOURCE_LIMIT');
      expect((error as PgmlError).details).toMatchObject({ rows: 100_000, limitBytes: 1024 * 1024 });
      expect((error as Error).message).toMatch(/PGML_MAX_BATCH_BYTES/);
    } finally {
      if (previous === undefined) delete process.env.PGML_MAX_BATCH_BYTES;
      else process.env.PGML_MAX_BATCH_BYTES = previous;
    }
    expect((await pgml.predictBatch(project, rows)).rows).toBe(100_000);
    expect(Number(await pgml.predict(project, INPUT))).toBe(expected);
  });
});
