/** The two profiles: `quick` for CI (≤ 5 minutes on 2 cores), `full` for the committed report. */
import { DATASET_NAMES } from '@pgml-ts/core';
import { bundledSource, syntheticSource, type DatasetSource } from './datasets.js';

export type ProfileName = 'quick' | 'full';

export interface Profile {
  name: ProfileName;
  datasets: DatasetSource[];
  /** Timed repetitions per cell, by dataset size (an untimed warm-up precedes them on sets ≤ warmupMaxRows). */
  reps(rows: number): number;
  warmupMaxRows: number;
  singleRowCalls: number;
  /** A fit slower than this is aborted (runners that can) and reported as timed out. */
  fitTimeoutMs: number;
  /**
   * A runner is skipped on a larger synthetic set when its fit time on the previous size, scaled by
   * (rows ratio)^FIT_SCALING, would exceed this — the only guard for peers, whose synchronous JS cannot be aborted.
   */
  fitBudgetMs: number;
}

/** Fit cost grows at least linearly in rows; 1.25 errs on the side of skipping super-linear fits. */
export const FIT_SCALING = 1.25;

const bundled = DATASET_NAMES.map(bundledSource);
const synthetic = (rows: number): DatasetSource[] => [
  syntheticSource('regression', rows),
  syntheticSource('classification', rows),
];

export const PROFILES: Record<ProfileName, Profile> = {
  quick: {
    name: 'quick',
    datasets: [...bundled, ...synthetic(1000)],
    reps: () => 3,
    warmupMaxRows: 10_000,
    singleRowCalls: 50,
    fitTimeoutMs: 60_000,
    fitBudgetMs: 20_000,
  },
  full: {
    name: 'full',
    datasets: [...bundled, ...synthetic(1000), ...synthetic(100_000), ...synthetic(1_000_000)],
    reps: (rows) => (rows <= 10_000 ? 5 : rows <= 100_000 ? 3 : 1),
    warmupMaxRows: 10_000,
    singleRowCalls: 200,
    fitTimeoutMs: 180_000,
    fitBudgetMs: 90_000,
  },
};
