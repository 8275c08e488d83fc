/**
 * The shared measuring loop of runners whose estimator is called from JavaScript (native, the python worker,
 * the ml.js peers): an adapter says how to fit, predict and serialize; this file does the timing and memory, so
 * the bridge cost of each call is part of what is measured, exactly as a user of that runner would see it.
 */
import type { Matrix, Task } from '@pgml-ts/core';
import { startMemoryProbe } from '../memory.js';
import { FitTimeout, MIN_SINGLE_ROW_CALLS, type BenchJob, type BenchRunner, type RunnerKind, type RunSample } from '../types.js';

export interface EstimatorAdapter<M> {
  id: string;
  kind: RunnerKind;
  description: string;
  availability(): Promise<string | undefined>;
  supports(task: Task, algorithm: string): boolean;
  fit(job: BenchJob, signal: AbortSignal | undefined): Promise<M> | M;
  predict(model: M, x: Matrix): Promise<Float64Array> | Float64Array;
  modelBytes(model: M): Promise<number> | number;
  /** The process whose memory grows while fitting (default: this one). */
  fitPid?(): number | undefined;
  release?(model: M): Promise<void> | void;
  close?(): Promise<void>;
}

/** Batch predictions faster than this are repeated so the clock's resolution doesn't dominate. */
const MIN_BATCH_MS = 20;

export function inProcessRunner<M>(adapter: EstimatorAdapter<M>): BenchRunner {
  return {
    id: adapter.id,
    kind: adapter.kind,
    description: adapter.description,
    availability: () => adapter.availability(),
    supports: (task, algorithm) => adapter.supports(task, algorithm),
    close: adapter.close ? () => adapter.close!() : undefined,
    async run(job: BenchJob): Promise<RunSample> {
      const { test } = job.data;
      const probe = startMemoryProbe(adapter.fitPid?.() ?? 'self');
      const signal = job.fitTimeoutMs === undefined ? undefined : AbortSignal.timeout(job.fitTimeoutMs);
      const fitStart = performance.now();
      let model: M;
      try {
        // Race the timeout too: an estimator that does not poll its AbortSignal must not hold up the suite.
        model = await Promise.race([adapter.fit(job, signal), ...(signal ? [aborted(signal)] : [])]);
      } catch (error) {
        if (signal?.aborted) throw new FitTimeout(job.fitTimeoutMs!);
        throw error;
      }
      const fitMs = performance.now() - fitStart;
      const memory = probe.finish();
      try {
        let start = performance.now();
        const predictions = await adapter.predict(model, test.x);
        let batchPredictMs = performance.now() - start;
        if (batchPredictMs < MIN_BATCH_MS) {
          const repeats = Math.min(1000, Math.ceil(MIN_BATCH_MS / Math.max(batchPredictMs, 0.01)));
          start = performance.now();
          for (let i = 0; i < repeats; i++) await adapter.predict(model, test.x);
          batchPredictMs = (performance.now() - start) / repeats;
        }
        const singleRowMs: number[] = [];
        const cols = test.x.cols;
        const singleStart = performance.now();
        for (let i = 0; i < job.singleRowCalls; i++) {
          if (i >= MIN_SINGLE_ROW_CALLS && performance.now() - singleStart > job.singleRowBudgetMs) break;
          const r = i % test.x.rows;
          const row: Matrix = { data: test.x.data.slice(r * cols, (r + 1) * cols), rows: 1, cols };
          const t0 = performance.now();
          const out = adapter.predict(model, row);
          // A sync predict (native, peers) is timed without an await: a microtask hop is ~1 µs of a few-µs call.
          if (out instanceof Promise) await out;
          singleRowMs.push(performance.now() - t0);
        }
        const modelBytes = await adapter.modelBytes(model);
        return { fitMs, batchPredictMs, singleRowMs, predictions, modelBytes, ...(memory ? { memory } : {}) };
      } finally {
        await adapter.release?.(model);
      }
    },
  };
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}
