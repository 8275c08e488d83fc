import type { Db } from '../db.js';
import { InvalidArgument } from '../errors.js';
import { collectCopy, parseCopyFloatArrays, type FloatArrays } from './copy-binary.js';
import { resolveColumn, resolveRelation } from './identifiers.js';

/** Parses a binary COPY stream of one float array column; the JS reference or `@pgml-ts/native`'s Rust twin. */
export type FloatArrayParser = (bytes: Uint8Array) => FloatArrays;

const FLOAT_ARRAY_TYPES = new Set(['real[]', 'double precision[]']);

/**
 * Reads a `real[]` / `double precision[]` column into one contiguous typed array through binary COPY, after
 * checking the relation and column against the catalog.
 */
export async function readVectorColumn(
  db: Db,
  relationName: string,
  columnName: string,
  parse: FloatArrayParser = parseCopyFloatArrays,
): Promise<FloatArrays> {
  const sql = await vectorColumnSelect(db, relationName, columnName);
  return parse(await collectCopy(db, sql));
}

/** The validated `SELECT <col> FROM <rel>` for a float array column, for callers that parse the COPY bytes elsewhere. */
export async function vectorColumnSelect(db: Db, relationName: string, columnName: string): Promise<string> {
  const { relation, column } = await vectorColumn(db, relationName, columnName);
  return `SELECT ${column.quoted} FROM ${relation.qualified}`;
}

export interface VectorQueries {
  /** The vectors to load (COPY-able): rows whose vector is present and has no NULL element, in key order if keyed. */
  vectors: string;
  /** The keys of those rows, in the same order; only with a key column. */
  keys?: string;
  /** The rows left out: their keys with a key column (as `key`), else their count (as `skipped`). */
  skipped: string;
}

/**
 * The statements that load a vector column with an optional key column: a NULL vector (or one with a NULL element)
 * is left out and reported, never handed to the parser. One-dimensional arrays are checked for NULL elements here;
 * other shapes reach the parser, which refuses them by row.
 */
export async function vectorQueries(db: Db, relationName: string, columnName: string, keyColumn?: string): Promise<VectorQueries> {
  const { relation, column } = await vectorColumn(db, relationName, columnName);
  const v = column.quoted;
  const present = `${v} IS NOT NULL AND (pg_catalog.array_ndims(${v}) IS DISTINCT FROM 1 OR pg_catalog.array_position(${v}, NULL) IS NULL)`;
  if (keyColumn === undefined) {
    return {
      vectors: `SELECT ${v} FROM ${relation.qualified} WHERE ${present}`,
      skipped: `SELECT count(*)::int8 AS skipped FROM ${relation.qualified} WHERE NOT (${present})`,
    };
  }
  const key = resolveColumn(relation, keyColumn);
  if (key.name === column.name) throw new InvalidArgument('the key column must not be the vector column', { key: key.name });
  const order = `ORDER BY ${key.quoted}`;
  return {
    vectors: `SELECT ${v} FROM ${relation.qualified} WHERE ${present} ${order}`,
    keys: `SELECT ${key.quoted} AS key FROM ${relation.qualified} WHERE ${present} ${order}`,
    skipped: `SELECT ${key.quoted} AS key FROM ${relation.qualified} WHERE NOT (${present}) ${order}`,
  };
}

async function vectorColumn(db: Db, relationName: string, columnName: string) {
  const relation = await resolveRelation(db, relationName);
  const column = resolveColumn(relation, columnName);
  if (!FLOAT_ARRAY_TYPES.has(column.type)) {
    throw new InvalidArgument(
      `column ${column.name} of ${relation.schema}.${relation.name} is ${column.type}; vectors must be real[] or double precision[]`,
      { column: column.name, type: column.type },
    );
  }
  return { relation, column };
}
