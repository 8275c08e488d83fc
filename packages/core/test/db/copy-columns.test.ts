import { describe, expect, it } from 'vitest';
import { copyNumericType, readCopyColumns } from '../../src/db/copy-columns.js';
import { copyStream, float4, float8, i16, i32 } from './copy-builder.js';

function int8(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v);
  return b;
}

/** numeric's binary form from base-10000 digit groups. */
function numeric(digits: number[], weight: number, sign = 0, dscale = 0): Uint8Array {
  const parts = [i16(digits.length), i16(weight), Uint8Array.of(sign >> 8, sign & 0xff), i16(dscale), ...digits.map(i16)];
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

describe('readCopyColumns', () => {
  it('reads every numeric type into Float64Array columns, REAL as its exact float32 value', () => {
    const stream = copyStream([
      [float4(0.1), float8(0.1), i16(-3), i32(70000), int8(2n ** 53n), Uint8Array.of(1), numeric([12, 3400], 0, 0, 4)],
      [null, float8(-1.5), i16(0), i32(-1), int8(-7n), Uint8Array.of(0), numeric([1], -1, 0x4000, 4)],
    ]);
    const { columns, rows } = readCopyColumns(stream, ['float4', 'float8', 'int2', 'int4', 'int8', 'bool', 'numeric']);
    expect(rows).toBe(2);
    expect(columns.map((c) => c[0])).toEqual([Math.fround(0.1), 0.1, -3, 70000, 2 ** 53, 1, 12.34]);
    expect(columns.map((c) => c[1])).toEqual([Number.NaN, -1.5, 0, -1, -7, 0, -0.0001]);
  });

  it('grows past its initial capacity', () => {
    const stream = copyStream(Array.from({ length: 5000 }, (_, i) => [i32(i)]));
    const { columns, rows } = readCopyColumns(stream, ['int4']);
    expect(rows).toBe(5000);
    expect(columns[0]![4999]).toBe(4999);
  });

  it('rejects wrong widths and truncation', () => {
    expect(() => readCopyColumns(copyStream([[i16(1)]]), ['int4'])).toThrow(/not a int4/);
    const full = copyStream([[float8(1), i32(2)]]);
    expect(() => readCopyColumns(full.subarray(0, full.length - 3), ['float8', 'int4'])).toThrow(/truncated/);
  });

  it('maps format_type spellings', () => {
    expect(copyNumericType('double precision')).toBe('float8');
    expect(copyNumericType('numeric(10,2)')).toBe('numeric');
    expect(copyNumericType('text')).toBeUndefined();
  });
});
