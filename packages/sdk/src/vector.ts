/**
 * `pgml.vector`: PostgresML's vector functions (pgml.add, pgml.dot_product, …) over `@pgml-ts/native`'s Rust kernels,
 * with native errors mapped to typed `PgmlError`s, plus `loadMatrix`, which pulls a float array column into native
 * memory once (binary COPY) for repeated scoring: the warm path of the vector benchmark.
 */
import type { Db } from '@pgml-ts/core';
import { collectCopy, PgmlError, vectorColumnSelect } from '@pgml-ts/core';
import type * as Native from '@pgml-ts/native';
import { withNativeErrors } from './native-errors.js';

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
type Metric = Parameters<Native.NativeMatrix['topK']>[2];

/** A matrix held in native memory; `close()` frees it (idempotent). */
export interface VectorMatrix {
  readonly rows: number;
  readonly dim: number;
  scores(...args: Parameters<Native.NativeMatrix['scores']>): ReturnType<Native.NativeMatrix['scores']>;
  topK(query: Parameters<Native.NativeMatrix['topK']>[0], k: number, metric?: Metric): ReturnType<Native.NativeMatrix['topK']>;
  scoresAsync(...args: Parameters<Native.NativeMatrix['scoresAsync']>): ReturnType<Native.NativeMatrix['scoresAsync']>;
  topKAsync(...args: Parameters<Native.NativeMatrix['topKAsync']>): ReturnType<Native.NativeMatrix['topKAsync']>;
  close(): void;
}

export type VectorApi = VectorFunctions & {
  /** Native copies of `relation.column` (real[] / double precision[]), checked against the catalog first. */
  loadMatrix(relationName: string, columnName: string): Promise<VectorMatrix>;
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
    async loadMatrix(relationName, columnName) {
      const bytes = await collectCopy(db, await vectorColumnSelect(db, relationName, columnName));
      return wrapMatrix(withNativeErrors(() => native.NativeMatrix.fromCopy(bytes))());
    },
    matrixFromArray: (...args) => wrapMatrix(withNativeErrors(native.NativeMatrix.fromArray)(...args)),
  };
}

function wrapMatrix(matrix: Native.NativeMatrix): VectorMatrix {
  let freed = false;
  const live = (): Native.NativeMatrix => {
    if (freed) throw new PgmlError('INVALID_ARGUMENT', 'this vector matrix has been closed');
    return matrix;
  };
  return {
    rows: matrix.rows,
    dim: matrix.dim,
    scores: withNativeErrors((...args) => live().scores(...args)),
    topK: withNativeErrors((query, k, metric) => live().topK(query, k, metric)),
    scoresAsync: withNativeErrors((...args) => live().scoresAsync(...args)),
    topKAsync: withNativeErrors((...args) => live().topKAsync(...args)),
    close() {
      if (freed) return;
      freed = true;
      matrix.free();
    },
  };
}
