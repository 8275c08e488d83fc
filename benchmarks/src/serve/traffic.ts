/**
 * One process's share of the serve benchmark: `clients` concurrent single-row predict loops on one `PostgresML`
 * client for a fixed time, every answer checked against the two models' known outputs. Shared by the in-process
 * phases and by the worker processes of the multi-process phase (worker.ts).
 */
import { PostgresML, createPgDb } from '@pgml-ts/sdk';
import pg from 'pg';
import { close } from '../load/fixture.js';

const YIELD_EVERY = 32;

export type ServeMode = 'per-call' | 'auto';

export interface TrafficSpec {
  databaseUrl: string;
  project: string;
  mode: ServeMode;
  clients: number;
  durationMs: number;
  inputs: Float64Array[];
  /** `expected[m][i]`: model m's answer to `inputs[i]`. */
  expected: [number[], number[]];
}

export interface TrafficResult {
  calls: number;
  errors: number;
  errorSamples: string[];
  /** Answers equal to neither model's. */
  wrongAnswers: number;
  /** Per-call latency samples, ms (every call). */
  latencies: Float64Array;
  /** performance.timeOrigin-based end time and model index of every answer, for the deploy → served analysis. */
  answers: { endedAt: Float64Array; startedAt: Float64Array; model: Int8Array };
  serving: ReturnType<PostgresML['servingStats']>;
}

/** The pool has one connection per client in per-call mode (each call queries); in-process serving needs few. */
export async function serveTraffic(spec: TrafficSpec, onWarm?: () => void): Promise<TrafficResult> {
  const pool = new pg.Pool({ connectionString: spec.databaseUrl, max: spec.mode === 'per-call' ? spec.clients : 4 });
  pool.on('error', () => undefined);
  const pgml = await PostgresML.connect({ db: createPgDb(pool), serving: { mode: spec.mode } });
  try {
    // Warm: the model loaded, the listener connected.
    for (let i = 0; i < 200; i++) await pgml.predict(spec.project, spec.inputs[i % spec.inputs.length]!);
    for (let wait = 0; spec.mode === 'auto' && pgml.servingStats().mode !== 'listening' && wait < 100; wait++) await sleep(20);
    onWarm?.();
    const capacity = 8_000_000;
    const latencies = new Float64Array(capacity);
    const startedAt = new Float64Array(capacity);
    const endedAt = new Float64Array(capacity);
    const model = new Int8Array(capacity);
    let calls = 0;
    let errors = 0;
    let wrong = 0;
    const errorSamples: string[] = [];
    const deadline = performance.now() + spec.durationMs;
    const loop = async (id: number): Promise<void> => {
      let i = id;
      for (let k = 1; performance.now() < deadline && calls < capacity; k++) {
        // Requests reach a server through I/O: let the event loop run (the listener's socket, timers) now and then,
        // as it would between requests; answers from memory would otherwise chain microtasks without end.
        if (k % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        i = (i + 7) % spec.inputs.length;
        const began = performance.now();
        try {
          const out = (await pgml.predict(spec.project, spec.inputs[i]!)) as number;
          const ended = performance.now();
          const which = close(out, spec.expected[0][i]!) ? 0 : close(out, spec.expected[1][i]!) ? 1 : -1;
          if (which < 0) wrong++;
          const n = calls++;
          latencies[n] = ended - began;
          startedAt[n] = performance.timeOrigin + began;
          endedAt[n] = performance.timeOrigin + ended;
          model[n] = which;
        } catch (error) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(String((error as Error)?.message ?? error));
        }
      }
    };
    await Promise.all(Array.from({ length: spec.clients }, (_, c) => loop(c)));
    return {
      calls,
      errors,
      errorSamples,
      wrongAnswers: wrong,
      latencies: latencies.slice(0, calls),
      answers: { startedAt: startedAt.slice(0, calls), endedAt: endedAt.slice(0, calls), model: model.slice(0, calls) },
      serving: pgml.servingStats(),
    };
  } finally {
    await pgml.close();
    await pool.end();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
