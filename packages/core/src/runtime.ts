/**
 * The contract between core's train/predict orchestration and an algorithm runtime (docs/architecture.md#runtimes).
 * Matrices are dense, row-major Float64Array; labels for classification are class indices 0..k-1 as f64
 * (core owns the mapping from the user's labels to indices and back).
 */
export type Task = 'regression' | 'classification' | 'clustering' | 'decomposition';
export type RuntimeName = 'native' | 'python';
/** What `pgml.models.runtime` holds: a runtime's name, or `rust` when a model was trained as PostgresML 2.x's `rust`. */
export type StoredRuntimeName = RuntimeName | 'rust';

export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export interface FitInput {
  task: Task;
  algorithm: string;
  /** scikit-learn names and values, already validated by `Runtime.validateHyperparams`. */
  hyperparams: Record<string, unknown>;
  x: Matrix;
  /** Targets: rows × targets (one column unless joint regression); absent for clustering/decomposition. */
  y?: Matrix;
  /** Number of classes for classification (labels are 0..numClasses-1). */
  numClasses?: number;
  signal?: AbortSignal;
  /** Called now and then during long fits with the work done (trees, rounds, iterations) where the runtime knows it. */
  onProgress?: (progress: FitProgress) => void;
}

export interface FitProgress {
  done: number;
  /** Absent when the amount of work is not known ahead (an iterative solver stops when it converges). */
  total?: number;
  unit: string;
}

/** Importances as the estimator reports them (see `Runtime.featureImportances`). */
export interface ModelImportances {
  kind: 'coefficients' | 'impurity' | 'gain';
  /** rows × numFeatures, row-major. */
  values: Float64Array;
  rows: number;
  /**
   * What each row explains: a class (its index 0..k−1, or a migrated model's raw label), a target or component
   * index; null for a row that explains the whole model.
   */
  outputs: Array<number | string | null>;
}

/** A fitted model, owned by the runtime that made it. `handle` is opaque to core. */
export interface FittedModel {
  readonly runtime: RuntimeName;
  readonly task: Task;
  readonly algorithm: string;
  readonly numFeatures: number;
  /** Columns of `predict` output: targets (regression), 1 (classification/clustering), components (decomposition). */
  readonly numOutputs: number;
  readonly numClasses?: number;
  readonly handle: unknown;
}

/** A fitted model's synchronous path for a few rows, writing into caller-owned buffers (no allocation per call). */
export interface InlinePredictor {
  /** `predict` for `rows` rows of `x` (rows × numFeatures) into `out` (rows × numOutputs). */
  predictInto(x: Float64Array, rows: number, out: Float64Array): void;
  /** `predictProba` into `out` (rows × numClasses); absent when the model has no probabilities. */
  predictProbaInto?(x: Float64Array, rows: number, out: Float64Array): void;
}

export interface Runtime {
  readonly name: RuntimeName;
  supports(task: Task, algorithm: string): boolean;
  /** Throws `InvalidHyperparameter`-coded `PgmlError` for unknown names, wrong types or out-of-range values. */
  validateHyperparams(task: Task, algorithm: string, hyperparams: Record<string, unknown>): Record<string, unknown>;
  fit(input: FitInput): Promise<FittedModel>;
  /** rows × numOutputs, row-major: class index for classification, cluster for clustering, transform for decomposition. */
  predict(model: FittedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array>;
  /** rows × numClasses, row-major; only where the estimator has probabilities. */
  predictProba?(model: FittedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array>;
  /**
   * A binary classifier's decision_function (one score per row, higher = the second class), for estimators without
   * probabilities; undefined when the estimator has none.
   */
  decisionFunction?(model: FittedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array | undefined>;
  /**
   * Optional: the model's synchronous few-row path, when one row predicts in microseconds on the calling thread
   * (undefined otherwise, e.g. a model in another process). Single-row predicts then skip the thread pool.
   */
  inline?(model: FittedModel): InlinePredictor | undefined;

  /**
   * The estimator's own feature importances: scikit-learn's `coef_` (linear models, PCA's `components_`),
   * `feature_importances_` (trees, forests, boosting) or XGBoost's gain. Undefined when the estimator has none;
   * core then measures permutation importance on the test split.
   */
  featureImportances?(model: FittedModel): Promise<ModelImportances | undefined>;
  /** The runtime's payload; core wraps it in the checksummed model header (docs/architecture.md#model-format). */
  serialize(model: FittedModel): Promise<Uint8Array>;
  deserialize(payload: Uint8Array, meta: Omit<FittedModel, 'handle' | 'runtime'>): Promise<FittedModel>;
  close?(): Promise<void>;
}
