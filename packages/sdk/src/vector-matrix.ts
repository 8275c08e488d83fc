/**
 * `vector.loadMatrix`: a float array column pulled into native memory once (binary COPY) for repeated scoring — the
 * warm path of the vector benchmark. With `{ key }` the rows are loaded in key order and `topK` answers with keys, so
 * results name rows rather than positions in an unordered scan. Rows whose vector is NULL (or holds a NULL element)
 * are left out and reported (`skipped`, `skippedKeys`), never handed to the parser.
 */
import { collectCopy, InvalidArgument, PgmlError, vectorQueries, type Db } from '@pgml-ts/core';
import type * as Native from '@pgml-ts/native';
import { withNativeErrors } from './native-errors.js';

type Metric = Parameters<Native.NativeMatrix['topK']>[2];
type Query = Parameters<Native.NativeMatrix['topK']>[0];

/** A key as the driver returns it: integers as numbers, bigint/numeric/uuid/text as strings. */
export type MatrixKey = string | number;

/** A matrix held in native memory; `close()` frees it (idempotent). */
export interface VectorMatrix {
  readonly rows: number;
  readonly dim: number;
  /** Rows of the column left out because their vector was NULL or held a NULL element. */
  readonly skipped: number;
  scores(...args: Parameters<Native.NativeMatrix['scores']>): ReturnType<Native.NativeMatrix['scores']>;
  topK(query: Query, k: number, metric?: Metric): Native.TopKResult;
  scoresAsync(...args: Parameters<Native.NativeMatrix['scoresAsync']>): ReturnType<Native.NativeMatrix['scoresAsync']>;
  topKAsync(query: Query, k: number, metric?: Metric, options?: Native.AsyncOptions): Promise<Native.TopKResult>;
  close(): void;
}

/** The best rows by key, best first; `indices` are their positions in `keys`. */
export interface KeyedTopK<K> extends Native.TopKResult {
  keys: K[];
}

/** A matrix loaded with a key column: rows in key order, `topK` by key. */
export interface KeyedVectorMatrix<K = MatrixKey> extends Omit<VectorMatrix, 'topK' | 'topKAsync'> {
  /** Each row's key, in row order. */
  readonly keys: readonly K[];
  /** The keys of the rows left out (NULL vector or NULL element). */
  readonly skippedKeys: readonly K[];
  topK(query: Query, k: number, metric?: Metric): KeyedTopK<K>;
  topKAsync(query: Query, k: number, metric?: Metric, options?: Native.AsyncOptions): Promise<KeyedTopK<K>>;
}

export async function loadMatrix(native: typeof Native, db: Db, relation: string, column: string): Promise<VectorMatrix>;
export async function loadMatrix<K>(native: typeof Native, db: Db, relation: string, column: string, key: string): Promise<KeyedVectorMatrix<K>>;
export async function loadMatrix<K>(
  native: typeof Native,
  db: Db,
  relation: string,
  column: string,
  key?: string,
): Promise<VectorMatrix | KeyedVectorMatrix<K>> {
  const queries = await vectorQueries(db, relation, column, key);
  const fromCopy = withNativeErrors(native.NativeMatrix.fromCopy);
  if (queries.keys === undefined) {
    const bytes = await collectCopy(db, queries.vectors);
    const skipped = await db.query<{ skipped: string | number }>(queries.skipped);
    return wrapMatrix(fromCopy(bytes), Number(skipped.rows[0]!.skipped));
  }
  // Keys and vectors are two statements: one snapshot makes both see the same rows, in the same (key) order.
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const keys = (await tx.query<{ key: K }>(queries.keys!)).rows.map((r) => r.key);
    checkUnique(keys, key!);
    const skippedKeys = (await tx.query<{ key: K }>(queries.skipped)).rows.map((r) => r.key);
    const matrix = wrapMatrix(fromCopy(await collectCopy(tx, queries.vectors)), skippedKeys.length);
    if (matrix.rows !== keys.length) {
      matrix.close();
      throw new PgmlError('DATA_ERROR', `read ${matrix.rows} vectors but ${keys.length} keys; the relation changed while loading`);
    }
    return keyed(matrix, keys, skippedKeys);
  });
}

function checkUnique(keys: readonly unknown[], column: string): void {
  const seen = new Set<unknown>();
  for (const key of keys) {
    if (key === null) throw new InvalidArgument(`key column ${JSON.stringify(column)} is NULL in a row: keys must name every row`, { key: column });
    if (seen.has(key)) {
      throw new InvalidArgument(`key column ${JSON.stringify(column)} has the value ${JSON.stringify(key)} twice: keys must identify rows`, {
        key: column,
      });
    }
    seen.add(key);
  }
}

export function wrapMatrix(matrix: Native.NativeMatrix, skipped = 0): VectorMatrix {
  let freed = false;
  const live = (): Native.NativeMatrix => {
    if (freed) throw new PgmlError('INVALID_ARGUMENT', 'this vector matrix has been closed');
    return matrix;
  };
  return {
    rows: matrix.rows,
    dim: matrix.dim,
    skipped,
    scores: withNativeErrors((...args) => live().scores(...args)),
    topK: withNativeErrors((query, k, metric) => live().topK(query, k, metric)),
    scoresAsync: withNativeErrors((...args) => live().scoresAsync(...args)),
    topKAsync: withNativeErrors((query, k, metric, options) => live().topKAsync(query, k, metric, options)),
    close() {
      if (freed) return;
      freed = true;
      matrix.free();
    },
  };
}

function keyed<K>(matrix: VectorMatrix, keys: K[], skippedKeys: K[]): KeyedVectorMatrix<K> {
  const byKey = (top: Native.TopKResult): KeyedTopK<K> => ({ ...top, keys: Array.from(top.indices, (i) => keys[i]!) });
  return {
    ...matrix,
    keys,
    skippedKeys,
    topK: (query, k, metric) => byKey(matrix.topK(query, k, metric)),
    topKAsync: async (query, k, metric, options) => byKey(await matrix.topKAsync(query, k, metric, options)),
  };
}
