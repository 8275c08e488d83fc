/**
 * The algorithm catalogue (`pgml.algorithms()`, `pgml algorithms`): every algorithm per task, which runtimes have it,
 * and each runtime's hyperparameters with type, default and allowed values — read from the tables the runtimes
 * validate with (the Rust specs through `nativeAlgorithms()`, scikit-learn's `_parameter_constraints` through
 * python-compat's generated table), so it cannot say something the runtimes do not enforce.
 */
import { ALGORITHMS, InvalidArgument, nearestName, PgmlError, type HyperparamSpec, type RuntimeName, type RuntimeRegistry, type Task } from '@pgml-ts/core';
import { pythonEstimator, UNAVAILABLE_ALGORITHMS } from '@pgml-ts/python-compat';
import type { NativeModule } from '../vector.js';

export interface RuntimeAlgorithm {
  /** The estimator it is (native: the scikit-learn class it reproduces; python: the class it runs). */
  estimator: string;
  predictProba: boolean;
  /** Trains on several regression targets at once (`yColumnName: [...]`). */
  multiTarget: boolean;
  hyperparams: readonly HyperparamSpec[];
}

export interface AlgorithmEntry {
  task: Task;
  algorithm: string;
  /** The runtime `runtime: 'auto'` trains it with (`runtimes()` says why); null when no runtime here can. */
  auto: RuntimeName | null;
  /** Present for each runtime that has the algorithm. */
  native?: RuntimeAlgorithm;
  python?: RuntimeAlgorithm;
  /** Why no runtime can train it on this machine (its library is not installable here). */
  unavailable?: string;
}

export const TASKS: readonly Task[] = ['regression', 'classification', 'clustering', 'decomposition'];

export function algorithmCatalogue(native: NativeModule | Error, registry: RuntimeRegistry, task?: Task): AlgorithmEntry[] {
  if (task !== undefined && !TASKS.includes(task)) {
    throw new InvalidArgument((w) => `unknown ${w.option('task')} ${JSON.stringify(task)}: expected one of ${TASKS.join(', ')}`);
  }
  const nativeRows = native instanceof Error ? [] : native.nativeAlgorithms();
  return (task ? [task] : TASKS).flatMap((t) =>
    ALGORITHMS[t].map((algorithm): AlgorithmEntry => {
      const nativeRow = nativeRows.find((r) => r.task === t && r.algorithm === algorithm);
      const python = pythonEstimator(t, algorithm);
      const unavailable = Object.hasOwn(UNAVAILABLE_ALGORITHMS, algorithm) ? UNAVAILABLE_ALGORITHMS[algorithm]!.reason : undefined;
      return {
        task: t,
        algorithm,
        auto: autoRuntime(registry, t, algorithm),
        ...(nativeRow
          ? {
              native: {
                estimator: nativeRow.estimator,
                predictProba: nativeRow.predictProba,
                multiTarget: nativeRow.multiTarget,
                hyperparams: nativeRow.params,
              },
            }
          : {}),
        ...(python
          ? {
              python: {
                estimator: python.estimator,
                predictProba: python.predictProba,
                // The worker wraps single-target regressors in MultiOutputRegressor.
                multiTarget: t === 'regression',
                hyperparams: python.hyperparams,
              },
            }
          : {}),
        ...(unavailable && !nativeRow && !python ? { unavailable } : {}),
      };
    }),
  );
}

/** One entry; an unknown name is an `InvalidArgument` with the nearest name. */
export function catalogueEntry(entries: readonly AlgorithmEntry[], algorithm: string): AlgorithmEntry[] {
  const found = entries.filter((e) => e.algorithm === algorithm);
  if (found.length > 0) return found;
  const nearest = nearestName(algorithm, [...new Set(entries.map((e) => e.algorithm))]);
  throw new InvalidArgument(
    (w) => `unknown algorithm ${JSON.stringify(algorithm)}${nearest ? `; did you mean ${JSON.stringify(nearest)}?` : ''} (${w.catalogue()} lists them)`,
    { algorithm, ...(nearest ? { suggestion: nearest } : {}) },
  );
}

function autoRuntime(registry: RuntimeRegistry, task: Task, algorithm: string): RuntimeName | null {
  try {
    return registry.resolve(task, algorithm, 'auto').name;
  } catch (error) {
    if (error instanceof PgmlError) return null;
    throw error;
  }
}
