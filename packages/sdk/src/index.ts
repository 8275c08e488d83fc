export { PostgresML, type ConnectOptions, type NumericTask } from './client.js';
export type { ModelInfo } from './model-info.js';
export type { AlgorithmRuntime, RuntimesReport } from './runtimes/client-runtimes.js';
export type { AlgorithmEntry, RuntimeAlgorithm } from './catalogue/catalogue.js';
export { NativeRuntime } from './runtimes/native.js';
export { runtimeRegistry, type RegistryOptions } from './runtimes/registry.js';
export { createPgDb, type PgDbOptions, type PgPoolClientLike, type PgPoolLike } from './drivers/pg.js';
export { createPgliteDb, defaultDataDir, type PgliteOptions } from './drivers/pglite.js';
export { defaultLockTimeout } from './drivers/data-dir-lock.js';
export {
  createVectorApi,
  loadNative,
  vectorFunctions,
  type KeyedTopK,
  type KeyedVectorMatrix,
  type MatrixKey,
  type NativeModule,
  type VectorApi,
  type VectorMatrix,
} from './vector.js';
export { fromNativeError } from './native-errors.js';
export * from '@pgml-ts/core';
export { startDashboard, type Dashboard, type DashboardOptions } from './dashboard/server.js';
