/** Lookups over the generated mirror of the Python algorithm table (python/pgml_worker/algorithms.py). */
import { AlgorithmUnavailable, type HyperparamSpec, type Task } from '@pgml-ts/core';
import { PYTHON_ALGORITHMS, PYTHON_ESTIMATORS, UNAVAILABLE_ALGORITHMS } from './algorithms.generated.js';

export { PYTHON_ALGORITHMS, UNAVAILABLE_ALGORITHMS };

/** What the catalogue shows for a python algorithm: its estimator class and hyperparameters as the library checks them. */
export interface PythonEstimatorInfo {
  estimator: string;
  predictProba: boolean;
  hyperparams: readonly HyperparamSpec[];
}

export function pythonEstimator(task: Task, algorithm: string): PythonEstimatorInfo | undefined {
  const estimator = estimatorClass(task, algorithm);
  const info = estimator === undefined ? undefined : PYTHON_ESTIMATORS[estimator];
  return info && { estimator: estimator!, ...info };
}

/** The scikit-learn (or xgboost) class behind `algorithm` for `task`, e.g. 'sklearn.svm.SVC'; undefined if none. */
export function estimatorClass(task: Task, algorithm: string): string | undefined {
  return Object.hasOwn(PYTHON_ALGORITHMS, algorithm) ? PYTHON_ALGORITHMS[algorithm]![task] : undefined;
}

/** Every (task, algorithm) pair the python runtime can train. */
export function pythonAlgorithms(task?: Task): Array<{ task: Task; algorithm: string; estimator: string }> {
  return Object.entries(PYTHON_ALGORITHMS).flatMap(([algorithm, tasks]) =>
    (Object.entries(tasks) as Array<[Task, string]>)
      .filter(([t]) => task === undefined || t === task)
      .map(([t, estimator]) => ({ task: t, algorithm, estimator })),
  );
}

/** Throws `AlgorithmUnavailable` (code ALGORITHM_UNAVAILABLE) unless the python runtime has `algorithm` for `task`. */
export function assertPythonAlgorithm(task: Task, algorithm: string): string {
  const unavailable = Object.hasOwn(UNAVAILABLE_ALGORITHMS, algorithm) ? UNAVAILABLE_ALGORITHMS[algorithm] : undefined;
  if (unavailable) throw new AlgorithmUnavailable(algorithm, unavailable.reason, { task, runtime: 'python' });
  const estimator = estimatorClass(task, algorithm);
  if (estimator) return estimator;
  const tasks = Object.hasOwn(PYTHON_ALGORITHMS, algorithm) ? Object.keys(PYTHON_ALGORITHMS[algorithm]!) : [];
  throw new AlgorithmUnavailable(
    algorithm,
    tasks.length
      ? `the python runtime has it only for ${tasks.join(', ')}, not ${task}`
      : `scikit-learn has no PostgresML algorithm of that name`,
    { task, runtime: 'python' },
  );
}
