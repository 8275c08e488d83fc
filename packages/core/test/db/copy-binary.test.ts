import { describe, expect, it } from 'vitest';
import { parseCopyFloatArrays } from '../../src/db/copy-binary.js';
import { PgmlError } from '../../src/errors.js';
import { copyStream, floatArray, i32 } from './copy-builder.js';

function expectDataError(bytes: Uint8Array, message: RegExp): void {
  try {
    parseCopyFloatArrays(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(PgmlError);
    expect((error as PgmlError).code).toBe('DATA_ERROR');
    expect((error as PgmlError).message).toMatch(message);
    return;
  }
  throw new Error('expected a DATA_ERROR');
}

describe('parseCopyFloatArrays', () => {
  it('reads float4[] rows into one Float32Array with exact values', () => {
    const rows = [
      [1.5, -2.25, 0.1],
      [3e-38, 1e30, Math.fround(1 / 3)],
    ];
    const result = parseCopyFloatArrays(copyStream(rows.map((r) => [floatArray(r)])));
    expect(result.rows).toBe(2);
    expect(result.dim).toBe(3);
    expect(result.data).toBeInstanceOf(Float32Array);
    expect(Array.from(result.data)).toEqual(rows.flat().map(Math.fround));
  });

  it('reads float8[] rows into a Float64Array', () => {
    const result = parseCopyFloatArrays(copyStream([[floatArray([0.1, 0.2], 701)], [floatArray([1e300, -0], 701)]]));
    expect(result.data).toBeInstanceOf(Float64Array);
    expect(Array.from(result.data)).toEqual([0.1, 0.2, 1e300, -0]);
  });

  it('returns an empty result for zero rows', () => {
    expect(parseCopyFloatArrays(copyStream([]))).toMatchObject({ rows: 0, dim: 0 });
  });

  it('skips a header extension area', () => {
    const bytes = copyStream([[floatArray([7])]]);
    const withExtension = new Uint8Array(bytes.length + 3);
    withExtension.set(bytes.subarray(0, 15));
    withExtension.set(i32(3), 15);
    withExtension.set(bytes.subarray(19), 22);
    expect(Array.from(parseCopyFloatArrays(withExtension).data)).toEqual([7]);
  });

  it('rejects NULL rows, NULL elements, ragged and multi-dimensional arrays', () => {
    expectDataError(copyStream([[floatArray([1, 2])], [null]]), /row 1 is NULL/);
    expectDataError(copyStream([[floatArray([1, null])]]), /NULL elements/);
    expectDataError(copyStream([[floatArray([1, 2])], [floatArray([1, 2, 3])]]), /ragged/);
    expectDataError(copyStream([[floatArray([1, 2, 3, 4], 700, [2, 2])]]), /one-dimensional/);
    expectDataError(copyStream([[floatArray([1], 700)], [floatArray([1], 701)]]), /element type changed/);
  });

  it('rejects other element types, extra columns, a bad signature and truncation anywhere', () => {
    const int4Array = floatArray([1]);
    int4Array.set(i32(23), 8);
    expectDataError(copyStream([[int4Array]]), /oid 23/);
    expectDataError(copyStream([[floatArray([1]), floatArray([2])]]), /2 fields, expected 1/);
    expectDataError(new TextEncoder().encode('id,v\n1,2\n'), /signature/);
    const full = copyStream([[floatArray([1, 2, 3])], [floatArray([4, 5, 6])]]);
    for (let cut = 0; cut < full.length; cut++) expectDataError(full.subarray(0, cut), /truncated|signature/);
    expectDataError(copyStream([[floatArray([1])]], { trailer: false }), /truncated/);
  });

  // Its speed is in the vector benchmark (`pnpm bench vector`: fetch + JS parse + top-1), not timed here.
  it('parses 10k × 128 into one matrix', () => {
    const row = floatArray(Array.from({ length: 128 }, (_, i) => i / 7));
    const bytes = copyStream(Array.from({ length: 10_000 }, () => [row]));
    const result = parseCopyFloatArrays(bytes);
    expect(result.rows).toBe(10_000);
    expect(result.data[128 * 9_999 + 7]).toBe(Math.fround(1));
  });
});
