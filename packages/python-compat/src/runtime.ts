/**
 * `PythonRuntime`: the core `Runtime` over the scikit-learn worker. Fitted estimators live in the worker under a
 * key; the handle also keeps the estimator's pickle, so when the worker has restarted (crash, timeout, another
 * process generation) the model is re-loaded from those bytes transparently.
 */
import {
  EmptyInput,
  InvalidArgument,
  PgmlError,
  type FitInput,
  type FittedModel,
  type Matrix,
  type ModelImportances,
  type Runtime,
  type Task,
} from '@pgml-ts/core';
import { assertPythonAlgorithm, estimatorClass } from './algorithms.js';
import type { F64Buffer, Header } from './protocol.js';
import { PythonWorker, type CallResult } from './worker.js';

/** What a python `FittedModel.handle` holds. */
export interface PythonModelHandle {
  /** Key of the estimator in the worker's cache. */
  readonly key: string;
  /** `pickle.dumps(estimator)`: the runtime payload, and the source for re-loading after a worker restart. */
  readonly pickle: Uint8Array;
  /** Fully qualified estimator class, e.g. 'sklearn.ensemble._forest.RandomForestClassifier'. */
  readonly className: string;
  readonly hasProba: boolean;
  /** The estimator has decision_function (margins), used for roc_auc when it has no predict_proba. */
  readonly hasDecisionFunction: boolean;
  /** `classes_` of a classifier as stored (v1 pickles may hold raw labels rather than 0..k-1). */
  readonly classes?: readonly (number | string)[];
  /** Python warnings raised while fitting or loading (e.g. ConvergenceWarning). */
  readonly warnings: readonly string[];
}

export interface PythonRuntimeOptions {
  /** Default: the process-wide `PythonWorker.default()`. */
  worker?: PythonWorker;
  /** Per-call timeout for fit (default none) and predict (default none). */
  fitTimeoutMs?: number;
  predictTimeoutMs?: number;
}

interface WireImportances {
  kind: ModelImportances['kind'];
  values: number[][];
  outputs: Array<number | string | null>;
}

interface WireModelInfo {
  className: string;
  numFeatures: number | null;
  hasProba: boolean;
  hasDecisionFunction: boolean;
  classes?: (number | string)[];
  numOutputs?: number;
}

let nextKey = 0;

export class PythonRuntime implements Runtime {
  readonly name = 'python' as const;
  private readonly options: PythonRuntimeOptions;
  /** Frees worker-side estimators whose handles were garbage collected. */
  private readonly finalizer = new FinalizationRegistry<string>((key) => {
    const worker = this.worker;
    if (worker.running) worker.call('free', { keys: [key] }).catch(() => undefined);
  });

  constructor(options: PythonRuntimeOptions = {}) {
    this.options = options;
  }

  get worker(): PythonWorker {
    return this.options.worker ?? PythonWorker.default();
  }

  supports(task: Task, algorithm: string): boolean {
    return estimatorClass(task, algorithm) !== undefined;
  }

  /**
   * Structural checks only (this interface is synchronous): scikit-learn itself validates names, types and ranges
   * when the estimator is built, at the start of `fit` or in `checkHyperparams`, as INVALID_HYPERPARAMETER.
   */
  validateHyperparams(task: Task, algorithm: string, hyperparams: Record<string, unknown>): Record<string, unknown> {
    assertPythonAlgorithm(task, algorithm);
    if (hyperparams === null || typeof hyperparams !== 'object' || Array.isArray(hyperparams)) {
      throw new PgmlError('INVALID_HYPERPARAMETER', 'hyperparams must be a JSON object', { algorithm });
    }
    for (const [name, value] of Object.entries(hyperparams)) {
      if (!isJsonValue(value)) {
        throw new PgmlError('INVALID_HYPERPARAMETER', `hyperparameter ${name} of ${algorithm} is not a JSON value`, {
          algorithm,
          name,
        });
      }
    }
    return hyperparams;
  }

  /** Full validation by scikit-learn (constructs the estimator in the worker without fitting). */
  async checkHyperparams(task: Task, algorithm: string, hyperparams: Record<string, unknown>): Promise<void> {
    this.validateHyperparams(task, algorithm, hyperparams);
    await this.worker.call('fit', { task, algorithm, hyperparams, validateOnly: true });
  }

  async fit(input: FitInput): Promise<FittedModel> {
    const { task, algorithm } = input;
    const hyperparams = this.validateHyperparams(task, algorithm, input.hyperparams);
    checkMatrix(input.x, 'x');
    const buffers: F64Buffer[] = [asBuffer(input.x)];
    if (task === 'regression' || task === 'classification') {
      if (!input.y) throw new InvalidArgument(`${task} needs y`);
      checkMatrix(input.y, 'y');
      if (input.y.rows !== input.x.rows) {
        throw new InvalidArgument(`x has ${input.x.rows} rows but y has ${input.y.rows}`);
      }
      buffers.push(asBuffer(input.y));
    }
    const key = newKey();
    const reply = await this.worker.call('fit', { key, task, algorithm, hyperparams }, buffers, {
      timeoutMs: this.options.fitTimeoutMs,
      signal: input.signal,
    });
    const pickle = reply.buffers[0] as Uint8Array;
    const info = reply.result as unknown as WireModelInfo;
    return this.model(key, pickle, info, reply.warnings, {
      task,
      algorithm,
      numFeatures: input.x.cols,
      numOutputs: info.numOutputs ?? (task === 'regression' ? input.y!.cols : 1),
      numClasses: input.numClasses,
    });
  }

  async predict(model: FittedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array> {
    const reply = await this.callWithModel(model, 'predict', x, {}, signal);
    return (reply.buffers[0] as F64Buffer).data;
  }

  async predictProba(model: FittedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array> {
    const handle = handleOf(model);
    if (!handle.hasProba) {
      throw new InvalidArgument(
        `${handle.className} has no predict_proba` +
          (/\.(SVC|NuSVC)$/.test(handle.className) ? ' (train it with hyperparams {"probability": true})' : ''),
        { algorithm: model.algorithm },
      );
    }
    const reply = await this.callWithModel(model, 'predict_proba', x, { numClasses: model.numClasses }, signal);
    return (reply.buffers[0] as F64Buffer).data;
  }

  /** The margins of a binary classifier without probabilities (see Runtime.decisionFunction). */
  async decisionFunction(model: FittedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array | undefined> {
    if (!handleOf(model).hasDecisionFunction) return undefined;
    const reply = await this.callWithModel(model, 'decision_function', x, {}, signal);
    return (reply.buffers[0] as F64Buffer).data;
  }

  /** `coef_` / `feature_importances_` / XGBoost gain as the estimator reports them (worker's explain.py). */
  async featureImportances(model: FittedModel): Promise<ModelImportances | undefined> {
    const reply = await this.callWithModel(model, 'importances', undefined, {});
    const found = (reply.result as { importances: WireImportances | null }).importances;
    if (!found) return undefined;
    return {
      kind: found.kind,
      values: Float64Array.from(found.values.flat()),
      rows: found.values.length,
      outputs: found.outputs,
    };
  }

  async serialize(model: FittedModel): Promise<Uint8Array> {
    return handleOf(model).pickle;
  }

  /**
   * Loads `pickle.dumps(estimator)` bytes — ours or a PostgresML 1.0 model's — through the worker's restricted
   * unpickler. Refused globals and unreadable bytes → CORRUPT_MODEL (details.refused names a refused global).
   */
  async deserialize(payload: Uint8Array, meta: Omit<FittedModel, 'handle' | 'runtime'>): Promise<FittedModel> {
    const key = newKey();
    const reply = await this.worker.call('load', { key, task: meta.task }, [payload]);
    const info = reply.result as unknown as WireModelInfo;
    if (info.numFeatures !== null && info.numFeatures !== meta.numFeatures) {
      throw new PgmlError(
        'CORRUPT_MODEL',
        `the pickled ${info.className} expects ${info.numFeatures} features, the model record says ${meta.numFeatures}`,
        { expected: meta.numFeatures, got: info.numFeatures },
      );
    }
    return this.model(key, payload, info, reply.warnings, meta);
  }

  /** Drops the worker-side estimator now (it is re-loaded from the handle's bytes if used again). */
  async release(model: FittedModel): Promise<void> {
    if (this.worker.running) await this.worker.call('free', { keys: [handleOf(model).key] });
  }

  async close(): Promise<void> {
    await this.worker.close();
  }

  private model(
    key: string,
    pickle: Uint8Array,
    info: WireModelInfo,
    warnings: string[],
    meta: Omit<FittedModel, 'handle' | 'runtime'>,
  ): FittedModel {
    const handle: PythonModelHandle = {
      key,
      pickle,
      className: info.className,
      hasProba: info.hasProba,
      hasDecisionFunction: info.hasDecisionFunction,
      classes: info.classes,
      warnings,
    };
    this.finalizer.register(handle, key);
    return { ...meta, runtime: 'python', handle };
  }

  private async callWithModel(
    model: FittedModel,
    method: 'predict' | 'predict_proba' | 'decision_function' | 'importances',
    x: Matrix | undefined,
    params: Header,
    signal?: AbortSignal,
  ): Promise<CallResult> {
    const handle = handleOf(model);
    if (x) checkMatrix(x, 'x');
    const options = { timeoutMs: this.options.predictTimeoutMs, signal };
    const buffers = x ? [asBuffer(x)] : [];
    const call = (): Promise<CallResult> => this.worker.call(method, { ...params, key: handle.key }, buffers, options);
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof PgmlError && error.details.workerCode === 'UNKNOWN_MODEL')) throw error;
      // The worker restarted since this model was fitted or loaded: re-load it from its bytes and retry once.
      await this.worker.call('load', { key: handle.key, task: model.task }, [handle.pickle], options);
      return call();
    }
  }
}

function newKey(): string {
  return `m${process.pid}-${++nextKey}`;
}

function handleOf(model: FittedModel): PythonModelHandle {
  const handle = model.handle as PythonModelHandle | undefined;
  if (model.runtime !== 'python' || !handle || typeof handle.key !== 'string' || !(handle.pickle instanceof Uint8Array)) {
    throw new InvalidArgument(`model of runtime ${model.runtime} is not a python runtime model`);
  }
  return handle;
}

function checkMatrix(m: Matrix, what: string): void {
  if (m.rows === 0 || m.cols === 0) throw new EmptyInput(what);
  if (m.data.length !== m.rows * m.cols) {
    throw new InvalidArgument(`${what} has ${m.data.length} values, expected rows × cols = ${m.rows * m.cols}`);
  }
}

function asBuffer(m: Matrix): F64Buffer {
  return { data: m.data, shape: [m.rows, m.cols] };
}

function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') return Object.values(value as object).every(isJsonValue);
  return false;
}
