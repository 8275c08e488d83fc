import {
  deploy,
  deployedModel,
  listDeployments,
  listModels,
  listProjects,
  loadDataset,
  loadExplanation,
  predict,
  predictBatch,
  predictJoint,
  predictProba,
  predictProbaBatch,
  predictRelation,
  predictRelationRows,
  takeSnapshot,
  train,
  type BatchPrediction,
  type Db,
  type DeploymentSummary,
  type DeployOptions,
  type DeployResult,
  type FeatureInput,
  type FeatureRows,
  type Label,
  type LoadedDataset,
  type ModelSummary,
  type ParityTable,
  type Prediction,
  type PredictOptions,
  type PredictRelationOptions,
  type PredictRelationResult,
  type ProjectSummary,
  type RelationPredictions,
  type SnapshotOptions,
  type SnapshotResult,
  type StoredExplanation,
  type TrainOptions,
  type TrainResult,
} from '@pgml-ts/core';
import { createPgDb } from './drivers/pg.js';
import { createPgliteDb, defaultDataDir } from './drivers/pglite.js';
import { modelInfo, type ModelInfo } from './model-info.js';
import { ClientRuntimes, type RuntimesReport } from './runtimes/client-runtimes.js';
import { loadParity } from './runtimes/parity.js';
import { createVectorApi, loadNative, type NativeModule, type VectorApi } from './vector.js';

export interface ConnectOptions {
  /** `postgres://…` for a PostgreSQL server (node-postgres pool). */
  url?: string;
  /** Directory of the embedded PGlite database (default `PGML_DATA_DIR` or `./.pgml`); `memory://` for tests. */
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
}

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

  private constructor(db: Db, ownsDb: boolean, native: NativeModule | Error, runtimes: ClientRuntimes) {
    this.#db = db;
    this.#ownsDb = ownsDb;
    this.#native = native;
    this.#runtimes = runtimes;
  }

  /** The database handle, for queries of your own. */
  get db(): Db {
    return this.#db;
  }

  /**
   * No argument: embedded PGlite in `PGML_DATA_DIR` or `./.pgml`. A `postgres://` URL: node-postgres pool.
   * A `Db`: used as is.
   */
  static async connect(target?: string | ConnectOptions | Db): Promise<PostgresML> {
    const options: ConnectOptions = isDb(target) ? { db: target } : typeof target === 'string' ? { url: target } : (target ?? {});
    // A missing native build must not stop connect, loadDataset or train on the python runtime.
    const native = await loadNative().catch((error: Error) => error);
    const parity = await loadParity(options.parity);
    const db =
      options.db ??
      (options.url
        ? createPgDb(options.url)
        : await createPgliteDb(options.dataDir ?? defaultDataDir(), { lockTimeout: options.lockTimeout }));
    return new PostgresML(db, !options.db, native, new ClientRuntimes(native, parity));
  }

  /** PostgresML's `pgml.load_dataset(name)`: one of breast_cancer, diabetes, digits, iris, linnerud, wine. */
  loadDataset(name: string): Promise<LoadedDataset> {
    return loadDataset(this.#db, name);
  }

  /** `pgml.snapshot`: records (and materializes, by default) a relation with its split settings, without training. */
  snapshot(options: SnapshotOptions): Promise<SnapshotResult> {
    return takeSnapshot(this.#db, options);
  }

  /** `pgml.train`: snapshot, fit, score, store and (when better) deploy, in one transaction. */
  train(project: string, options: TrainOptions = {}): Promise<TrainResult> {
    return train(this.#db, this.#runtimes.registry, project, options);
  }

  /** `pgml.predict` with the project's deployed model (or a model id): a number, or the class label. */
  predict(projectOrModelId: string | number, features: FeatureInput, options?: PredictOptions): Promise<Prediction> {
    return predict(this.#db, this.#runtimes.registry, projectOrModelId, features, options);
  }

  /** `pgml.predict_proba`: class probabilities in the order of `labels`. */
  predictProba(
    projectOrModelId: string | number,
    features: FeatureInput,
    options?: PredictOptions,
  ): Promise<{ probabilities: number[]; labels: Label[] }> {
    return predictProba(this.#db, this.#runtimes.registry, projectOrModelId, features, options);
  }

  /** `pgml.predict_joint`: every output of a multi-target regression (or a decomposition) for one row. */
  predictJoint(projectOrModelId: string | number, features: FeatureInput, options?: PredictOptions): Promise<number[]> {
    return predictJoint(this.#db, this.#runtimes.registry, projectOrModelId, features, options);
  }

  /** `pgml.predict_batch`: many rows in one runtime call. */
  predictBatch(projectOrModelId: string | number, rows: FeatureRows, options?: PredictOptions): Promise<BatchPrediction> {
    return predictBatch(this.#db, this.#runtimes.registry, projectOrModelId, rows, options);
  }

  /** Probabilities for many rows: rows × classes, row-major. */
  predictProbaBatch(
    projectOrModelId: string | number,
    rows: FeatureRows,
    options?: PredictOptions,
  ): Promise<{ probabilities: Float64Array; rows: number; labels: Label[] }> {
    return predictProbaBatch(this.#db, this.#runtimes.registry, projectOrModelId, rows, options);
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

  /** `pgml.deploy(project, strategy, algorithm)`; strategy defaults to best_score. */
  deploy(project: string, options?: DeployOptions): Promise<DeployResult> {
    return deploy(this.#db, project, options);
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

  /** Closes the database when `connect` opened it, and the python worker when no other client uses it. Idempotent. */
  async close(): Promise<void> {
    await this.#runtimes.close();
    if (this.#ownsDb) await this.#db.close();
  }
}
