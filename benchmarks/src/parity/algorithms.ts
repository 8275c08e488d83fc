/**
 * What the suite benchmarks: every (task, algorithm) the Rust runtime lists in `nativeAlgorithms()` — so an
 * algorithm added to the native table is benchmarked with no change here. Aliases (two names, one estimator, like
 * classification `linear`/`logistic`) are measured once and reported under both names.
 */
import * as native from '@pgml-ts/native';
import type { Task } from '@pgml-ts/core';

export interface BenchAlgorithm {
  task: Task;
  algorithm: string;
  /** The scikit-learn estimator both runtimes implement. */
  estimator: string;
  /** Other PostgresML names for the same estimator and task. */
  aliases: string[];
  /** Sent to every runtime runner: sklearn defaults, plus a fixed random_state where the estimator has one. */
  hyperparams: Record<string, unknown>;
}

export function benchAlgorithms(table: readonly native.NativeAlgorithm[] = native.nativeAlgorithms()): BenchAlgorithm[] {
  const byEstimator = new Map<string, BenchAlgorithm>();
  for (const entry of table) {
    const key = `${entry.task}/${entry.estimator}`;
    const seen = byEstimator.get(key);
    if (seen) {
      seen.aliases.push(entry.algorithm);
      continue;
    }
    byEstimator.set(key, {
      task: entry.task as Task,
      algorithm: entry.algorithm,
      estimator: entry.estimator,
      aliases: [],
      hyperparams: 'random_state' in entry.hyperparams ? { random_state: 0 } : {},
    });
  }
  return [...byEstimator.values()];
}
