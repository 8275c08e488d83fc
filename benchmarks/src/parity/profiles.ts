/** The two profiles: `quick` for CI (≤ 5 minutes on 2 cores), `full` for the committed report. */
import { DATASET_NAMES } from '@pgml-ts/core';
import { bundledSource, syntheticSource, type DatasetSource } from './datasets.js';

export type ProfileName = 'quick' | 'full';

export interface Profile {
  name: ProfileName;
  datasets: DatasetSource[];
  /**
   * Timed repetitions per cell, by dataset size. Each runner × algorithm gets one untimed warm-up, on the first
   * dataset it runs (if that has ≤ warmupMaxRows training rows).
   */
  reps(rows: number): number;
  warmupMaxRows: number;
  singleRowCalls: number;
  /** Time per runner and repetition after which single-row sampling stops (at least 10 calls are made). */
  singleRowBudgetMs: number;
  /** A fit slower than this is aborted (runners that can) and reported as timed out. */
  fitTimeoutMs: number;
  /**
   * A runner is skipped on a larger synthetic set when its fit time on the previous size, scaled by
   * (rows ratio)^FIT_SCALING, would exceed this — the only guard for peers, whose synchronous JS cannot be aborted;
   * runtimes are projected only from ≥ PROJECT_FROM_ROWS (run.ts), below that the fit timeout guards them.
   */
  fitBudgetMs: number;
  /** Runner ids to run (default: every runner). */
  runners?: readonly string[];
}

/**
 * How fit time is projected to a larger set: runtimes (projected only from ≥ 10k rows, where fixed costs are gone)
 * at n^1.25; peers, which cannot be aborted, at n^2 — the worst case of the kernel SVM and CART among them
 * (libsvm-js projected at n^1.25 from 1k rows ran for over ten minutes on 100k).
 */
export const FIT_SCALING = { runtime: 1.25, peer: 2 } as const;

const bundled = DATASET_NAMES.map(bundledSource);
const synthetic = (rows: number): DatasetSource[] => [
  syntheticSource('regression', rows),
  syntheticSource('classification', rows),
];

export const PROFILES: Record<ProfileName, Profile> = {
  quick: {
    name: 'quick',
    datasets: [...bundled, ...synthetic(1000)],
    // CI's gate is quality, which is deterministic: native against scikit-learn through the worker, one timed
    // repetition, the minimum of single-row calls. The in-process sklearn timer and the JS peers are report
    // material — the committed full profile is where speed ratios are read.
    runners: ['native', 'python'],
    reps: () => 1,
    warmupMaxRows: 10_000,
    singleRowCalls: 10,
    singleRowBudgetMs: 200,
    fitTimeoutMs: 60_000,
    fitBudgetMs: 20_000,
  },
  full: {
    name: 'full',
    datasets: [...bundled, ...synthetic(1000), ...synthetic(100_000), ...synthetic(1_000_000)],
    // Trimmed to fit a ~30-minute run on 2 cores: 2 reps on small sets, 1 on 100k and 1M; fits over 2 minutes are
    // aborted, and a runner is not tried on 1M when its 100k fit projects past 1 minute
    // (peers: from any smaller set).
    reps: (rows) => (rows <= 10_000 ? 2 : 1),
    warmupMaxRows: 10_000,
    singleRowCalls: 100,
    singleRowBudgetMs: 2000,
    fitTimeoutMs: 120_000,
    fitBudgetMs: 60_000,
  },
};
