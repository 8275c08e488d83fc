/**
 * PostgresML's algorithm names per task (pgml.algorithm), so that a typo is an "unknown algorithm" error while a
 * real PostgresML algorithm no runtime here provides is `AlgorithmUnavailable`. `logistic` is accepted as the
 * explicit name of what PostgresML calls `linear` for classification.
 */
import type { Task } from './runtime.js';

const SUPERVISED_SHARED = [
  'linear', 'xgboost', 'xgboost_random_forest', 'lightgbm', 'catboost', 'svm', 'nu_svm', 'linear_svm',
  'ridge', 'stochastic_gradient_descent', 'ada_boost', 'bagging', 'extra_trees', 'gradient_boosting_trees',
  'hist_gradient_boosting', 'random_forest', 'gaussian_process', 'kernel_ridge',
] as const;

export const ALGORITHMS: Readonly<Record<Task, readonly string[]>> = {
  regression: [
    ...SUPERVISED_SHARED, 'lasso', 'elastic_net', 'least_angle', 'lasso_least_angle', 'orthogonal_matching_pursuit',
    'bayesian_ridge', 'automatic_relevance_determination', 'passive_aggressive', 'ransac', 'theil_sen', 'huber',
    'quantile',
  ],
  classification: [...SUPERVISED_SHARED, 'logistic', 'perceptron', 'passive_aggressive'],
  clustering: [
    'affinity_propagation', 'birch', 'kmeans', 'mini_batch_kmeans', 'mean_shift', 'spectral', 'dbscan', 'optics',
    'feature_agglomeration',
  ],
  decomposition: ['pca'],
};

/** Algorithms that cannot run on this machine at all, with the reason `AlgorithmUnavailable` gives. */
export const NOT_INSTALLABLE: Readonly<Record<string, string>> = {
  lightgbm: 'not installable here: no LightGBM library on this machine',
  catboost: 'not installable here: no CatBoost library on this machine',
};

export function isKnownAlgorithm(task: Task, algorithm: string): boolean {
  return ALGORITHMS[task].includes(algorithm);
}
