export * from './errors.js';
export type { Db, QueryResult } from './db.js';
export type { FitInput, FittedModel, Matrix, Runtime, RuntimeName, Task } from './runtime.js';
export * from './db/index.js';
export * from './datasets/index.js';
