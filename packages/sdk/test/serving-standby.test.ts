// In-process serving against a real hot standby (streaming replication from a primary started for this suite):
// PostgreSQL delivers no notifications during recovery, so the client must notice (`pg_is_in_recovery()`), poll
// within `maxStalenessMs`, and still serve every deployment made on the primary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, startStandby, type PostgresServer } from '../../../scripts/lib/postgres-server.mjs';
import { PostgresML } from '../src/client.js';
import { hasPostgres } from './databases.js';
import { SERVING_INPUTS, trainServingModels } from './serving-models.js';

const INPUT_AT = 2;
const INPUT = SERVING_INPUTS[INPUT_AT]!;
const MAX_STALENESS_MS = 300;

/** Waits for `ready` — an event the test triggered, not a speed assertion; fails after 20 s. */
async function until(ready: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  while (!(await ready())) {
    if (Date.now() - started > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

describe.skipIf(!hasPostgres)('in-process serving on a hot standby', () => {
  let primary: PostgresServer;
  let standby: PostgresServer;
  let writer: PostgresML;
  let replica: PostgresML;
  const answers = new Map<number, number>();
  const models: number[] = [];

  beforeAll(async () => {
    const log = (): void => undefined;
    primary = await startPostgres({ log });
    writer = await PostgresML.connect({ url: primary.url, serving: { mode: 'per-call' } });
    const trained = await trainServingModels(writer, 'standby', 'standby_t');
    models.push(...trained.models);
    for (const [id, values] of trained.answers) answers.set(id, values[INPUT_AT]!);
    expect(answers.get(models[0]!)).not.toBe(answers.get(models[1]!));
    standby = await startStandby(primary, { log });
    replica = await PostgresML.connect({ url: standby.url, serving: { maxStalenessMs: MAX_STALENESS_MS } });
  }, 120_000);
  afterAll(async () => {
    await replica?.close();
    await writer?.close();
    standby?.stop();
    primary?.stop();
  });

  it('detects recovery, polls within maxStalenessMs, and serves each deployment made on the primary', async () => {
    expect((await replica.db.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0]!.standby).toBe(true);
    await until(async () => (await replica.predict('standby', INPUT)) === answers.get(models[0]!), 'the first deployment to replicate');
    await until(async () => replica.servingStats().mode === 'polling', 'the listener to report the standby');
    expect(replica.servingStats()).toMatchObject({ mode: 'polling', maxStalenessMs: MAX_STALENESS_MS, listenerPid: null });
    expect(replica.servingStats().reason).toMatch(/hot standby/);
    for (const target of [models[1]!, models[0]!]) {
      await writer.deploy(target);
      const ms = await until(async () => (await replica.predict('standby', INPUT)) === answers.get(target), `deployment of model ${target}`);
      process.stdout.write(`standby served model ${target} ${ms} ms after the primary's deploy returned (bound ${MAX_STALENESS_MS} ms + replication lag)\n`);
      expect(replica.servingStats().hits).toBeGreaterThan(0);
    }
  });

  it('refuses writes on the standby with a typed error and leaves the primary as it was', async () => {
    const error = await replica.deploy(models[1]!).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).toBe('DATABASE_ERROR');
    expect((error as Error).message).toMatch(/read-only/);
    expect(await writer.predict('standby', INPUT)).toBe(answers.get(models[0]!));
  });
});
