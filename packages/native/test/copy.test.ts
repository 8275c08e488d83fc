import { describe, expect, it } from 'vitest';
import * as native from '../index.js';
import { buildCopy, randomArray, thrown } from './helpers.js';

const rowsOf = (n: number, dim: number, seed: number) =>
  Array.from({ length: n }, (_, r) => randomArray(dim, seed + r));

describe('parseCopyFloatArrays', () => {
  it.each([1, 3, 128])('float4[] rows of dim %i decode exactly', (dim) => {
    const rows = rowsOf(50, dim, dim);
    const parsed = native.parseCopyFloatArrays(buildCopy(rows, 700));
    expect(parsed.rows).toBe(50);
    expect(parsed.dim).toBe(dim);
    expect(parsed.data).toBeInstanceOf(Float32Array);
    expect(Array.from(parsed.data)).toEqual(Array.from(Float32Array.from(rows.flat())));
  });

  it('float8[] rows decode to a Float64Array without precision loss', () => {
    const rows = rowsOf(5, 7, 1);
    const parsed = native.parseCopyFloatArrays(buildCopy(rows, 701));
    expect(parsed.data).toBeInstanceOf(Float64Array);
    expect(Array.from(parsed.data)).toEqual(rows.flat());
  });

  it('an empty result set gives rows = 0', () => {
    const parsed = native.parseCopyFloatArrays(buildCopy([]));
    expect(parsed).toMatchObject({ rows: 0, dim: 0 });
    expect(parsed.data.length).toBe(0);
  });

  it('NULL rows and elements are errors naming the row', () => {
    const nullRow = thrown(() => native.parseCopyFloatArrays(buildCopy([[1, 2], null, [3, 4]])));
    expect(nullRow.code).toBe('INVALID_ARGUMENT');
    expect(nullRow.message).toMatch(/row 1 is NULL/);
    const nullElement = thrown(() => native.parseCopyFloatArrays(buildCopy([[1, 2], [3, 4]], 700, { nullElement: [1, 1] })));
    expect(nullElement.message).toMatch(/row 1: element 1 is NULL/);
  });

  it('rows of different lengths → DIMENSION_MISMATCH', () => {
    const error = thrown(() => native.parseCopyFloatArrays(buildCopy([[1, 2], [3, 4], [5, 6, 7]])));
    expect(error.code).toBe('DIMENSION_MISMATCH');
    expect(error.message).toMatch(/row 0 has 2 elements, row 2 has 3/);
  });

  it('every truncation of a valid stream is an error, never a crash', () => {
    const copy = buildCopy(rowsOf(3, 4, 9));
    for (let cut = 0; cut < copy.length; cut++) {
      expect(thrown(() => native.parseCopyFloatArrays(copy.subarray(0, cut))).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('garbage bytes are errors, never a crash', () => {
    const copy = buildCopy(rowsOf(3, 4, 9));
    const next = randomArray(4000, 5);
    for (let trial = 0; trial < 1000; trial++) {
      const mutated = copy.slice();
      const at = 11 + Math.floor(Math.abs(next[trial]!) * (copy.length - 11));
      mutated[at] = Math.floor(Math.abs(next[trial + 1000]!) * 256);
      try {
        native.parseCopyFloatArrays(mutated);
      } catch (error) {
        expect(['INVALID_ARGUMENT', 'DIMENSION_MISMATCH']).toContain((error as { code: string }).code);
      }
    }
    expect(thrown(() => native.parseCopyFloatArrays(new Uint8Array(100).fill(255))).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => native.parseCopyFloatArrays('PGCOPY' as never)).code).toBe('INVALID_ARGUMENT');
  });

  it('other column types are rejected', () => {
    const copy = buildCopy([[1, 2]]);
    new DataView(copy.buffer).setUint32(19 + 6 + 8, 23); // element oid → int4
    expect(thrown(() => native.parseCopyFloatArrays(copy)).message).toMatch(/element oid 23/);
  });
});
