/**
 * Reads a snapshot's relation into column-oriented arrays in ONE statement (one consistent row order, which `last`
 * sampling depends on). All-numeric relations travel as binary COPY (exact values, no per-row objects); relations
 * with text or array columns use one parameterless query with every number cast to float8, whose text form is the
 * shortest exact round trip of the double, so values stay exact on both drivers. NULL numbers become NaN.
 */
import type { Db } from '../db.js';
import { readCopyColumns } from '../db/index.js';
import { PgmlError } from '../errors.js';
import { quoteIdent } from '../db/index.js';
import { selectExpression, type SnapshotColumn } from './columns.js';

export type RawValues =
  | { kind: 'numbers'; data: Float64Array; width: number }
  | { kind: 'text'; data: Array<string | null> };

export interface RawData {
  rows: number;
  /** Keyed by column name, in the order of `columns`. */
  values: Map<string, RawValues>;
}

/** `qualified` is a catalog-resolved, quoted relation name; column names are quoted here. */
export async function readRelation(db: Db, qualified: string, columns: readonly SnapshotColumn[]): Promise<RawData> {
  const select = `SELECT ${columns.map((c) => selectExpression(c, quoteIdent(c.name))).join(', ')} FROM ${qualified}`;
  if (columns.every((c) => c.kind === 'number' || c.kind === 'boolean')) {
    const copied = readCopyColumns(await db.copyBinary(select), columns.map(() => 'float8'));
    const values = new Map<string, RawValues>();
    columns.forEach((c, i) => values.set(c.name, { kind: 'numbers', data: copied.columns[i]!, width: 1 }));
    return { rows: copied.rows, values };
  }
  const aliased = columns.map((c, i) => `${selectExpression(c, quoteIdent(c.name))} AS c${i}`).join(', ');
  const result = await db.query<Record<string, unknown>>(`SELECT ${aliased} FROM ${qualified}`);
  const rows = result.rows.length;
  const values = new Map<string, RawValues>();
  columns.forEach((column, i) => {
    const key = `c${i}`;
    if (column.kind === 'text') {
      values.set(column.name, { kind: 'text', data: result.rows.map((r) => (r[key] ?? null) as string | null) });
    } else if (column.kind === 'array') {
      values.set(column.name, readArrays(column, result.rows.map((r) => r[key] as unknown[] | null)));
    } else {
      const data = new Float64Array(rows);
      for (let r = 0; r < rows; r++) data[r] = toNumber(result.rows[r]![key]);
      values.set(column.name, { kind: 'numbers', data, width: 1 });
    }
  });
  return { rows, values };
}

function toNumber(value: unknown): number {
  if (value === null || value === undefined) return Number.NaN;
  return typeof value === 'number' ? value : Number(value);
}

/**
 * Expands equal-size arrays row-major (rows × width); multi-dimensional arrays (digits' 8×8 image) flatten in
 * PostgreSQL's element order, as PostgresML does. A NULL array or element reads as NaN.
 */
function readArrays(column: SnapshotColumn, nested: Array<unknown[] | null>): RawValues {
  let width = -1;
  const arrays = nested.map((a, row) => {
    if (a === null) return null;
    if (!Array.isArray(a)) throw new PgmlError('DATA_ERROR', `column ${JSON.stringify(column.name)} row ${row} is not an array`);
    return a.flat(Number.POSITIVE_INFINITY) as number[];
  });
  arrays.forEach((a, row) => {
    if (a === null) return;
    if (width === -1) width = a.length;
    else if (a.length !== width) {
      throw new PgmlError(
        'DATA_ERROR',
        `column ${JSON.stringify(column.name)} has arrays of different lengths (${width} and ${a.length}, row ${row})`,
        { column: column.name },
      );
    }
  });
  if (width <= 0) {
    throw new PgmlError('DATA_ERROR', `column ${JSON.stringify(column.name)} has no non-empty array values`, {
      column: column.name,
    });
  }
  const data = new Float64Array(arrays.length * width).fill(Number.NaN);
  arrays.forEach((a, row) => {
    if (a) for (let j = 0; j < width; j++) data[row * width + j] = toNumber(a[j]);
  });
  return { kind: 'numbers', data, width };
}
