import {
  InvalidArgument,
  decomposeLoaded,
  defaultModelCache,
  deleteModel,
  deleteProject,
  deploy,
  deployModel,
  deployedModel,
  exportModel,
  importModel,
  listDeployments,
  listModels,
  listProjects,
  loadDataset,
  DeploymentServing,
  predictBatchLoaded,
  predictJointLoaded,
  predictLoaded,
  predictProbaBatchLoaded,
  predictProbaLoaded,
  loadExplanation,
  predictRelation,
  predictRelationRows,
  takeSnapshot,
  train,
  type BatchPrediction,
  type Db,
  type DeleteOptions,
  type DeleteResult,
  type DeploymentSummary,
  type DeployOptions,
  type DeployResult,
  type ExportedModel,
  type FeatureInput,
  type FeatureRows,
  type ImportOptions,
  type ImportResult,
  type Label,
  type LoadDatasetOptions,
  type LoadedDataset,
  type LoadedModel,
  type ModelSummary,
  type ParityTable,
  type Prediction,
  type PredictOptions,
  type PredictRelationOptions,
  type PredictRelationResult,
  type ProjectSummary,
  type RelationPredictions,
  type ServingOptions,
  type ServingStats,
  type SnapshotOptions,
  type SnapshotResult,
  type StoredExplanation,
  type TrainOptions,
  type TrainResult,
  type Task,
} from '@pgml-ts/core';
import { connectPgDb } from './drivers/pg.js';
import { createPgliteDb, defaultDataDir } from './drivers/pglite.js';
import type { AlgorithmEntry } from './catalogue/catalogue.js';
import { modelInfo, type ModelInfo } from './model-info.js';
import { ClientRuntimes, type RuntimesReport } from './runtimes/client-runtimes.js';
import { loadParity } from './runtimes/parity.js';
import { createVectorApi, loadNative, type NativeModule, type VectorApi } from './vector.js';

export interface ConnectOptions {
  /** `postgres://…` for a PostgreSQL server (node-postgres pool). Default: `DATABASE_URL`, unless `dataDir` is given. */
  url?: string;
  /**
   * Directory of the embedded PGlite database; `memory://` for tests. Used when neither `url` nor `DATABASE_URL` is
   * set (default `PGML_DATA_DIR` or `./.pgml`); giving it explicitly chooses the embedded database over `DATABASE_URL`.
   */
  dataDir?: string;
  /**
   * The embedded database is single-process: while one process has `dataDir` open, another's `connect` fails with
   * `DATABASE_LOCKED` naming that process. `lockTimeout` (ms) waits that long for it instead; default
   * `PGML_LOCK_TIMEOUT`, else 0 (fail at once). PostgreSQL (`url`) has no such limit.
   */
  lockTimeout?: number;
  /** An existing `Db`; `close()` then leaves it open. */
  db?: Db;
  /**
   * The parity table `runtime: 'auto'` follows, or the path of its JSON file. Default: the file named by
   * `PGML_PARITY_FILE`, else the `parity.json` shipped with this package, else none (auto then prefers native
   * wherever it implements the algorithm).
   */
  parity?: ParityTable | string;
  /**
   * In-process serving (README "Serving"): `predict` learns the deployed model from notifications instead of one
   * query per call. Default `{ mode: PGML_SERVING or 'auto' }`; `{ mode: 'per-call' }` queries on every call.
   */
  serving?: ServingOptions;
}

/** Tasks whose predictions are numbers (classification gives the label, in the y column's type). */
export type NumericTask = Exclude<Task, 'classification'>;

function isDb(value: unknown): value is Db {
  const v = value as Partial<Db> | undefined;
  return typeof v?.query === 'function' && typeof v.transaction === 'function' && typeof v.copyOut === 'function';
}

/**
 * PostgresML's API next to your data: in PostgreSQL via `pg`, or embedded via PGlite. Method names and options are
 * PostgresML's SQL functions and arguments in camelCase, with PostgresML's defaults.
 */
export class PostgresML {
  #vector: VectorApi | undefined;
  readonly #db: Db;
  readonly #ownsDb: boolean;
  /** The native module, or why it could not be loaded (reported when `vector` is first used). */
  readonly #native: NativeModule | Error;
  readonly #runtimes: ClientRuntimes;
  readonly #serving: DeploymentServing;

  private constructor(db: Db, ownsDb: boolean, native: NativeModule | Error, runtimes: ClientRuntimes, serving: ServingOptions) {
    this.#db = db;
    this.#ownsDb = ownsDb;
    this.#native = native;
    this.#runtimes = runtimes;
    this.#serving = new DeploymentServing(db, runtimes.registry, defaultModelCache, serving);
  }

  /** The database handle, for queries of your own. */
  get db(): Db {
    return this.#db;
  }

  /**
   * Where it connects, as the `pgml` CLI: a `postgres://` URL (node-postgres pool), else `DATABASE_URL`, else the
   * embedded PGlite in `PGML_DATA_DIR` or `./.pgml`; an explicit `dataDir` or `Db` wins over `DATABASE_URL`.
   * PostgreSQL is logged in to here, so a server that is down or refuses the login fails with `CONNECTION_FAILED`.
   */
  static async connect(target?: string | ConnectOptions | Db): Promise<PostgresML> {
    const options: ConnectOptions = isDb(target) ? { db: target } : typeof target === 'string' ? { url: target } : (target ?? {});
    // A missing native build must not stop connect, loadDataset or train on the python runtime.
    const native = await loadNative().catch((error: Error) => error);
    const parity = await loadParity(options.parity);
    const url = options.url ?? (options.db || options.dataDir ? undefined : process.env.DATABASE_URL || undefined);
    const db =
      options.db ??
      (url !== undefined
        ? await connectPgDb(url)
        : await createPgliteDb(options.dataDir ?? defaultDataDir(), { lockTimeout: options.lockTimeout }));
    const serving = { mode: servingModeFromEnv(), ...options.serving };
    return new PostgresML(db, !options.db, native, new ClientRuntimes(native, parity), serving);
  }

  /** PostgresML's `pgml.load_dataset(name, limit)`: one of breast_cancer, diabetes, digits, iris, linnerud, wine. */
  loadDataset(name: string, options?: LoadDatasetOptions): Promise<LoadedDataset> {
    return loadDataset(this.#db, name, options);
  }

  /** `pgml.snapshot`: records (and materializes, by default) a relation with its split settings, without training. */
  snapshot(options: SnapshotOptions): Promise<SnapshotResult> {
    return takeSnapshot(this.#db, options);
  }

  /**
   * `pgml.train`: snapshot, fit, score, store and (when better) deploy, in one transaction. With `task` given,
   * `algorithm` is typed as that task's names.
   */
  train<T extends Task = Task>(project: string, options: TrainOptions<T> = {}): Promise<TrainResult> {
    return this.#changesDeployments(train(this.#db, this.#runtimes.registry, project, options));
  }

  /** `pgml.train_joint`: `train` with several y columns (joint, multi-target regression). */
  trainJoint(project: string, options: TrainOptions & { yColumnName?: string[] } = {}): Promise<TrainResult> {
    if (options.yColumnName !== undefined && !Array.isArray(options.yColumnName)) {
      throw new InvalidArgument('trainJoint takes yColumnName as an array of column names');
    }
    return this.#changesDeployments(train(this.#db, this.#runtimes.registry, project, options));
  }

  /**
   * `pgml.predict` with the project's deployed model (or a model id): a number, or the class label. Say the task
   * (`{ task: 'regression' }`) to have the result typed `number`; a model of another task is then refused.
   */
  predict(projectOrModelId: string | number, features: FeatureInput, options: PredictOptions & { task: NumericTask }): Promise<number>;
  predict(projectOrModelId: string | number, features: FeatureInput, options?: PredictOptions): Promise<Prediction>;
  predict(projectOrModelId: string | number, features: FeatureInput, options?: PredictOptions): Promise<Prediction> {
    return this.#serve(projectOrModelId, features, options, predictLoaded);
  }

  /** `pgml.predict_proba`: class probabilities in the order of `labels`. */
  predictProba(
    projectOrModelId: string | number,
    features: FeatureInput,
    options?: PredictOptions,
  ): Promise<{ probabilities: number[]; labels: Label[] }> {
    return this.#serve(projectOrModelId, features, options, predictProbaLoaded);
  }

  /** `pgml.predict_joint`: every output of a multi-target regression (or a decomposition) for one row. */
  predictJoint(projectOrModelId: string | number, features: FeatureInput, options?: PredictOptions): Promise<number[]> {
    return this.#serve(projectOrModelId, features, options, predictJointLoaded);
  }

  /** `pgml.decompose`: the components of one row by the project's deployed decomposition model (or a model id). */
  decompose(projectOrModelId: string | number, features: FeatureInput, options?: PredictOptions): Promise<number[]> {
    return this.#serve(projectOrModelId, features, options, decomposeLoaded);
  }

  /** `pgml.predict_batch`: many rows in one runtime call (numbers as a `Float64Array` when `task` says so). */
  predictBatch(
    projectOrModelId: string | number,
    rows: FeatureRows,
    options: PredictOptions & { task: NumericTask },
  ): Promise<BatchPrediction<Float64Array>>;
  predictBatch(projectOrModelId: string | number, rows: FeatureRows, options?: PredictOptions): Promise<BatchPrediction>;
  predictBatch(projectOrModelId: string | number, rows: FeatureRows, options?: PredictOptions): Promise<BatchPrediction> {
    return this.#serve(projectOrModelId, rows, options, predictBatchLoaded);
  }

  /** Probabilities for many rows: rows × classes, row-major. */
  predictProbaBatch(
    projectOrModelId: string | number,
    rows: FeatureRows,
    options?: PredictOptions,
  ): Promise<{ probabilities: Float64Array; rows: number; labels: Label[] }> {
    return this.#serve(projectOrModelId, rows, options, predictProbaBatchLoaded);
  }

  /**
   * Scores every row of a table or view with the deployed model (or a model id) and writes `(key…, prediction[,
   * probabilities])` into a new table `into`, in one transaction, batch by batch through binary COPY (memory stays
   * bounded by `batchRows`).
   */
  predictRelation(projectOrModelId: string | number, relation: string, options: PredictRelationOptions): Promise<PredictRelationResult> {
    return predictRelation(this.#db, this.#runtimes.registry, projectOrModelId, relation, options);
  }

  /** Predictions for (up to `limit`) rows of a table or view, returned rather than written (see `predictRelation`). */
  predictRelationRows(
    projectOrModelId: string | number,
    relation: string,
    options: { limit?: number; proba?: boolean; signal?: AbortSignal } = {},
  ): Promise<RelationPredictions> {
    return predictRelationRows(this.#db, this.#runtimes.registry, projectOrModelId, relation, options);
  }

  /**
   * `pgml.deploy(project, strategy, algorithm)`; strategy defaults to best_score. A model id instead of a project
   * deploys that model, as PostgresML 2.x's `pgml.deploy(model_id)` (recorded with strategy `specific`).
   */
  deploy(projectOrModelId: string | number, options?: DeployOptions): Promise<DeployResult> {
    if (typeof projectOrModelId === 'number') {
      if (options !== undefined) throw new InvalidArgument('deploy(modelId) takes no options: the model is the choice');
      return this.#changesDeployments(deployModel(this.#db, projectOrModelId));
    }
    return this.#changesDeployments(deploy(this.#db, projectOrModelId, options));
  }

  /** The model predict would use for a project (its deployed model) or a model id, and the features it takes. */
  async model(projectOrModelId: string | number): Promise<ModelInfo> {
    return modelInfo(await deployedModel(this.#db, this.#runtimes.registry, projectOrModelId));
  }

  /**
   * Why a model is good, as measured on its test split at train time: the confusion matrix and ROC / precision–recall
   * curves (classification), residuals (regression), cluster sizes or explained variance, and feature importances.
   * A project name gives its deployed model; a number, that model. NO_EXPLANATION for models trained before
   * explanations were recorded.
   */
  explain(projectOrModelId: string | number): Promise<StoredExplanation> {
    return loadExplanation(this.#db, projectOrModelId);
  }

  projects(): Promise<ProjectSummary[]> {
    return listProjects(this.#db);
  }

  models(options: { project?: string } = {}): Promise<ModelSummary[]> {
    return listModels(this.#db, options);
  }

  deployments(options: { project?: string } = {}): Promise<DeploymentSummary[]> {
    return listDeployments(this.#db, options);
  }

  /**
   * The algorithm catalogue: every algorithm (of `task`, or of all tasks), which runtimes have it and, per runtime,
   * each hyperparameter with its type, default and allowed values, from the tables the runtimes validate with.
   */
  algorithms(task?: Task): AlgorithmEntry[] {
    return this.#runtimes.catalogue(task);
  }

  /**
   * Deletes a model with its stored file and deployments, and its snapshot (table included) when no other model was
   * trained on it — in one transaction. The deployed model is refused (`CONFLICT`) unless `force: true`.
   */
  deleteModel(modelId: number, options?: DeleteOptions): Promise<DeleteResult> {
    return this.#changesDeployments(deleteModel(this.#db, modelId, options));
  }

  /** Deletes a project, its models, deployments and snapshots (tables included), in one transaction; a project with a
   * deployed model needs `force: true`. */
  deleteProject(project: string, options?: DeleteOptions): Promise<DeleteResult> {
    return this.#changesDeployments(deleteProject(this.#db, project, options));
  }

  /**
   * A model (a project's deployed one, or a model id) as the bytes of an export file: the checksummed model format
   * with its feature layout and preprocessing, hyperparameters and metrics. Write them to a file; `importModel`
   * reads them into any database.
   */
  exportModel(projectOrModelId: string | number): Promise<ExportedModel> {
    return exportModel(this.#db, projectOrModelId);
  }

  /** Stores an exported model in this database (its project created if missing), checked before anything is written. */
  importModel(bytes: Uint8Array, options?: ImportOptions): Promise<ImportResult> {
    return this.#changesDeployments(importModel(this.#db, this.#runtimes.registry, bytes, options));
  }

  /** Which runtime `runtime: 'auto'` uses for every algorithm, and why; starts nothing. */
  runtimes(): RuntimesReport {
    return this.#runtimes.report();
  }

  /** PostgresML's vector functions over the native kernels; `NATIVE_UNAVAILABLE` when the native build is missing. */
  get vector(): VectorApi {
    if (this.#native instanceof Error) throw this.#native;
    this.#vector ??= createVectorApi(this.#native, this.#db);
    return this.#vector;
  }

  /**
   * How predicts learn the deployed model: `mode` (`listening` — notified, no query per call; `polling` — a hot
   * standby or a database that cannot notify, bounded by `maxStalenessMs`; `per-call` — one query per call, also
   * while the listening connection is down), hits, lookups and the last notification's lag.
   */
  servingStats(): ServingStats {
    return this.#serving.stats();
  }

  /**
   * A predict on the model this process serves `projectOrModelId` with: synchronous on a hit (the single-row path
   * allocates nothing but its result), one lookup on a miss. `options.cache` asks for that cache: per-call lookup.
   */
  #serve<I, R>(
    projectOrModelId: string | number,
    input: I,
    options: PredictOptions | undefined,
    run: (model: LoadedModel, input: I, signal?: AbortSignal) => R | Promise<R>,
  ): Promise<R> {
    try {
      const model = options?.cache
        ? deployedModel(this.#db, this.#runtimes.registry, projectOrModelId, options)
        : this.#serving.model(projectOrModelId, options?.task);
      if (model instanceof Promise) return model.then((m) => run(m, input, options?.signal));
      return Promise.resolve(run(model, input, options?.signal));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** This process changed deployments: serve the change at once rather than when its notification arrives. */
  #changesDeployments<T>(change: Promise<T>): Promise<T> {
    return change.finally(() => this.#serving.invalidateAll());
  }

  /** Closes the database when `connect` opened it, and the python worker when no other client uses it. Idempotent. */
  async close(): Promise<void> {
    await this.#serving.close();
    await this.#runtimes.close();
    if (this.#ownsDb) await this.#db.close();
  }
}

function servingModeFromEnv(): ServingOptions['mode'] {
  const mode = process.env.PGML_SERVING;
  if (mode === undefined || mode === '') return 'auto';
  if (mode === 'auto' || mode === 'per-call') return mode;
  throw new InvalidArgument(`PGML_SERVING must be auto or per-call, got ${JSON.stringify(mode)}`);
}
