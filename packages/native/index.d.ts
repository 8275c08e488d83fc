/**
 * @pgml-ts/native — PostgresML's vector functions, batch scoring, PostgreSQL binary COPY parsing and OpenBLAS in
 * Rust, over an own minimal Node-API layer. Hand-written; `napi build` is run with `--no-js` and a throwaway
 * `--dts` path so it never overwrites this file.
 *
 * Conventions shared by every function:
 * - Vectors are `Float32Array`, `Float64Array` (read zero-copy) or `number[]` (converted, treated as f64).
 * - Precision: all-`Float32Array` inputs compute in f32; any `Float64Array`/`number[]` among them computes in f64.
 *   Vector results take the type of the first argument (`Float32Array` in → `Float32Array` out, else
 *   `Float64Array`); scalar results are numbers.
 * - NaN and ±Infinity propagate as IEEE 754 says (min/max aggregates and `normMax` also propagate NaN).
 * - Errors are `Error`s with a `code`: `'EMPTY_INPUT'` (empty vector / no vectors), `'DIMENSION_MISMATCH'`
 *   (lengths differ), `'INVALID_ARGUMENT'` (wrong type or value), `'ABORTED'` (async call aborted; `name` is
 *   `'AbortError'`). `'NATIVE_PANIC'` would mean a bug in this package (a caught Rust panic; the process survives).
 */

/** A vector argument. */
export type Vector = Float32Array | Float64Array | number[];
/** Scoring metric: dot product and cosine similarity rank larger first; `'l2'` (Euclidean distance) smaller first. */
export type Metric = 'dot' | 'cosine' | 'l2';
export type NativeErrorCode = 'EMPTY_INPUT' | 'DIMENSION_MISMATCH' | 'INVALID_ARGUMENT' | 'ABORTED' | 'NATIVE_PANIC';

/** Options of the async twins. */
export interface AsyncOptions {
  /** Already aborted → the promise rejects at once; aborted later → rejects promptly and the Rust loop stops. */
  signal?: AbortSignal;
}

/** Best rows first: `indices` are row numbers, `scores` their scores. */
export interface TopKResult {
  indices: Uint32Array;
  scores: Float32Array;
}

/** A parsed binary COPY stream of one float array column, row-major. */
export interface CopyFloatArrays<T extends Float32Array | Float64Array = Float32Array | Float64Array> {
  /** `rows × dim` values: `Float32Array` for float4[] columns, `Float64Array` for float8[] (no precision lost). */
  data: T;
  rows: number;
  dim: number;
}

/**
 * Elementwise `a + b` (pgml.add). `b` may be a number: PostgresML's scalar overload `pgml.add(vector, scalar)`, the
 * scalar taken in `a`'s precision. Same for subtract, multiply and divide.
 */
export function add(a: Float32Array, b: Vector | number): Float32Array;
export function add(a: Float64Array | number[], b: Vector | number): Float64Array;
/** Elementwise `a - b` (pgml.subtract); `b` may be a number. */
export function subtract(a: Float32Array, b: Vector | number): Float32Array;
export function subtract(a: Float64Array | number[], b: Vector | number): Float64Array;
/** Elementwise `a * b` (pgml.multiply); `b` may be a number. */
export function multiply(a: Float32Array, b: Vector | number): Float32Array;
export function multiply(a: Float64Array | number[], b: Vector | number): Float64Array;
/** Elementwise `a / b` (pgml.divide); `b` may be a number. Division by zero gives ±Infinity or NaN as in IEEE 754. */
export function divide(a: Float32Array, b: Vector | number): Float32Array;
export function divide(a: Float64Array | number[], b: Vector | number): Float64Array;

/** Number of non-zero elements (pgml.norm_l0); NaN counts as non-zero. */
export function normL0(a: Vector): number;
/** Sum of absolute values (pgml.norm_l1). */
export function normL1(a: Vector): number;
/** Euclidean length (pgml.norm_l2). */
export function normL2(a: Vector): number;
/** Largest absolute value (pgml.norm_max). */
export function normMax(a: Vector): number;

/** `a / normL1(a)` (pgml.normalize_l1). A zero vector normalises to zeros, not NaN. */
export function normalizeL1(a: Float32Array): Float32Array;
export function normalizeL1(a: Float64Array | number[]): Float64Array;
/** `a / normL2(a)` (pgml.normalize_l2). A zero vector normalises to zeros, not NaN. */
export function normalizeL2(a: Float32Array): Float32Array;
export function normalizeL2(a: Float64Array | number[]): Float64Array;
/** `a / normMax(a)` (pgml.normalize_max). A zero vector normalises to zeros, not NaN. */
export function normalizeMax(a: Float32Array): Float32Array;
export function normalizeMax(a: Float64Array | number[]): Float64Array;

/** Manhattan distance Σ|aᵢ − bᵢ| (pgml.distance_l1). */
export function distanceL1(a: Vector, b: Vector): number;
/** Euclidean distance (pgml.distance_l2). */
export function distanceL2(a: Vector, b: Vector): number;
/** Σ aᵢ·bᵢ (pgml.dot_product). */
export function dotProduct(a: Vector, b: Vector): number;
/**
 * a·b / (‖a‖‖b‖) (pgml.cosine_similarity). Similarity with a zero vector is defined as 0, like scikit-learn's
 * `cosine_similarity` (which normalises zero rows to zero) — PostgresML itself would return NaN there.
 */
export function cosineSimilarity(a: Vector, b: Vector): number;

/** Elementwise sum of many same-length vectors (the pgml.sum aggregate). */
export function sum(vectors: Float32Array[]): Float32Array;
export function sum(vectors: Vector[]): Float32Array | Float64Array;
/** Elementwise minimum (the pgml.min aggregate); NaN in any input makes that element NaN. */
export function min(vectors: Float32Array[]): Float32Array;
export function min(vectors: Vector[]): Float32Array | Float64Array;
/** Elementwise maximum (the pgml.max aggregate); NaN in any input makes that element NaN. */
export function max(vectors: Float32Array[]): Float32Array;
export function max(vectors: Vector[]): Float32Array | Float64Array;
/** Elementwise smallest magnitude, returned as |x| like PostgresML's pgml.min_abs. */
export function minAbs(vectors: Float32Array[]): Float32Array;
export function minAbs(vectors: Vector[]): Float32Array | Float64Array;
/** Elementwise largest magnitude, returned as |x| like PostgresML's pgml.max_abs. */
export function maxAbs(vectors: Float32Array[]): Float32Array;
export function maxAbs(vectors: Vector[]): Float32Array | Float64Array;

/**
 * Scores `query` against each of the `matrix.length / dim` rows of a row-major matrix (AVX2+FMA when the CPU has
 * it, multi-threaded for large matrices). `'l2'` scores are Euclidean distances. A non-f32 query is narrowed.
 */
export function scoreRows(query: Vector, matrix: Float32Array, dim: number, metric: Metric): Float32Array;
/** `scoreRows` on the libuv threadpool; inputs are copied first, so the caller may reuse its buffers at once. */
export function scoreRowsAsync(
  query: Vector,
  matrix: Float32Array,
  dim: number,
  metric: Metric,
  options?: AsyncOptions,
): Promise<Float32Array>;
/** The `k` best rows, best first (ties: lower row first; NaN scores last). `k` larger than the row count is clamped. */
export function topK(query: Vector, matrix: Float32Array, dim: number, k: number, metric: Metric): TopKResult;
/** `topK` on the libuv threadpool (inputs copied first). */
export function topKAsync(
  query: Vector,
  matrix: Float32Array,
  dim: number,
  k: number,
  metric: Metric,
  options?: AsyncOptions,
): Promise<TopKResult>;

/**
 * Parses a PostgreSQL binary COPY stream (`COPY (SELECT v FROM t) TO STDOUT WITH (FORMAT binary)`) of exactly one
 * one-dimensional `float4[]` or `float8[]` column, all rows the same length. NULL rows or elements, other column
 * types, truncated or garbage input → `INVALID_ARGUMENT` naming the row; rows of different lengths →
 * `DIMENSION_MISMATCH`. An empty result set gives `{ data: Float32Array(0), rows: 0, dim: 0 }`.
 */
export function parseCopyFloatArrays(copy: Uint8Array): CopyFloatArrays;
/** `parseCopyFloatArrays` on the libuv threadpool (the bytes are copied first). */
export function parseCopyFloatArraysAsync(copy: Uint8Array, options?: AsyncOptions): Promise<CopyFloatArrays>;

/** OpenBLAS `cblas_sgemv`: `matrix · query` for a row-major `(matrix.length / dim) × dim` matrix. */
export function blasSgemv(matrix: Float32Array, dim: number, query: Vector): Float32Array;
/** OpenBLAS `cblas_sdot` (computed in f32). */
export function blasSdot(a: Vector, b: Vector): number;

/** Build and runtime facts: crate version, SIMD level used by the scan kernels, rayon threads, OpenBLAS config. */
export function nativeInfo(): { version: string; simd: 'avx2' | 'sse2' | 'scalar'; threads: number; blas: string };

/**
 * A row-major f32 matrix kept in native memory across queries — the warm path: no per-query copy or conversion.
 * Memory is released by `free()` or, failing that, when the object is garbage collected. Any call after `free()`
 * throws `INVALID_ARGUMENT`.
 */
export class NativeMatrix {
  private constructor(handle: unknown);
  /** Parses a binary COPY stream (see `parseCopyFloatArrays`) straight into native memory; float8[] is narrowed to f32. */
  static fromCopy(copy: Uint8Array): NativeMatrix;
  /** Copies `data` (`rows × dim`, row-major) into native memory. */
  static fromArray(data: Float32Array, dim: number): NativeMatrix;
  readonly rows: number;
  readonly dim: number;
  /** One score per row (see `scoreRows`). `metric` defaults to `'dot'`. */
  scores(query: Vector, metric?: Metric): Float32Array;
  /** The `k` best rows (see `topK`). `metric` defaults to `'dot'`. */
  topK(query: Vector, k: number, metric?: Metric): TopKResult;
  /** `scores` on the threadpool; the matrix stays alive for the job even if `free()` is called meanwhile. */
  scoresAsync(query: Vector, metric?: Metric, options?: AsyncOptions): Promise<Float32Array>;
  /** `topK` on the threadpool; the matrix stays alive for the job even if `free()` is called meanwhile. */
  topKAsync(query: Vector, k: number, metric?: Metric, options?: AsyncOptions): Promise<TopKResult>;
  /** Frees the native memory now. Idempotent. */
  free(): void;
}

// ---- Models (crates/ml-*, src/registry.rs): scikit-learn-equivalent estimators behind four generic operations ----

/** Error codes of the model functions, in addition to `NativeErrorCode` (same names as core's `PgmlErrorCode`). */
export type NativeModelErrorCode = 'ALGORITHM_UNAVAILABLE' | 'INVALID_HYPERPARAMETER' | 'DATA_ERROR' | 'CORRUPT_MODEL';
export type NativeTask = 'regression' | 'classification' | 'clustering' | 'decomposition';
/** A hyperparameter value as JSON carries it. */
export type HyperparamValue = number | boolean | string | null;

/** One alternative a hyperparameter's value may take (a value is accepted when it matches any of them). */
export type HyperparamConstraint =
  | { type: 'number' | 'integer'; min?: number; minExclusive?: boolean; max?: number; maxExclusive?: boolean }
  | { type: 'string'; choices: string[] }
  | { type: 'boolean' }
  | { type: 'null' };

/** A hyperparameter as the Rust table validates it: its sklearn name, default and allowed values. */
export interface HyperparamSpec {
  name: string;
  default: HyperparamValue;
  accepts: HyperparamConstraint[];
}

/** One row of the native algorithm table. */
export interface NativeAlgorithm {
  task: NativeTask;
  /** PostgresML's algorithm name (`linear`, `ridge`, …). */
  algorithm: string;
  /** The scikit-learn estimator it reproduces (`LinearRegression`, `Ridge`, `LogisticRegression`). */
  estimator: string;
  predictProba: boolean;
  /** Accepts several regression targets (fitted jointly, or one model per target). */
  multiTarget: boolean;
  /** Every accepted hyperparameter (sklearn names) with its default. */
  hyperparams: Readonly<Record<string, HyperparamValue>>;
  /** The same hyperparameters with their types and ranges, generated from the specs `validateHyperparams` checks. */
  params: readonly HyperparamSpec[];
}

/** Everything the native runtime implements. */
export function nativeAlgorithms(): readonly NativeAlgorithm[];

/**
 * Checks hyperparameters against the algorithm's sklearn spec and returns them with defaults filled in.
 * Unknown names, wrong types, out-of-range values → `INVALID_HYPERPARAMETER` naming the key (and, for unknown names,
 * the allowed ones); unknown task/algorithm → `ALGORITHM_UNAVAILABLE`.
 */
export function validateHyperparams(
  task: NativeTask,
  algorithm: string,
  hyperparams?: Record<string, unknown>,
): Record<string, HyperparamValue>;

export interface NativeFitInput {
  task: NativeTask;
  algorithm: string;
  hyperparams?: Record<string, unknown>;
  /**
   * `rows × cols`, row-major. ±Infinity → `DATA_ERROR`; so is NaN, except for `hist_gradient_boosting`, which takes
   * it as a missing value (as scikit-learn's HistGradientBoosting* do), in fit and predict.
   */
  x: Float64Array | number[];
  rows: number;
  cols: number;
  /**
   * Regression: `rows × yCols` targets; classification: `rows` class indices `0..numClasses-1` (as numbers).
   * Clustering and decomposition take none (omit it); regression/classification without it → `INVALID_ARGUMENT`.
   */
  y?: Float64Array | number[];
  /** Default 1. */
  yCols?: number;
  /** Classification only: the number of labels (`predictProba` has this many columns). */
  numClasses?: number;
}

export interface NativeFitResult {
  model: NativeModel;
  /** Solver iterations for iterative estimators (sklearn `n_iter_`). */
  nIter?: number;
  /** False where sklearn would raise a ConvergenceWarning (iteration limit reached). */
  converged: boolean;
}

/** How far a fit has come, in the algorithm's unit of work. */
export interface NativeFitProgress {
  done: number;
  /** Absent when not known ahead (solver iterations until convergence). */
  total?: number;
  /** 'trees', 'rounds', 'stages', 'iterations', … */
  unit: string;
}

export interface FitAsyncOptions extends AsyncOptions {
  /** Called (every 200 ms at most, only on change) with the progress long fits report. */
  onProgress?: (progress: NativeFitProgress) => void;
}

/** What a model's feature importances are (see `NativeModel.featureImportances`). */
export interface NativeFeatureImportances {
  kind: 'coefficients' | 'impurity' | 'gain';
  /** `rows × numFeatures`, row-major. */
  values: Float64Array;
  rows: number;
  /**
   * What each row explains: a class index (classifier coefficients), a target index (several regression targets),
   * a component (PCA); `null` for a row that explains the whole model.
   */
  outputs: Array<number | null>;
}

/**
 * A fitted model in native memory, released when garbage collected. Sync methods read a `Float64Array` in place
 * during the call; async methods copy their inputs first, so the caller may reuse or transfer its arrays at once.
 * `Float32Array`/`number[]` are converted; views of detached or SharedArrayBuffers → `INVALID_ARGUMENT`. `fitAsync`
 * runs on a thread of its own (not the libuv threadpool) and honours `AbortSignal` between solver iterations, trees
 * or stages (closed-form fits: between their steps).
 */
export class NativeModel {
  private constructor(handle: unknown);
  static fit(input: NativeFitInput): NativeFitResult;
  static fitAsync(input: NativeFitInput, options?: FitAsyncOptions): Promise<NativeFitResult>;
  /** Loads a payload made by `toBytes()`; foreign, truncated or inconsistent bytes → `CORRUPT_MODEL`. */
  static fromBytes(bytes: Uint8Array): NativeModel;
  readonly task: NativeTask;
  readonly estimator: string;
  readonly numFeatures: number;
  /**
   * Columns of `predict`: targets (regression), 1 (class index for classification, cluster for clustering) or
   * components (decomposition).
   */
  readonly numOutputs: number;
  readonly numClasses: number | undefined;
  /**
   * Whether a few rows predict in microseconds on the calling thread (every estimator written in Rust), so the sync
   * `predict`/`predictInto` suit the JS thread; false for XGBoost, whose every call costs ~80 µs in libxgboost and
   * an OpenMP region — use the async twins there.
   */
  readonly inlineRows: boolean;
  /** `rows × numOutputs`, row-major. `x` is `rows × numFeatures`. */
  predict(x: Float64Array | number[], rows: number): Float64Array;
  predictAsync(x: Float64Array | number[], rows: number, options?: AsyncOptions): Promise<Float64Array>;
  /**
   * `predict` written into `out` (exactly `rows × numOutputs` elements), allocating nothing on the JS heap: the
   * single-row serving path. `x` must be a Float64Array; `out` a Float64Array not sharing memory with it
   * (`INVALID_ARGUMENT`); a wrong `out` length → `DIMENSION_MISMATCH`.
   */
  predictInto(x: Float64Array, rows: number, out: Float64Array): void;
  /** `predictProba` written into `out` (exactly `rows × numClasses` elements), as `predictInto`. */
  predictProbaInto(x: Float64Array, rows: number, out: Float64Array): void;
  /** `rows × numClasses`; estimators without probabilities → `ALGORITHM_UNAVAILABLE`. */
  predictProba(x: Float64Array | number[], rows: number): Float64Array;
  predictProbaAsync(x: Float64Array | number[], rows: number, options?: AsyncOptions): Promise<Float64Array>;
  /**
   * scikit-learn's `coef_` (linear models; PCA's `components_`), impurity-based `feature_importances_` (trees,
   * forests, gradient boosting) or python-xgboost's gain importances; undefined for estimators without them (kernel
   * SVMs, k-means, histogram gradient boosting). Tree importances are measured at fit and are not part of the
   * payload: a model loaded with `fromBytes` has none.
   */
  featureImportances(): NativeFeatureImportances | undefined;
  /**
   * The little-endian payload documented in crates/ml-core/src/codec.rs (magic `PGNM`, format version, algorithm
   * id, then the algorithm's body); `fromBytes(toBytes())` predicts bit-identically.
   */
  toBytes(): Uint8Array;
}

/**
 * XGBoost model bytes in any format this libxgboost reads (UBJSON, JSON, or 1.x's binary `.bin` format, which
 * PostgresML 2.x's rust runtime stored) re-saved as UBJSON, the format native XGBoost payloads hold. Unreadable
 * bytes → `CORRUPT_MODEL`.
 */
export function xgboostToUbjson(model: Uint8Array): Uint8Array;

export * from './table.js';
