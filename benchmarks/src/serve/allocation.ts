/**
 * Bytes the JS heap grows by per single-row predict, warm: the young generation's used size before and after a
 * short burst of calls that fits in it (a burst during which a scavenge ran is recognisable — used size fell — and
 * measured again), median of several bursts. Compared with the floor of the same loop awaiting an already resolved
 * promise: what `await pgml.predict(...)` cannot avoid.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { PostgresML, createPgDb } from '@pgml-ts/sdk';
import pg from 'pg';
import type { LoadFixture } from '../load/fixture.js';

export interface AllocationReport {
  /** `await pgml.predict(project, Float64Array)`, bytes per call. */
  predictTypedArray?: number;
  /** `await pgml.predict(project, number[])`, bytes per call. */
  predictNumberArray?: number;
  /** `await Promise.resolve(Math.random())` in the same loop: the floor of any Promise<number>, bytes per call. */
  awaitFloor?: number;
  note?: string;
}

const BURST = 2000;
const TRIES = 15;

function youngUsed(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
}

async function perCall(call: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let t = 0; samples.length < TRIES && t < TRIES * 4; t++) {
    for (let i = 0; i < BURST; i++) await call(); // same code path, JIT-warm, right before measuring
    const before = youngUsed();
    for (let i = 0; i < BURST; i++) await call();
    const after = youngUsed();
    if (after >= before) samples.push((after - before) / BURST);
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(samples.length / 2)] ?? NaN);
}

export async function allocationPerCall(databaseUrl: string, fixture: LoadFixture): Promise<AllocationReport> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  const pgml = await PostgresML.connect({ db: createPgDb(pool), serving: { mode: 'auto' } });
  try {
    const typed = Float64Array.from(fixture.inputs[0]!);
    const plain = [...fixture.inputs[0]!];
    await pgml.predict(fixture.project, typed);
    for (let wait = 0; pgml.servingStats().mode !== 'listening' && wait < 100; wait++) await new Promise((r) => setTimeout(r, 20));
    return {
      predictTypedArray: await perCall(() => pgml.predict(fixture.project, typed)),
      predictNumberArray: await perCall(() => pgml.predict(fixture.project, plain)),
      // A fresh number, as a prediction is: what any API returning Promise<number> allocates.
      awaitFloor: await perCall(() => Promise.resolve(Math.random())),
    };
  } finally {
    await pgml.close();
    await pool.end();
  }
}
