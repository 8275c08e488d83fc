/**
 * Readers for PostgreSQL's binary COPY format (`COPY … TO … WITH (FORMAT binary)`): a fixed header, then one tuple
 * per row (i16 field count, then per field an i32 byte length, -1 for NULL, and the value in network byte order),
 * then an i16 -1 trailer. Numbers arrive as their exact binary values, so nothing is lost to text round trips.
 */
import type { Db } from '../db.js';
import { PgmlError } from '../errors.js';

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // "PGCOPY\n\377\r\n\0"
const FLOAT4_OID = 700;
const FLOAT8_OID = 701;

export interface FloatArrays {
  /** rows × dim, row-major. Float32Array for `real[]`, Float64Array for `double precision[]`. */
  data: Float32Array | Float64Array;
  rows: number;
  dim: number;
}

/** The whole binary COPY stream of `selectSql`, gathered from `db.copyOut`'s chunks. */
export async function collectCopy(db: Db, selectSql: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  await db.copyOut(selectSql, {
    data: (chunk) => {
      chunks.push(chunk);
      length += chunk.length;
    },
  });
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export function dataError(message: string, details: Record<string, unknown> = {}): PgmlError {
  return new PgmlError('DATA_ERROR', `binary COPY: ${message}`, details);
}

/** A bounds-checked cursor over a COPY stream; every read that would run past the end is a truncation error. */
export class CopyCursor {
  readonly view: DataView;
  offset = 0;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(n: number, what: string): void {
    if (this.offset + n > this.bytes.byteLength) {
      throw dataError(`stream truncated while reading ${what} at byte ${this.offset}`, { offset: this.offset });
    }
  }

  i16(what: string): number {
    this.need(2, what);
    const v = this.view.getInt16(this.offset);
    this.offset += 2;
    return v;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.offset);
    this.offset += 4;
    return v;
  }

  /** Checks the signature and skips the flags word and the header extension area. */
  header(): void {
    this.need(SIGNATURE.length, 'signature');
    for (let i = 0; i < SIGNATURE.length; i++) {
      if (this.bytes[i] !== SIGNATURE[i]) throw dataError('not a PostgreSQL binary COPY stream (bad signature)');
    }
    this.offset = SIGNATURE.length;
    this.i32('header flags');
    const extension = this.i32('header extension length');
    if (extension < 0) throw dataError(`negative header extension length ${extension}`);
    this.need(extension, 'header extension');
    this.offset += extension;
  }

  /** Field count of the next tuple, or -1 at the trailer. */
  tupleFieldCount(expected: number, row: number): number {
    const fields = this.i16('tuple field count');
    if (fields !== -1 && fields !== expected) {
      throw dataError(`row ${row} has ${fields} fields, expected ${expected}`, { row, fields, expected });
    }
    return fields;
  }
}

/**
 * Parses a binary COPY stream of exactly one `real[]` or `double precision[]` column into one contiguous typed array.
 * Every row must be a one-dimensional array of the same length without NULLs: anything else is a `DATA_ERROR`.
 * This is the portable reference; `@pgml-ts/native` has a Rust twin with the same contract.
 */
export function parseCopyFloatArrays(bytes: Uint8Array): FloatArrays {
  const cur = new CopyCursor(bytes);
  cur.header();
  const view = cur.view;
  let rows = 0;
  let dim = -1;
  let elementOid = 0;
  let data: Float32Array | Float64Array = new Float32Array(0);
  let capacityRows = 0;

  for (;;) {
    if (cur.tupleFieldCount(1, rows) === -1) break;
    const length = cur.i32('field length');
    if (length === -1) throw dataError(`row ${rows} is NULL`, { row: rows });
    cur.need(length, `array of row ${rows}`);
    const end = cur.offset + length;
    const ndim = cur.i32('array dimensions');
    const hasNull = cur.i32('array null flag');
    cur.need(4, 'element oid');
    const oid = view.getUint32(cur.offset);
    cur.offset += 4;
    if (oid !== FLOAT4_OID && oid !== FLOAT8_OID) {
      throw dataError(`row ${rows}: element type oid ${oid} is not real (700) or double precision (701)`, { oid });
    }
    // An empty array has ndim 0; it is ragged against any non-empty row, and unusable as a vector on its own.
    if (ndim !== 1) {
      throw dataError(`row ${rows}: expected a one-dimensional array, got ${ndim} dimensions`, { row: rows, ndim });
    }
    if (hasNull !== 0) throw dataError(`row ${rows}: array contains NULL elements`, { row: rows });
    const size = cur.i32('array dimension size');
    cur.i32('array lower bound');

    if (dim === -1) {
      dim = size;
      elementOid = oid;
      if (dim === 0) throw dataError('row 0: empty array');
      const elementSize = oid === FLOAT4_OID ? 4 : 8;
      // A row costs at least 26 bytes of framing + (4 + size) per element, which bounds the rows left in the stream.
      capacityRows = Math.max(1, Math.floor((bytes.byteLength - cur.offset) / (dim * (4 + elementSize) + 24)) + 1);
      data = oid === FLOAT4_OID ? new Float32Array(capacityRows * dim) : new Float64Array(capacityRows * dim);
    } else if (size !== dim) {
      throw dataError(`row ${rows} has ${size} elements, expected ${dim} (ragged arrays)`, { row: rows, size, dim });
    } else if (oid !== elementOid) {
      throw dataError(`row ${rows}: element type changed from oid ${elementOid} to ${oid}`, { row: rows });
    }

    const elementSize = elementOid === FLOAT4_OID ? 4 : 8;
    if (end - cur.offset !== dim * (4 + elementSize)) {
      throw dataError(`row ${rows}: array payload length does not match ${dim} elements`, { row: rows });
    }
    let p = cur.offset;
    const base = rows * dim;
    if (elementOid === FLOAT4_OID) {
      for (let j = 0; j < dim; j++) {
        if (view.getInt32(p) !== 4) throw dataError(`row ${rows}, element ${j}: bad element length`, { row: rows });
        data[base + j] = view.getFloat32(p + 4);
        p += 8;
      }
    } else {
      for (let j = 0; j < dim; j++) {
        if (view.getInt32(p) !== 8) throw dataError(`row ${rows}, element ${j}: bad element length`, { row: rows });
        data[base + j] = view.getFloat64(p + 4);
        p += 12;
      }
    }
    cur.offset = end;
    rows++;
  }
  if (cur.offset !== bytes.byteLength) {
    throw dataError(`${bytes.byteLength - cur.offset} unexpected bytes after the trailer`);
  }
  if (rows === 0) return { data: new Float32Array(0), rows: 0, dim: 0 };
  return { data: data.subarray(0, rows * dim), rows, dim };
}
