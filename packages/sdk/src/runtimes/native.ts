/**
 * The `native` runtime (docs/architecture.md#runtimes): core's `Runtime` over `@pgml-ts/native`'s models. What it
 * supports is asked from the Rust algorithm table (`nativeAlgorithms()`), so TypeScript keeps no second list; every
 * heavy call uses the async twins (libuv threadpool, AbortSignal).
 */
import {
  AlgorithmUnavailable,
  CorruptModel,
  DimensionMismatch,
  PgmlError,
  type FitInput,
  type FittedModel,
  type InlinePredictor,
  type Matrix,
  type ModelImportances,
  type Runtime,
  type Task,
} from '@pgml-ts/core';
import type { NativeModel, NativeTask } from '@pgml-ts/native';
import { fromNativeError, nativeAsync, withNativeErrors } from '../native-errors.js';
import { loadNative, type NativeModule } from '../vector.js';

function checkFeatures(model: FittedModel, x: Matrix): void {
  if (x.cols !== model.numFeatures) throw new DimensionMismatch(model.numFeatures, x.cols, 'feature');
  if (x.data.length !== x.rows * x.cols) throw new DimensionMismatch(x.rows * x.cols, x.data.length, 'matrix');
}

export class NativeRuntime implements Runtime {
  readonly name = 'native' as const;
  readonly #native: NativeModule;

  constructor(native: NativeModule) {
    this.#native = native;
  }

  /** Loads `@pgml-ts/native` (NATIVE_UNAVAILABLE if its binary is missing). */
  static async load(): Promise<NativeRuntime> {
    return new NativeRuntime(await loadNative());
  }

  supports(task: Task, algorithm: string): boolean {
    return this.#native.nativeAlgorithms().some((a) => a.task === task && a.algorithm === algorithm);
  }

  #nativeTask(task: Task, algorithm: string): NativeTask {
    if (!this.supports(task, algorithm)) {
      throw new AlgorithmUnavailable(algorithm, `the native runtime has no ${task} implementation`, { task });
    }
    return task as NativeTask;
  }

  validateHyperparams(task: Task, algorithm: string, hyperparams: Record<string, unknown>): Record<string, unknown> {
    const nativeTask = this.#nativeTask(task, algorithm);
    return withNativeErrors(this.#native.validateHyperparams)(nativeTask, algorithm, hyperparams);
  }

  async fit(input: FitInput): Promise<FittedModel> {
    const task = this.#nativeTask(input.task, input.algorithm);
    // Clustering and decomposition fit on X alone (predict → cluster index / transformed components).
    const supervised = task === 'regression' || task === 'classification';
    if (supervised && !input.y) throw new PgmlError('INVALID_ARGUMENT', `${input.task} needs targets (y)`);
    const targets = supervised && input.y ? { y: input.y.data, yCols: input.y.cols } : {};
    const { model } = await nativeAsync(() =>
      this.#native.NativeModel.fitAsync(
        {
          task,
          algorithm: input.algorithm,
          hyperparams: input.hyperparams,
          x: input.x.data,
          rows: input.x.rows,
          cols: input.x.cols,
          ...targets,
          numClasses: input.numClasses ?? 0,
        },
        { signal: input.signal, ...(input.onProgress ? { onProgress: input.onProgress } : {}) },
      ),
    );
    return this.#wrap(model, input.task, input.algorithm);
  }

  #wrap(model: NativeModel, task: Task, algorithm: string): FittedModel {
    return {
      runtime: 'native',
      task,
      algorithm,
      numFeatures: model.numFeatures,
      numOutputs: model.numOutputs,
      ...(model.numClasses === undefined ? {} : { numClasses: model.numClasses }),
      handle: model,
    };
  }

  #handle(model: FittedModel): NativeModel {
    if (model.runtime !== 'native' || !(model.handle instanceof this.#native.NativeModel)) {
      throw new PgmlError('INVALID_ARGUMENT', `model of runtime ${model.runtime} passed to the native runtime`);
    }
    return model.handle;
  }

  predict(model: FittedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array> {
    return nativeAsync(() => {
      checkFeatures(model, x);
      return this.#handle(model).predictAsync(x.data, x.rows, { signal });
    });
  }

  predictProba(model: FittedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array> {
    return nativeAsync(() => {
      checkFeatures(model, x);
      return this.#handle(model).predictProbaAsync(x.data, x.rows, { signal });
    });
  }

  /**
   * Rust estimators predict a row in about a microsecond: on the calling thread that beats a trip through the
   * thread pool by two orders of magnitude. XGBoost (`inlineRows` false) keeps the async path.
   */
  inline(model: FittedModel): InlinePredictor | undefined {
    const native = this.#handle(model);
    if (!native.inlineRows) return undefined;
    // Plain try/catch, not `withNativeErrors`: its rest parameters would allocate an array on every call.
    const predictInto = (x: Float64Array, rows: number, out: Float64Array): void => {
      try {
        native.predictInto(x, rows, out);
      } catch (error) {
        throw fromNativeError(error);
      }
    };
    if (!model.numClasses) return { predictInto };
    const predictProbaInto = (x: Float64Array, rows: number, out: Float64Array): void => {
      try {
        native.predictProbaInto(x, rows, out);
      } catch (error) {
        throw fromNativeError(error);
      }
    };
    return { predictInto, predictProbaInto };
  }

  /** `NativeModel.featureImportances()`: coefficients, impurity or gain where the estimator has them. */
  async featureImportances(model: FittedModel): Promise<ModelImportances | undefined> {
    return nativeAsync(() => this.#handle(model).featureImportances());
  }

  serialize(model: FittedModel): Promise<Uint8Array> {
    return nativeAsync(() => this.#handle(model).toBytes());
  }

  deserialize(payload: Uint8Array, meta: Omit<FittedModel, 'handle' | 'runtime'>): Promise<FittedModel> {
    return nativeAsync(() => {
      const model = this.#native.NativeModel.fromBytes(payload);
      if (model.numFeatures !== meta.numFeatures || model.task !== meta.task) {
        throw new CorruptModel(
          `payload is a ${model.task} model over ${model.numFeatures} features, the model record says ` +
            `${meta.task} over ${meta.numFeatures}`,
        );
      }
      return this.#wrap(model, meta.task, meta.algorithm);
    });
  }
}
