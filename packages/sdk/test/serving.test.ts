// In-process serving on both databases: notified of deployments made elsewhere, answers identical to the per-call
// lookup's, per-call fallback while the listening connection is down (no deploy made meanwhile missed), polling
// within the bound where the Db cannot LISTEN.
import type { Db } from '@pgml-ts/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresML } from '../src/client.js';
import { createPgDb } from '../src/drivers/pg.js';
import { describeEachDb } from './databases.js';
import { SERVING_INPUTS, trainServingModels } from './serving-models.js';

const INPUTS = SERVING_INPUTS;

/** Waits for `ready` — an event the test triggered, not a speed assertion; fails after 10 s. */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !ready(); ) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The same database without `listen`, as a driver that cannot LISTEN would be. */
function withoutListen(db: Db): Db {
  return {
    engine: db.engine,
    pooled: db.pooled,
    query: (sql, params) => db.query(sql, params),
    transaction: (fn) => db.transaction(fn),
    copyOut: (sql, sink) => db.copyOut(sql, sink),
    copyIn: (target, data) => db.copyIn(target, data),
    close: async () => undefined,
  } as Db;
}

describeEachDb('in-process serving', (get) => {
  let served: PostgresML;
  let writer: PostgresML;
  let writerDb: Db;
  const models: number[] = [];
  const answers = new Map<number, number[]>();

  beforeAll(async () => {
    const { db, url } = get();
    writerDb = url ? createPgDb(url) : db;
    writer = await PostgresML.connect({ db: writerDb, serving: { mode: 'per-call' } });
    served = await PostgresML.connect({ db, serving: { mode: 'auto' } });
    const trained = await trainServingModels(writer, 'serve', 'serve_t');
    models.push(...trained.models);
    for (const [id, values] of trained.answers) answers.set(id, values);
  });
  afterAll(async () => {
    await served?.close();
    await writer?.close();
    if (get().url) await writerDb.close();
  });

  it('answers from memory once listening, exactly as the per-call lookup does', async () => {
    await served.predict('serve', INPUTS[0]!);
    await until(() => served.servingStats().mode === 'listening', 'the listener');
    const before = served.servingStats();
    for (const x of INPUTS) expect(await served.predict('serve', x)).toBe(await writer.predict('serve', x));
    const typed = await served.predict('serve', Float64Array.from(INPUTS[1]!));
    expect(typed).toBe(answers.get(models[0]!)![1]);
    const after = served.servingStats();
    expect(after.lookups).toBe(before.lookups + 1); // the first call after listening began looked up; the rest hit
    expect(after.hits).toBeGreaterThanOrEqual(before.hits + INPUTS.length);
    const batch = await served.predictBatch('serve', INPUTS);
    expect(Array.from(batch.predictions as Float64Array)).toEqual(answers.get(models[0]!));
  });

  it('serves a deployment made by another client once its notification arrived', async () => {
    for (const target of [models[1]!, models[0]!]) {
      const invalidations = served.servingStats().invalidations;
      await writer.deploy(target);
      // PGlite notifies in-process before the deploy's promise resolves; PostgreSQL over the listener's socket.
      if (get().engine === 'pglite') expect(served.servingStats().invalidations).toBeGreaterThan(invalidations);
      await until(() => served.servingStats().invalidations > invalidations, 'the notification');
      expect(await served.predict('serve', INPUTS[2]!)).toBe(answers.get(target)![2]);
      expect(served.servingStats().lastInvalidationLagMs).not.toBeNull();
    }
  });

  it('falls back to one lookup per call while the listener is down, and misses no deploy made meanwhile', async ({ skip }) => {
    if (get().engine !== 'postgres') skip(); // PGlite's listener is in-process: it cannot drop
    await served.predict('serve', INPUTS[0]!);
    const { listenerPid, connects } = served.servingStats();
    expect(listenerPid).not.toBeNull();
    await writer.db.query('SELECT pg_terminate_backend($1)', [listenerPid]);
    await until(() => served.servingStats().mode !== 'listening' || served.servingStats().connects > connects, 'the drop');
    // Deployed while nobody (or a fresh listener) listens: the answer must come from it all the same.
    await writer.deploy(models[1]!);
    expect(await served.predict('serve', INPUTS[0]!)).toBe(answers.get(models[1]!)![0]);
    await until(() => served.servingStats().mode === 'listening' && served.servingStats().connects > connects, 'the reconnect');
    expect(served.servingStats().listenerPid).not.toBe(listenerPid);
    expect(await served.predict('serve', INPUTS[0]!)).toBe(answers.get(models[1]!)![0]);
    const hits = served.servingStats().hits;
    expect(await served.predict('serve', INPUTS[1]!)).toBe(answers.get(models[1]!)![1]);
    expect(served.servingStats().hits).toBe(hits + 1);
    await writer.deploy(models[0]!);
  });

  it('polls a database that cannot LISTEN, within maxStalenessMs', async () => {
    const polled = await PostgresML.connect({ db: withoutListen(get().db), serving: { maxStalenessMs: 200 } });
    try {
      await writer.deploy(models[0]!);
      expect(await polled.predict('serve', INPUTS[0]!)).toBe(answers.get(models[0]!)![0]);
      expect(polled.servingStats()).toMatchObject({ mode: 'polling', maxStalenessMs: 200 });
      await writer.deploy(models[1]!);
      await new Promise((resolve) => setTimeout(resolve, 250)); // the documented bound has passed
      expect(await polled.predict('serve', INPUTS[0]!)).toBe(answers.get(models[1]!)![0]);
    } finally {
      await polled.close();
      await writer.deploy(models[0]!);
    }
  });

  it('per-call mode looks the deployment up on every call', async () => {
    const perCall = await PostgresML.connect({ db: get().db, serving: { mode: 'per-call' } });
    try {
      for (const x of INPUTS) expect(await perCall.predict('serve', x)).toBe(await served.predict('serve', x));
      expect(perCall.servingStats()).toMatchObject({ mode: 'per-call', hits: 0, lookups: INPUTS.length, reason: 'per-call mode chosen' });
    } finally {
      await perCall.close();
    }
  });
});
