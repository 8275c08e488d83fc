/** Wall-clock timing with warm-up; the statistics every benchmark row reports (median, min, max in ms). */
export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

export interface MeasureOptions {
  warmup?: number;
  runs?: number;
}

export function summarize(samplesMs: number[]): Timing {
  if (samplesMs.length === 0) throw new Error('no samples');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { medianMs, minMs: sorted[0]!, maxMs: sorted[sorted.length - 1]!, runs: sorted.length };
}

/**
 * Times `fn` after `warmup` untimed calls. Very fast bodies (< 1 ms) are repeated in batches so the clock's
 * resolution and call overhead don't dominate; each sample is then the per-call mean of its batch.
 */
export async function measure(fn: () => unknown, { warmup = 2, runs = 7 }: MeasureOptions = {}): Promise<Timing> {
  // Only await what is a promise: awaiting a sync kernel would add a microtask hop to a ~50 µs body.
  const call = (): unknown => fn();
  const isAsync = (await settle(call())) === 'async';
  for (let i = 1; i < warmup; i++) await settle(call());
  const probeStart = performance.now();
  await settle(call());
  const probeMs = performance.now() - probeStart;
  const batch = probeMs < 1 ? Math.min(10_000, Math.ceil(2 / Math.max(probeMs, 1e-4))) : 1;
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    if (isAsync) for (let i = 0; i < batch; i++) await call();
    else for (let i = 0; i < batch; i++) call();
    samples.push((performance.now() - start) / batch);
  }
  return summarize(samples);
}

async function settle(value: unknown): Promise<'async' | 'sync'> {
  const thenable = value as PromiseLike<unknown> | null;
  if (thenable !== null && typeof thenable === 'object' && typeof thenable.then === 'function') {
    await thenable;
    return 'async';
  }
  return 'sync';
}
