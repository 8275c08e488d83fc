/**
 * Runs the parity suite: datasets in size order, and for each dataset every benchmarked algorithm on every runner
 * that supports it, repetitions interleaved across runners (A B C A B C …) so drift hits all of them alike.
 * Produces raw per-cell statistics; verdicts and ratios are computed from them in verdict.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Task } from '@pgml-ts/core';
import * as native from '@pgml-ts/native';
import { summarize } from '../timing.js';
import { benchAlgorithms, type BenchAlgorithm } from './algorithms.js';
import { prepareDataset, type DatasetSource, type SplitInfo } from './datasets.js';
import { FIT_SCALING, type Profile } from './profiles.js';
import type { Progress } from './progress.js';
import { keyQuality } from './quality.js';
import { RUNNERS } from './runners/index.js';
import type { BenchData, BenchRunner, RunSample } from './types.js';

export type CellStatus = 'ok' | 'error' | 'timeout' | 'skipped';

export interface CellStats {
  runner: string;
  status: CellStatus;
  reason?: string;
  reps?: number;
  /** Key metric on the test set (r2, f1, silhouette, cumulative explained variance). */
  quality?: number;
  fitMs?: number;
  batchPredictMs?: number;
  predictRowsPerSec?: number;
  singleRowP50Ms?: number;
  singleRowP99Ms?: number;
  modelBytes?: number;
  peakRssBytes?: number;
  fitExtraBytes?: number;
}

export interface DatasetCells {
  dataset: string;
  cells: CellStats[];
}

export interface AlgorithmResults extends BenchAlgorithm {
  datasets: DatasetCells[];
}

export interface DatasetInfo {
  id: string;
  /** The task its target defines. */
  task: 'regression' | 'classification';
  rows: number;
  features: number;
  trainXBytes: number;
  split: SplitInfo;
}

export interface ParityRun {
  suite: 'parity';
  profile: Profile['name'];
  createdAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    native: unknown;
    /** 1-minute load average at start and end: other work on the machine skews times (never quality). */
    loadAverage: { start: number; end: number };
  };
  runners: { id: string; kind: string; description: string; unavailable?: string }[];
  datasets: DatasetInfo[];
  algorithms: AlgorithmResults[];
  durationSeconds: number;
}

export interface RunOptions {
  profile: Profile;
  progress: Progress;
  /** Restrict to these algorithms / runners (ids), e.g. for tests. */
  algorithms?: string[];
  runners?: readonly BenchRunner[];
}

/** Which dataset sources each task runs on: supervised on their own targets, unsupervised on classification features. */
export function datasetsFor(task: Task, sources: readonly DatasetSource[]): DatasetSource[] {
  const wanted = task === 'regression' ? 'regression' : 'classification';
  return sources.filter((s) => s.task === wanted);
}

export async function runParity(options: RunOptions): Promise<ParityRun> {
  const started = Date.now();
  const loadAtStart = os.loadavg()[0]!;
  const { profile, progress } = options;
  const algorithms = benchAlgorithms().filter(
    (a) => !options.algorithms || options.algorithms.includes(a.algorithm),
  );
  const runners: { runner: BenchRunner; unavailable?: string }[] = [];
  const profileRunners = RUNNERS.filter((r) => !profile.runners || profile.runners.includes(r.id));
  for (const runner of options.runners ?? profileRunners) {
    const unavailable = await runner.availability();
    runners.push({ runner, ...(unavailable ? { unavailable } : {}) });
    if (unavailable) progress.log(`${runner.id}: unavailable — ${unavailable}`);
  }
  const usable = runners.filter((r) => !r.unavailable).map((r) => r.runner);
  const sources = [...profile.datasets].sort((a, b) => a.rows - b.rows);

  progress.total(
    sources.reduce((n, source) => {
      const algos = algorithms.filter((a) => datasetsFor(a.task, [source]).length > 0);
      return n + algos.reduce((m, a) => m + usable.filter((r) => r.supports(a.task, a.algorithm)).length, 0) * profile.reps(source.rows);
    }, 0),
  );

  const results = new Map<BenchAlgorithm, DatasetCells[]>(algorithms.map((a) => [a, []]));
  const datasets: DatasetInfo[] = [];
  /** runner/task/algorithm → the largest fit so far, for projecting the next size. */
  const lastFit = new Map<string, { rows: number; fitMs: number }>();
  /** runner/task/algorithm pairs already warmed up (imports, JIT, first-call costs are paid once per pair). */
  const warmed = new Set<string>();
  const dir = mkdtempSync(join(os.tmpdir(), 'pgml-parity-'));
  try {
    for (const source of sources) {
      progress.log(`${source.id}: ${source.rows.toLocaleString('en-US')} rows`);
      const prepared = await prepareDataset(source, dir);
      const trainRows = prepared.split.trainRows;
      datasets.push({
        id: source.id,
        task: source.task,
        rows: source.rows,
        features: prepared.features,
        trainXBytes: trainRows * prepared.features * 8,
        split: prepared.split,
      });
      for (const algorithm of algorithms) {
        if (datasetsFor(algorithm.task, [source]).length === 0) continue;
        const data = prepared.forTask(algorithm.task);
        const cellStart = Date.now();
        const cells = await runCell(algorithm, data, usable, profile, progress, { lastFit, warmed }, trainRows);
        results.get(algorithm)!.push({ dataset: source.id, cells });
        progress.log(`  ${source.id} · ${algorithm.task} ${algorithm.algorithm}: ${((Date.now() - cellStart) / 1000).toFixed(1)} s`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    progress.done();
    // The python worker and the sklearn script would keep the event loop (and the process) alive.
    for (const runner of usable) await runner.close?.();
  }

  const cpus = os.cpus();
  return {
    suite: 'parity',
    profile: profile.name,
    createdAt: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      native: native.nativeInfo(),
      loadAverage: { start: round1(loadAtStart), end: round1(os.loadavg()[0]!) },
    },
    runners: runners.map(({ runner, unavailable }) => ({
      id: runner.id,
      kind: runner.kind,
      description: runner.description,
      ...(unavailable ? { unavailable } : {}),
    })),
    datasets,
    algorithms: algorithms.map((a) => ({ ...a, datasets: results.get(a)! })),
    durationSeconds: Math.round((Date.now() - started) / 1000),
  };
}

async function runCell(
  algorithm: BenchAlgorithm,
  data: BenchData,
  runners: readonly BenchRunner[],
  profile: Profile,
  progress: Progress,
  memo: { lastFit: Map<string, { rows: number; fitMs: number }>; warmed: Set<string> },
  trainRows: number,
): Promise<CellStats[]> {
  const { lastFit, warmed } = memo;
  const { task } = algorithm;
  const active = runners.filter((r) => r.supports(task, algorithm.algorithm));
  const samples = new Map<BenchRunner, RunSample[]>(active.map((r) => [r, []]));
  const outcome = new Map<BenchRunner, CellStats>();
  const reps = profile.reps(data.train.x.rows + data.test.x.rows);
  const label = (r: BenchRunner) => `${data.id} · ${task} ${algorithm.algorithm} · ${r.id}`;

  for (const runner of active) {
    const previous = lastFit.get(`${runner.id}/${task}/${algorithm.algorithm}`);
    // Peers (synchronous JS) cannot be aborted, so they are always projected; runtimes have the fit timeout and
    // are projected only from a set large enough (PROJECT_FROM_ROWS) that fixed per-fit costs no longer dominate.
    const projectable = runner.kind === 'peer' || (previous?.rows ?? 0) >= PROJECT_FROM_ROWS;
    if (previous && projectable && trainRows > previous.rows) {
      const projectedMs = previous.fitMs * (trainRows / previous.rows) ** FIT_SCALING[runner.kind === 'peer' ? 'peer' : 'runtime'];
      if (projectedMs > profile.fitBudgetMs) {
        outcome.set(runner, {
          runner: runner.id,
          status: 'skipped',
          reason: `projected fit ${(projectedMs / 1000).toFixed(0)} s (from ${(previous.fitMs / 1000).toFixed(1)} s on ${previous.rows} rows) exceeds the ${profile.fitBudgetMs / 1000} s budget`,
        });
      }
    }
  }
  const job = {
    task,
    algorithm: algorithm.algorithm,
    hyperparams: algorithm.hyperparams,
    data,
    singleRowCalls: profile.singleRowCalls,
    singleRowBudgetMs: profile.singleRowBudgetMs,
    fitTimeoutMs: profile.fitTimeoutMs,
  };
  const key = (r: BenchRunner) => `${r.id}/${task}/${algorithm.algorithm}`;
  const needsWarmup = (r: BenchRunner) => trainRows <= profile.warmupMaxRows && !warmed.has(key(r));
  const warmup = active.some(needsWarmup);
  for (let rep = warmup ? -1 : 0; rep < reps; rep++) {
    for (const runner of active) {
      if (outcome.has(runner) || (rep < 0 && !needsWarmup(runner))) {
        if (rep >= 0) progress.tick(label(runner));
        continue;
      }
      if (rep < 0) warmed.add(key(runner));
      try {
        const sample = await runner.run(job);
        if (rep >= 0) samples.get(runner)!.push(sample);
      } catch (error) {
        const timedOut = (error as { code?: string }).code === 'FIT_TIMEOUT';
        outcome.set(runner, {
          runner: runner.id,
          status: timedOut ? 'timeout' : 'error',
          reason: (error as Error).message.split('\n')[0]!.slice(0, 300),
        });
        if (timedOut) lastFit.set(`${runner.id}/${task}/${algorithm.algorithm}`, { rows: trainRows, fitMs: profile.fitTimeoutMs });
      }
      if (rep >= 0) progress.tick(label(runner));
    }
  }

  return active.map((runner) => {
    const failed = outcome.get(runner);
    if (failed) return failed;
    const stats = summarizeSamples(runner.id, task, data, samples.get(runner)!);
    lastFit.set(`${runner.id}/${task}/${algorithm.algorithm}`, { rows: trainRows, fitMs: stats.fitMs! });
    return stats;
  });
}

/** Below this many training rows a fit's time is mostly fixed overhead and says little about a 100× larger set. */
export const PROJECT_FROM_ROWS = 10_000;

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function summarizeSamples(runner: string, task: Task, data: BenchData, samples: RunSample[]): CellStats {
  const median = (pick: (s: RunSample) => number): number => summarize(samples.map(pick)).medianMs;
  const single = samples.flatMap((s) => s.singleRowMs);
  const memory = samples.map((s) => s.memory).filter((m) => m !== undefined);
  const batchPredictMs = median((s) => s.batchPredictMs);
  let quality: number | undefined;
  let reason: string | undefined;
  try {
    quality = keyQuality(task, data, samples[0]!.predictions);
  } catch (error) {
    reason = `quality not computable: ${(error as Error).message}`;
  }
  return {
    runner,
    status: 'ok',
    ...(reason ? { reason } : {}),
    reps: samples.length,
    ...(quality !== undefined && Number.isFinite(quality) ? { quality } : {}),
    fitMs: median((s) => s.fitMs),
    batchPredictMs,
    predictRowsPerSec: (data.test.x.rows / batchPredictMs) * 1000,
    ...(single.length ? { singleRowP50Ms: percentile(single, 50), singleRowP99Ms: percentile(single, 99) } : {}),
    modelBytes: samples[samples.length - 1]!.modelBytes,
    ...(memory.length
      ? {
          peakRssBytes: summarize(memory.map((m) => m.peakRssBytes)).medianMs,
          fitExtraBytes: summarize(memory.map((m) => m.fitExtraBytes)).medianMs,
        }
      : {}),
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
