export * from './errors.js';
export type { ChannelEvents, ChannelSubscription, CopySink, Db, QueryResult, WireHandback } from './db.js';
export type {
  FitInput,
  FitProgress,
  FittedModel,
  InlinePredictor,
  Matrix,
  ModelImportances,
  Runtime,
  RuntimeName,
  StoredRuntimeName,
  Task,
} from './runtime.js';
export * from './db/index.js';
export * from './datasets/index.js';
export { ensureSchema, schemaVersion } from './schema/ensure-schema.js';
export { foreignSchema, MigrationRequired, type ForeignSchema } from './schema/foreign-schema.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, RECORDED_STRATEGIES, STRATEGIES, type Migration } from './schema/migrations.js';
export { ALGORITHMS, isAlgorithmName, isKnownAlgorithm, NOT_INSTALLABLE, notInstallableReason, type AlgorithmName } from './algorithms.js';
export { ALGORITHM_NAMES } from './algorithms.generated.js';
export * from './catalogue/hyperparams.js';
export { editDistance, nearestName } from './suggest.js';
export {
  parseParityTable,
  RUNTIME_CHOICES,
  RuntimeRegistry,
  type ParityEntry,
  type ParityTable,
  type RuntimeChoice,
  type RuntimeRegistryOptions,
} from './registry.js';
export { ModelCache, type ModelCacheOptions } from './model-cache.js';
export { loadModelFile, MODEL_FILE_PATH, saveModelFile } from './model-store.js';
export { NoDeployedModel, UnknownProject, type Project } from './project/projects.js';
export { deleteModel, deleteProject, type DeleteOptions, type DeleteResult } from './lifecycle/delete.js';
export {
  exportModel,
  importModel,
  type ExportedModel,
  type ExportRecord,
  type ImportOptions,
  type ImportResult,
} from './lifecycle/transfer.js';
export { deploy, deployModel, type DeployOptions, type DeployResult, type DeployStrategy, type RecordedStrategy } from './project/deploy.js';
export {
  listDeployments,
  listModels,
  listProjects,
  type DeploymentSummary,
  type ModelMetrics,
  type ModelSummary,
  type ProjectSummary,
} from './project/listing.js';
export * from './ml/random.js';
export * from './ml/split.js';
export * from './ml/metrics.js';
export * from './ml/unsupervised-metrics.js';
export * from './ml/task-metrics.js';
export * from './ml/preprocess-state.js';
export type * from './data/table-engine.js';
export * from './ml/search.js';
export * from './ml/model-format.js';
export { classifyColumn, type ColumnKind, type SnapshotColumn } from './snapshot/columns.js';
export { createSnapshot, lastSnapshot, snapshotTableName, type Snapshot } from './snapshot/snapshot.js';
export { inputMatrix, rawWidth, type FeatureInput, type FeatureLayout, type FeatureRows } from './snapshot/features.js';
export { train, type StoredModelMeta, type TrainResult } from './train/train.js';
export type { TrainTimings } from './train/timings.js';
export { resolveTrainOptions, taskAlgorithm, type TrainOptions, type TrainProgress, type TrainStage } from './train/options.js';
export { decodeLabel, type Label, type LabelValues } from './train/labels.js';
export { defaultModelCache, deployedModel, type LoadedModel, type ModelLookupOptions } from './predict/deployed-model.js';
export {
  decompose,
  decomposeLoaded,
  predict,
  predictBatch,
  predictBatchLoaded,
  predictJoint,
  predictJointLoaded,
  predictLoaded,
  predictProba,
  predictProbaBatch,
  predictProbaBatchLoaded,
  predictProbaLoaded,
  DEFAULT_MAX_BATCH_BYTES,
  maxBatchBytes,
  type BatchPrediction,
  type Prediction,
  type PredictOptions,
} from './predict/predict.js';
export {
  DeploymentServing,
  DEFAULT_MAX_STALENESS_MS,
  type ServingMode,
  type ServingOptions,
  type ServingStats,
} from './serving/deployments.js';
export { DEPLOYMENTS_CHANNEL } from './schema/migrations.js';
export {
  DEFAULT_BATCH_ROWS,
  predictRelation,
  predictRelationRows,
  type PredictRelationOptions,
  type PredictRelationResult,
  type RelationPredictions,
} from './predict/predict-relation.js';
export { takeSnapshot, type SnapshotOptions, type SnapshotResult } from './snapshot/take-snapshot.js';
export * from './explain/index.js';
export * from './ml/curves.js';
