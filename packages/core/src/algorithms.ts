/**
 * PostgresML's algorithm names per task, so that a typo is an "unknown algorithm" error (with the nearest name) while
 * a real PostgresML algorithm no runtime here provides is `AlgorithmUnavailable`. The names are generated from the
 * runtimes' own tables (the Rust registry and the python worker's), never kept by hand: see
 * algorithms.generated.ts. `logistic` is accepted as the explicit name of what PostgresML calls `linear` for
 * classification.
 */
import { ALGORITHM_NAMES, UNAVAILABLE_ALGORITHMS } from './algorithms.generated.js';
import type { Task } from './runtime.js';

/** The algorithms a runtime here can train for task `T`, as a string-literal union (editors complete them). */
export type AlgorithmName<T extends Task = Task> = (typeof ALGORITHM_NAMES)[T][number];

/** PostgresML algorithms that cannot run on this machine at all, with the reason `AlgorithmUnavailable` gives. */
export const NOT_INSTALLABLE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(UNAVAILABLE_ALGORITHMS).map(([name, { reason }]) => [name, reason]),
);

/**
 * Why `algorithm` cannot run here, or undefined when it can. An own-property lookup: a name such as `constructor`
 * or `toString` is an unknown algorithm, not an unavailable one.
 */
export function notInstallableReason(algorithm: string): string | undefined {
  return Object.hasOwn(NOT_INSTALLABLE, algorithm) ? NOT_INSTALLABLE[algorithm] : undefined;
}

/** Every PostgresML algorithm name known for each task: the trainable ones, then the ones not installable here. */
export const ALGORITHMS: Readonly<Record<Task, readonly string[]>> = Object.fromEntries(
  (Object.keys(ALGORITHM_NAMES) as Task[]).map((task) => [
    task,
    [
      ...ALGORITHM_NAMES[task],
      ...Object.entries(UNAVAILABLE_ALGORITHMS)
        .filter(([, { tasks }]) => tasks.includes(task))
        .map(([name]) => name),
    ],
  ]),
) as unknown as Record<Task, readonly string[]>;

export function isKnownAlgorithm(task: Task, algorithm: string): boolean {
  return ALGORITHMS[task].includes(algorithm);
}

/** Narrows a name read at run time (a flag, a config file) to the union `train` takes for `task`. */
export function isAlgorithmName<T extends Task>(task: T, algorithm: string): algorithm is AlgorithmName<T> {
  return (ALGORITHM_NAMES[task] as readonly string[]).includes(algorithm);
}
