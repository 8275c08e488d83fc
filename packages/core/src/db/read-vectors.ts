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
  const relation = await resolveRelation(db, relationName);
  const column = resolveColumn(relation, columnName);
  if (!FLOAT_ARRAY_TYPES.has(column.type)) {
    throw new InvalidArgument(
      `column ${column.name} of ${relation.schema}.${relation.name} is ${column.type}; vectors must be real[] or double precision[]`,
      { column: column.name, type: column.type },
    );
  }
  return `SELECT ${column.quoted} FROM ${relation.qualified}`;
}
