/**
 * `pgml.vector`: PostgresML's vector functions (pgml.add, pgml.dot_product, …) over `@pgml-ts/native`'s Rust kernels,
 * with native errors mapped to typed `PgmlError`s, plus `loadMatrix` (vector-matrix.ts), which pulls a float array
 * column into native memory once (binary COPY) for repeated scoring.
 */
import type { Db } from '@pgml-ts/core';
import { PgmlError } from '@pgml-ts/core';
import type * as Native from '@pgml-ts/native';
import { withNativeErrors } from './native-errors.js';
import { loadMatrix, wrapMatrix, type KeyedVectorMatrix, type MatrixKey, type VectorMatrix } from './vector-matrix.js';

export type { KeyedTopK, KeyedVectorMatrix, MatrixKey, VectorMatrix } from './vector-matrix.js';

export type NativeModule = typeof Native;

/** The element-wise, norm, distance and aggregate functions, and the scoring kernels, exposed as they are. */
const FUNCTIONS = [
  'add',
  'subtract',
  'multiply',
  'divide',
  'normL0',
  'normL1',
  'normL2',
  'normMax',
  'normalizeL1',
  'normalizeL2',
  'normalizeMax',
  'distanceL1',
  'distanceL2',
  'dotProduct',
  'cosineSimilarity',
  'sum',
  'min',
  'max',
  'minAbs',
  'maxAbs',
  'scoreRows',
  'scoreRowsAsync',
  'topK',
  'topKAsync',
  'blasSgemv',
  'parseCopyFloatArrays',
] as const;

type FunctionName = (typeof FUNCTIONS)[number];

/** The aggregates (pgml.sum, pgml.min, …): like SQL aggregates they skip NULL inputs (null / undefined here). */
const AGGREGATES = ['sum', 'min', 'max', 'minAbs', 'maxAbs'] as const;
type AggregateName = (typeof AGGREGATES)[number];
/** An aggregate over rows that may be NULL: all Float32Array → Float32Array, else Float64Array (native's rule). */
export interface VectorAggregate {
  (vectors: ReadonlyArray<Float32Array | null | undefined>): Float32Array;
  (vectors: ReadonlyArray<Native.Vector | null | undefined>): Float32Array | Float64Array;
}
/** The native functions, with the aggregates taking NULL-able rows. */
export type VectorFunctions = Omit<Pick<NativeModule, FunctionName>, AggregateName> & Record<AggregateName, VectorAggregate>;

export type VectorApi = VectorFunctions & {
  /**
   * Native copies of `relation.column` (real[] / double precision[]), checked against the catalog first. Rows whose
   * vector is NULL or holds a NULL element are left out (`skipped`). With `{ key }` rows come in key order and
   * `topK` gives their keys (`skippedKeys` names the rows left out); the key must be unique.
   */
  loadMatrix(relationName: string, columnName: string): Promise<VectorMatrix>;
  loadMatrix<K = MatrixKey>(relationName: string, columnName: string, options: { key: string }): Promise<KeyedVectorMatrix<K>>;
  /** A native matrix from rows you already have in memory. */
  matrixFromArray(...args: Parameters<NativeModule['NativeMatrix']['fromArray']>): VectorMatrix;
};

/** Loads `@pgml-ts/native`, or explains what is missing as a `NATIVE_UNAVAILABLE` error. */
export async function loadNative(): Promise<NativeModule> {
  try {
    return await import('@pgml-ts/native');
  } catch (error) {
    // The loader's own message already says what to do (install the platform package, the system libraries, or
    // build from a checkout), so it is passed through rather than followed by a hint that fits only one case.
    throw new PgmlError(
      'NATIVE_UNAVAILABLE',
      `the native module @pgml-ts/native could not be loaded: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}

/** The native functions alone, with typed errors; no database needed. */
export function vectorFunctions(native: NativeModule): VectorFunctions {
  return Object.fromEntries(
    FUNCTIONS.map((name) => {
      const fn = withNativeErrors(native[name] as (...args: unknown[]) => unknown);
      const skipNulls = (AGGREGATES as readonly string[]).includes(name);
      return [name, skipNulls ? (vectors: unknown) => fn(Array.isArray(vectors) ? vectors.filter((v) => v != null) : vectors) : fn];
    }),
  ) as unknown as VectorFunctions;
}

export function createVectorApi(native: NativeModule, db: Db): VectorApi {
  return {
    ...vectorFunctions(native),
    loadMatrix: ((relationName: string, columnName: string, options?: { key: string }) =>
      options?.key === undefined
        ? loadMatrix(native, db, relationName, columnName)
        : loadMatrix(native, db, relationName, columnName, options.key)) as VectorApi['loadMatrix'],
    matrixFromArray: (...args) => wrapMatrix(withNativeErrors(native.NativeMatrix.fromArray)(...args)),
  };
}
