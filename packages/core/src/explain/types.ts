/**
 * A model's explanation as `pgml.explanations.explanation` stores it (JSON, version 1): what the model gets right
 * and wrong on its test split, and which features matter. Computed once at train time (and at migration for
 * PostgresML 1.0 models), so showing it never refits or re-reads data.
 */
import type { Task } from '../runtime.js';

export interface ModelExplanation {
  version: 1;
  task: Task;
  /** Test rows the explanation was measured on (classification and regression: all of them). */
  testRows: number;
  /** Model input features after preprocessing (`featureNames`): `column`, `column[i]`, `column=category`. */
  features: string[];
  /** Null when the model has no importances of its own and there is nothing to permute against (no test rows). */
  importances: FeatureImportances | null;
  classification?: ClassificationExplanation;
  regression?: RegressionExplanation;
  clustering?: ClusteringExplanation;
  decomposition?: DecompositionExplanation;
}

export type ImportanceMethod = 'coefficients' | 'impurity' | 'gain' | 'permutation';

export interface FeatureImportances {
  /**
   * coefficients: the model's `coef_` (PCA: `components_`); impurity: scikit-learn's mean decrease in impurity;
   * gain: XGBoost's average split gain; permutation: the drop of `permutation.scoring` when a feature's test values
   * are shuffled.
   */
  method: ImportanceMethod;
  rows: ImportanceRow[];
  /** How permutation importance was measured (present for method `permutation`). */
  permutation?: {
    scoring: 'accuracy' | 'r2' | 'cluster_agreement';
    repeats: number;
    /** Test rows sampled. */
    rows: number;
    seed: number;
    /** Rows it could predict in all (rows × features × repeats stays within it), from the training set's size. */
    budget: number;
  };
}

export interface ImportanceRow {
  /** What the row explains: a class label, target or component; null for the whole model. */
  output: string | null;
  /** One value per feature, in `features` order. */
  values: number[];
  /** Permutation only: the standard deviation over repeats. */
  std?: number[];
}

export interface ClassificationExplanation {
  /** Classes present among the test rows' true or predicted labels, in class order. */
  labels: string[];
  /** `confusion[true][predicted]` counts over every test row. */
  confusion: number[][];
  /**
   * One-vs-rest curves from predict_proba, one per class (a binary model: the second class only), or a binary
   * model's decision_function when it has no probabilities; absent when it has neither.
   */
  curves?: ClassCurves[];
}

export interface ClassCurves {
  label: string;
  /** Test rows of this class. */
  positives: number;
  rocAuc: number | null;
  averagePrecision: number | null;
  /** False positive rate → true positive rate, thinned to at most `MAX_CURVE_POINTS` points. */
  roc: { x: number[]; y: number[] };
  /** Recall → precision, thinned likewise. */
  precisionRecall: { x: number[]; y: number[] };
}

export interface RegressionExplanation {
  targets: TargetResiduals[];
}

export interface TargetResiduals {
  name: string;
  /** Residuals are actual − predicted over every test row. */
  residuals: ResidualSummary;
  /** A seeded sample of at most `MAX_SCATTER_POINTS` test rows. */
  sample: { actual: number[]; predicted: number[] };
}

export interface ResidualSummary {
  mean: number;
  std: number;
  meanAbsolute: number;
  min: number;
  max: number;
  quantiles: { p05: number; p25: number; p50: number; p75: number; p95: number };
  /** `counts[i]` residuals in [edges[i], edges[i+1]) (the last bin includes its right edge). */
  histogram: { edges: number[]; counts: number[] };
}

export interface ClusteringExplanation {
  /** Test rows per predicted cluster, by cluster number. */
  clusterSizes: Array<{ cluster: number; rows: number }>;
}

export interface DecompositionExplanation {
  /** Per component: the variance of its test-row values over the test rows' total variance. */
  explainedVarianceRatio: number[];
}
