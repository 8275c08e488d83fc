/**
 * A general binary COPY reader for numeric columns: each column becomes one Float64Array, with no per-row objects.
 * REAL values are read as their exact float32 value (widened losslessly), so what a model trains on is exactly
 * what PostgreSQL stores. NULL becomes NaN; callers that must reject or impute NULLs check for NaN.
 */
import { CopyCursor, dataError } from './copy-binary.js';

export type CopyNumericType = 'float4' | 'float8' | 'int2' | 'int4' | 'int8' | 'bool' | 'numeric';

export interface CopyColumns {
  columns: Float64Array[];
  rows: number;
}

const FIXED_WIDTH: Record<Exclude<CopyNumericType, 'numeric'>, number> = {
  float4: 4,
  float8: 8,
  int2: 2,
  int4: 4,
  int8: 8,
  bool: 1,
};

/** Maps a `format_type` / `pg_type.typname` spelling to the reader's column type, or undefined when not numeric. */
export function copyNumericType(pgType: string): CopyNumericType | undefined {
  switch (pgType.toLowerCase()) {
    case 'real':
    case 'float4':
      return 'float4';
    case 'double precision':
    case 'float8':
      return 'float8';
    case 'smallint':
    case 'int2':
      return 'int2';
    case 'integer':
    case 'int4':
    case 'int':
      return 'int4';
    case 'bigint':
    case 'int8':
      return 'int8';
    case 'boolean':
    case 'bool':
      return 'bool';
    default:
      return /^numeric(\(.*\))?$/.test(pgType.toLowerCase()) ? 'numeric' : undefined;
  }
}

/** Reads a binary COPY stream whose fields have the given types, one Float64Array per column. */
export function readCopyColumns(bytes: Uint8Array, types: readonly CopyNumericType[]): CopyColumns {
  const cur = new CopyCursor(bytes);
  cur.header();
  const view = cur.view;
  const n = types.length;
  // Grow-by-doubling buffers: the row count is unknown until the trailer.
  let capacity = 1024;
  let columns = types.map(() => new Float64Array(capacity));
  let rows = 0;

  for (;;) {
    if (cur.tupleFieldCount(n, rows) === -1) break;
    if (rows === capacity) {
      capacity *= 2;
      columns = columns.map((old) => {
        const grown = new Float64Array(capacity);
        grown.set(old);
        return grown;
      });
    }
    for (let c = 0; c < n; c++) {
      const type = types[c]!;
      const column = columns[c]!;
      const length = cur.i32('field length');
      if (length === -1) {
        column[rows] = Number.NaN;
        continue;
      }
      cur.need(length, `column ${c} of row ${rows}`);
      const p = cur.offset;
      if (type !== 'numeric' && length !== FIXED_WIDTH[type]) {
        throw dataError(`row ${rows}, column ${c}: ${length} bytes is not a ${type}`, { row: rows, column: c });
      }
      switch (type) {
        case 'float4':
          column[rows] = view.getFloat32(p);
          break;
        case 'float8':
          column[rows] = view.getFloat64(p);
          break;
        case 'int2':
          column[rows] = view.getInt16(p);
          break;
        case 'int4':
          column[rows] = view.getInt32(p);
          break;
        case 'int8':
          column[rows] = Number(view.getBigInt64(p));
          break;
        case 'bool':
          column[rows] = view.getUint8(p) === 0 ? 0 : 1;
          break;
        case 'numeric':
          column[rows] = decodeNumeric(view, p, length, rows, c);
          break;
      }
      cur.offset = p + length;
    }
    rows++;
  }
  if (cur.offset !== bytes.byteLength) {
    throw dataError(`${bytes.byteLength - cur.offset} unexpected bytes after the trailer`);
  }
  return { columns: columns.map((column) => column.slice(0, rows)), rows };
}

const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;
const NUMERIC_PINF = 0xd000;
const NUMERIC_NINF = 0xf000;

/**
 * numeric's binary form: i16 ndigits, i16 weight, u16 sign, i16 dscale, then base-10000 digits. Decoding through a
 * decimal string lets `Number` round once, correctly, to the nearest double.
 */
function decodeNumeric(view: DataView, p: number, length: number, row: number, column: number): number {
  if (length < 8) throw dataError(`row ${row}, column ${column}: numeric value too short`, { row, column });
  const ndigits = view.getInt16(p);
  const weight = view.getInt16(p + 2);
  const sign = view.getUint16(p + 4);
  if (length !== 8 + 2 * ndigits) throw dataError(`row ${row}, column ${column}: bad numeric length`, { row, column });
  if (sign === NUMERIC_NAN) return Number.NaN;
  if (sign === NUMERIC_PINF) return Number.POSITIVE_INFINITY;
  if (sign === NUMERIC_NINF) return Number.NEGATIVE_INFINITY;
  if (ndigits === 0) return 0;
  let digits = '';
  for (let i = 0; i < ndigits; i++) digits += String(view.getInt16(p + 8 + 2 * i)).padStart(4, '0');
  // The first digit group has weight `weight` (units of 10000^weight); shift the decimal exponent accordingly.
  const exponent = (weight + 1 - ndigits) * 4;
  const value = Number(`${digits}e${exponent}`);
  return sign === NUMERIC_NEG ? -value : value;
}
