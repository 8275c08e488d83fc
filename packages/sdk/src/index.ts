export { PostgresML, type ConnectOptions } from './client.js';
export type { ModelInfo } from './model-info.js';
export type { AlgorithmRuntime, RuntimesReport } from './runtimes/client-runtimes.js';
export { NativeRuntime } from './runtimes/native.js';
export { createPgDb, type PgDbOptions } from './drivers/pg.js';
export { createPgliteDb, defaultDataDir } from './drivers/pglite.js';
export { createVectorApi, loadNative, vectorFunctions, type NativeModule, type VectorApi, type VectorMatrix } from './vector.js';
export { fromNativeError } from './native-errors.js';
export * from '@pgml-ts/core';
