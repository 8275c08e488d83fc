/**
 * The parity suite's one runner interface. A runner fits one algorithm on one dataset split and reports what it
 * measured for one repetition; the suite interleaves runners (A B C A B C …), takes medians and computes quality in
 * TypeScript from each runner's predictions, so every runner is scored the same way.
 */
import type { Matrix, Task } from '@pgml-ts/core';

export type RunnerKind = 'runtime' | 'reference' | 'peer';

export interface BenchData {
  /** Dataset id, e.g. `iris` or `synthetic_regression_100k`. */
  id: string;
  task: Task;
  train: { x: Matrix; y?: Matrix };
  test: { x: Matrix; y?: Matrix };
  numClasses?: number;
  /** Raw little-endian f64 files of the same matrices, for runners outside this process (sklearn-inprocess). */
  files: { trainX: string; trainY?: string; testX: string };
}

export interface BenchJob {
  task: Task;
  algorithm: string;
  /** scikit-learn names, the same for every runtime runner; peers translate what they can. */
  hyperparams: Record<string, unknown>;
  data: BenchData;
  /** Single-row predictions to time individually (rows are taken from the test set, cycling). */
  singleRowCalls: number;
  /** …but stop after this much time once MIN_SINGLE_ROW_CALLS are done (sklearn's HGB takes ~0.5 s per call here). */
  singleRowBudgetMs: number;
  /** Abort fit after this long (runners that can); undefined = no limit. */
  fitTimeoutMs?: number;
}

export interface MemorySample {
  /** Peak resident set size of the process that fitted, during the fit (VmHWM after resetting it just before). */
  peakRssBytes: number;
  /** Peak during the fit minus the resident size just before it: what fitting itself allocated. */
  fitExtraBytes: number;
}

export interface RunSample {
  fitMs: number;
  /** Time to predict the whole test set in one call (per-call mean when repeated to get a measurable time). */
  batchPredictMs: number;
  /** Every single-row call's time, in ms. */
  singleRowMs: number[];
  /** The test set's predictions: rows × outputs, row-major (class index / cluster / transform). */
  predictions: Float64Array;
  /** Serialized model size as the runner stores it (native payload, pickle, JSON). */
  modelBytes: number;
  memory?: MemorySample;
}

export interface BenchRunner {
  /** Stable id used in the JSON report: `native`, `python`, `sklearn-inprocess`, `ml-cart`, … */
  readonly id: string;
  readonly kind: RunnerKind;
  /** What it is, for the report (package and version, estimator source). */
  readonly description: string;
  /** Undefined when usable, else why not (package failed to install/load, python missing, …). */
  availability(): Promise<string | undefined>;
  supports(task: Task, algorithm: string): boolean;
  run(job: BenchJob): Promise<RunSample>;
  close?(): Promise<void>;
}

/** Thrown by a runner whose fit exceeded `fitTimeoutMs`; the cell is reported as timed out, not failed. */
export class FitTimeout extends Error {
  readonly code = 'FIT_TIMEOUT';
  constructor(readonly limitMs: number) {
    super(`fit did not finish within ${Math.round(limitMs / 1000)} s`);
  }
}

export const MIN_SINGLE_ROW_CALLS = 10;
