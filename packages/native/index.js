// The thin JS layer over the Rust addon (napi-cli is run with --no-js so it never overwrites these files): vector
// functions, NativeMatrix and NativeModel here, the data path in table.js, the loader in binding.js.
import { binding } from './binding.js';

export const {
  add, subtract, multiply, divide,
  normL0, normL1, normL2, normMax, normalizeL1, normalizeL2, normalizeMax,
  distanceL1, distanceL2, dotProduct, cosineSimilarity,
  sum, min, max, minAbs, maxAbs,
  scoreRows, topK, parseCopyFloatArrays, blasSgemv, blasSdot, nativeInfo,
  xgboostToUbjson,
} = binding;

function abortError(signal) {
  const error = new Error(`The operation was aborted${signal.reason instanceof Error ? `: ${signal.reason.message}` : ''}`, {
    cause: signal.reason,
  });
  error.name = 'AbortError';
  error.code = 'ABORTED';
  return error;
}

/**
 * Runs `start(token)` (a native async call) so that an AbortSignal rejects at once — before the call if already
 * aborted, else as soon as it fires — and flips the native cancel flag the Rust loop polls between chunks. Rejecting
 * before the work has ended is safe because async work never reads the caller's memory: the native call copies its
 * inputs before it returns (src/napi/async_work.rs).
 */
function withSignal(options, start, existingToken) {
  const signal = options?.signal;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  if (signal == null) {
    try {
      return start(existingToken);
    } catch (error) {
      // A Promise-returning function reports every failure, argument errors included, by rejecting.
      return Promise.reject(error);
    }
  }
  const token = existingToken ?? binding.createCancelToken();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      binding.cancel(token);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    start(token)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function scoreRowsAsync(query, matrix, dim, metric, options) {
  return withSignal(options, (token) => binding.scoreRowsAsync(query, matrix, dim, metric, token));
}

export function topKAsync(query, matrix, dim, k, metric, options) {
  return withSignal(options, (token) => binding.topKAsync(query, matrix, dim, k, metric, token));
}

export { TableDecoder, NativeTable, FeaturePreprocessor } from './table.js';

export function parseCopyFloatArraysAsync(copy, options) {
  return withSignal(options, (token) => binding.parseCopyFloatArraysAsync(copy, token));
}

/** A row-major f32 matrix held in native memory across queries; see index.d.ts. */
export class NativeMatrix {
  #handle;
  #rows;
  #dim;

  constructor(handle) {
    if (typeof handle !== 'object' || handle === null) {
      throw new TypeError('NativeMatrix: use NativeMatrix.fromCopy() or NativeMatrix.fromArray()');
    }
    const { rows, dim } = binding.matrixShape(handle);
    this.#handle = handle;
    this.#rows = rows;
    this.#dim = dim;
  }

  static fromCopy(copy) {
    return new NativeMatrix(binding.matrixFromCopy(copy));
  }

  static fromArray(data, dim) {
    return new NativeMatrix(binding.matrixFromArray(data, dim));
  }

  get rows() {
    return this.#rows;
  }

  get dim() {
    return this.#dim;
  }

  scores(query, metric) {
    return binding.matrixScores(this.#handle, query, metric);
  }

  topK(query, k, metric) {
    return binding.matrixTopK(this.#handle, query, k, metric);
  }

  scoresAsync(query, metric, options) {
    return withSignal(options, (token) => binding.matrixScoresAsync(this.#handle, query, metric, token));
  }

  topKAsync(query, k, metric, options) {
    return withSignal(options, (token) => binding.matrixTopKAsync(this.#handle, query, k, metric, token));
  }

  /** Releases the native memory now instead of at garbage collection. Idempotent. */
  free() {
    binding.matrixFree(this.#handle);
  }
}

let algorithmTable;

/** The native algorithm table, asked from Rust once (the single source of what the native runtime supports). */
export function nativeAlgorithms() {
  algorithmTable ??= Object.freeze(JSON.parse(binding.mlAlgorithms()).map((row) => Object.freeze(row)));
  return algorithmTable;
}

/** Checks sklearn-named hyperparameters; returns them with every default filled in. */
export function validateHyperparams(task, algorithm, hyperparams) {
  return JSON.parse(binding.mlValidate(task, algorithm, JSON.stringify(hyperparams ?? {})));
}

/** How often a fit with `onProgress` is polled for its progress. */
const PROGRESS_INTERVAL_MS = 200;

function fitArgs(input) {
  const { task, algorithm, hyperparams, x, rows, cols, y, yCols = 1, numClasses = 0 } = input ?? {};
  return [task, algorithm, JSON.stringify(hyperparams ?? {}), x, y, [rows, cols, yCols, numClasses]];
}

function fitResult({ model, nIter, status }) {
  return { model: new NativeModel(model), nIter, converged: status === 'converged' };
}

/** A fitted model held in native memory (released by the garbage collector); see index.d.ts. */
export class NativeModel {
  #handle;
  #info;

  constructor(handle) {
    if (typeof handle !== 'object' || handle === null) {
      throw new TypeError('NativeModel: use NativeModel.fit(), NativeModel.fitAsync() or NativeModel.fromBytes()');
    }
    this.#info = Object.freeze(binding.mlModelInfo(handle));
    this.#handle = handle;
  }

  static fit(input) {
    return fitResult(binding.mlFit(...fitArgs(input)));
  }

  static fitAsync(input, options) {
    const onProgress = options?.onProgress;
    if (typeof onProgress !== 'function') {
      return withSignal(options, (token) => binding.mlFitAsync(...fitArgs(input), token)).then(fitResult);
    }
    // The fit reports into its token from the worker thread; the JS thread polls it (no callback crosses threads).
    const token = binding.createCancelToken();
    let last = '';
    const poll = () => {
      const progress = binding.workProgress(token);
      const key = `${progress.done}/${progress.total}/${progress.unit}`;
      if (progress.unit !== '' && key !== last) {
        last = key;
        onProgress({ done: progress.done, ...(progress.total > 0 ? { total: progress.total } : {}), unit: progress.unit });
      }
    };
    const timer = setInterval(poll, PROGRESS_INTERVAL_MS);
    timer.unref?.();
    return withSignal(options, (t) => binding.mlFitAsync(...fitArgs(input), t), token)
      .then((result) => {
        poll(); // the last report, however short the fit
        return fitResult(result);
      })
      .finally(() => clearInterval(timer));
  }

  static fromBytes(bytes) {
    return new NativeModel(binding.mlDeserialize(bytes));
  }

  get task() {
    return this.#info.task;
  }

  get estimator() {
    return this.#info.estimator;
  }

  get numFeatures() {
    return this.#info.numFeatures;
  }

  get numOutputs() {
    return this.#info.numOutputs;
  }

  get numClasses() {
    return this.#info.numClasses;
  }

  get inlineRows() {
    return this.#info.rowPath === 'inline';
  }

  predict(x, rows) {
    return binding.mlPredict(this.#handle, x, rows);
  }

  predictAsync(x, rows, options) {
    return withSignal(options, (token) => binding.mlPredictAsync(this.#handle, x, rows, token));
  }

  predictProba(x, rows) {
    return binding.mlPredictProba(this.#handle, x, rows);
  }

  predictInto(x, rows, out) {
    binding.mlPredictInto(this.#handle, x, rows, out);
  }

  predictProbaInto(x, rows, out) {
    binding.mlPredictProbaInto(this.#handle, x, rows, out);
  }

  predictProbaAsync(x, rows, options) {
    return withSignal(options, (token) => binding.mlPredictProbaAsync(this.#handle, x, rows, token));
  }

  featureImportances() {
    const found = binding.mlFeatureImportances(this.#handle);
    if (found === undefined) return undefined;
    const rows = found.outputs.length;
    return { kind: found.kind, values: found.values, rows, outputs: Array.from(found.outputs, (o) => (o < 0 ? null : o)) };
  }

  toBytes() {
    return binding.mlSerialize(this.#handle);
  }
}
