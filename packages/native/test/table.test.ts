// The data path: binary COPY → native table → preprocessing → model input, and predictions → COPY FROM. Numeric
// preprocessing is checked against scikit-learn's imputers and scalers (references committed by
// packages/core/scripts/make-ml-references.py from Debian's scikit-learn 1.2.1).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeaturePreprocessor, TableDecoder, type NativeTable, type PreprocessColumnOptions, type TableColumn } from '../index.js';
import { copyStream, float4, float8, floatArray, i16, i32, type Field } from '../../core/test/db/copy-builder.js';
import { thrown } from './helpers.js';

const references: any = JSON.parse(readFileSync(new URL('../../core/test/ml/fixtures/sklearn-references.json', import.meta.url), 'utf8'));
const num = (v: number | null): number => (v === null ? Number.NaN : v);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const int8 = (v: number): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v));
  return b;
};
const int4Array = (values: (number | null)[], dims = [values.length]): Uint8Array => {
  const parts = [i32(dims.length), i32(values.some((v) => v === null) ? 1 : 0), i32(23), ...dims.flatMap((d) => [i32(d), i32(1)])];
  for (const v of values) parts.push(...(v === null ? [i32(-1)] : [i32(4), i32(v)]));
  return Uint8Array.from(parts.flatMap((p) => [...p]));
};
const options = (partial: Partial<PreprocessColumnOptions> = {}): PreprocessColumnOptions => ({
  encode: 'native',
  impute: 'error',
  scale: 'preserve',
  ...partial,
});

/** Decodes `rows` pushed in chunks of `chunk` bytes (tuples straddle chunks). */
function decode(columns: TableColumn[], rows: Field[][], chunk = 7): NativeTable {
  const bytes = copyStream(rows);
  const decoder = new TableDecoder(columns);
  for (let at = 0; at < bytes.length; at += chunk) decoder.push(bytes.subarray(at, at + chunk));
  return decoder.finish();
}

const range = (n: number, from = 0) => Uint32Array.from({ length: n }, (_, i) => from + i);

describe('TableDecoder', () => {
  it('decodes every wire type, NULLs and n-D arrays into one row-major matrix, whatever the chunking', async () => {
    const columns: TableColumn[] = [
      { name: 'id', type: 'int8', role: 'key' },
      { name: 'f4', type: 'float4', role: 'feature' },
      { name: 'i2', type: 'int2', role: 'feature' },
      { name: 'flag', type: 'bool', role: 'feature' },
      { name: 'grid', type: 'int4', role: 'feature', arrayLength: 4 },
      { name: 'color', type: 'text', role: 'feature' },
      { name: 'y', type: 'float8', role: 'label' },
    ];
    const rows: Field[][] = [
      [int8(1), float4(0.1), i16(-3), Uint8Array.of(1), int4Array([1, 2, 3, 4], [2, 2]), text('red'), float8(1.5)],
      [int8(2), null, i16(7), Uint8Array.of(0), null, text('blue'), float8(-2)],
      [int8(3), float4(2), i16(0), null, int4Array([5, null, 7, 8], [2, 2]), null, null],
    ];
    for (const chunk of [1, 5, 64, 10_000]) {
      const table = decode(columns, rows, chunk);
      expect([table.rows, table.width]).toEqual([3, 8]);
      const y = table.takeLabel(0).values;
      expect(Array.from(y.subarray(0, 2))).toEqual([1.5, -2]);
      expect(y[2]).toBeNaN();
      const state = await table.fitPreprocessor(
        [options({ impute: 'zero' }), options(), options({ impute: 'zero' }), options({ impute: 'zero' }), options({ impute: 'mode' })],
        range(3),
      );
      const x = await table.transform(state, range(3), 3);
      // f4 (NULL → 0), i2, flag (NULL → 0), grid 2×2 flattened (NULL array/element → 0), color (blue=1 red=2, NULL → mode).
      expect(Array.from(x)).toEqual([
        Math.fround(0.1), -3, 1, 1, 2, 3, 4, 2,
        0, 7, 0, 0, 0, 0, 0, 1,
        2, 0, 0, 5, 0, 7, 8, 1,
      ]);
    }
  });

  it('ragged arrays, bad fields, truncated and foreign streams are DATA_ERRORs naming column and row', () => {
    const emb: TableColumn[] = [{ name: 'emb', type: 'float4', role: 'feature', arrayLength: 2 }];
    const ragged = thrown(() => decode(emb, [[floatArray([1, 2])], [floatArray([1, 2, 3])]]));
    expect(ragged.code).toBe('DATA_ERROR');
    expect(ragged.message).toMatch(/column "emb" row 1: an array of 3 elements/);
    const wrongType = thrown(() => decode(emb, [[floatArray([1, 2], 701)]]));
    expect(wrongType.message).toMatch(/column "emb" row 0: .*oid 701/);
    const short = thrown(() => decode([{ name: 'x', type: 'float8', role: 'feature' }], [[float4(1)]]));
    expect(short.message).toMatch(/column "x" row 0: 4 bytes is not a float8/);
    const bytes = copyStream([[float8(1)]]);
    const decoder = new TableDecoder([{ name: 'x', type: 'float8', role: 'feature' }]);
    decoder.push(bytes.subarray(0, bytes.length - 2));
    expect(thrown(() => decoder.finish()).message).toMatch(/truncated/);
    expect(thrown(() => new TableDecoder([{ name: 'x', type: 'float8', role: 'feature' }]).push(text('not a copy stream...'))).message).toMatch(/signature/);
    expect(thrown(() => new TableDecoder([{ name: 'x', type: 'money' as 'float8', role: 'feature' }])).code).toBe('INVALID_ARGUMENT');
  });

  it('takes rows batch by batch, counting rows across batches in messages', () => {
    const decoder = new TableDecoder([{ name: 'x', type: 'float8', role: 'feature' }]);
    const bytes = copyStream([[float8(1)], [float8(2)], [float4(3)]]);
    expect(decoder.push(bytes.subarray(0, 19 + 2 * 14))).toBe(2);
    expect(decoder.take().rows).toBe(2);
    expect(thrown(() => decoder.push(bytes.subarray(19 + 2 * 14))).message).toMatch(/row 2/);
  });
});

describe('preprocessing equals scikit-learn SimpleImputer + scalers', () => {
  const s = references.scalers;
  const all: Array<Array<number | null>> = [...s.train, ...s.test];
  const columns: TableColumn[] = [0, 1, 2, 3].map((j) => ({ name: `x${j}`, type: 'float8', role: 'feature' }));
  const table = () => decode(columns, all.map((row) => row.map((v) => (v === null ? null : float8(v)))), 64);
  const nTrain = s.train.length;
  const close = (actual: number, expected: number, what: string) =>
    expect(Math.abs(actual - expected), what).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));

  for (const [impute, key] of [['mean', 'impute_mean'], ['median', 'impute_median'], ['mode', 'impute_most_frequent']] as const) {
    it(`impute ${impute}`, async () => {
      const state = await table().fitPreprocessor(columns.map(() => options({ impute })), range(nTrain));
      state.columns.forEach((c, j) => close((c as unknown as { fill: number[] }).fill[0]!, s[key][j], `${impute} x${j}`));
    });
  }

  for (const scale of ['standard', 'min_max', 'max_abs', 'robust'] as const) {
    it(`scale ${scale}, fit on training rows, applied to imputed test rows (in place, and by the predict preprocessor)`, async () => {
      const t = table();
      const state = await t.fitPreprocessor(columns.map(() => options({ impute: 'mean', scale })), range(nTrain));
      const x = await t.transform(state, range(all.length), nTrain);
      const expected = s[`scale_${scale}`] as number[][];
      expected.forEach((row, i) => row.forEach((v, j) => close(x[(nTrain + i) * 4 + j]!, v, `${scale} [${i},${j}]`)));
      const fromRaw = new FeaturePreprocessor(state).apply(Float64Array.from(s.test.flat().map(num)), s.test.length);
      expect(Array.from(fromRaw)).toEqual(Array.from(x.subarray(nTrain * 4)));
    });
  }
});

describe('categorical and structural preprocessing', () => {
  const colors = ['red', 'blue', null, 'green', 'blue', 'blue', 'mauve'];
  const colorTable = () => decode([{ name: 'color', type: 'text', role: 'feature' }], colors.map((c) => [c === null ? null : text(c)]));
  const train = Uint32Array.of(0, 1, 2, 3, 4, 5);
  const all = range(7);

  it('text defaults to native encoding with sorted 1-based codes; NULL and unseen categories are errors with a valid hint', async () => {
    const error = await colorTable().fitPreprocessor([options()], train).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'DATA_ERROR', message: expect.stringMatching(/1 missing value.*"color".*\{"color": \{"impute": "mode"\}\}/) });
    const t = colorTable();
    const state = await t.fitPreprocessor([options()], Uint32Array.of(0, 1, 3, 4, 5));
    expect((state.columns[0] as unknown as { categories: string[] }).categories).toEqual(['blue', 'green', 'red']);
    const unseen = await t.transform(state, Uint32Array.of(0, 1, 3, 4, 5, 2, 6), 5).catch((e: Error) => e);
    expect(unseen).toMatchObject({ code: 'DATA_ERROR', message: expect.stringMatching(/2 missing value.*test \(NULL or a category unseen in training\)/) });
    expect(Array.from(new FeaturePreprocessor(state).apply(Float64Array.of(2, 0, 1), 3))).toEqual([3, 1, 2]);
  });

  it('mode imputation and scaling apply to the codes', async () => {
    const t = colorTable();
    const state = await t.fitPreprocessor([options({ impute: 'mode' })], train);
    expect(Array.from(await t.transform(state, all, 6))).toEqual([3, 1, 1, 2, 1, 1, 1]);
  });

  it('one_hot: one column per training category (gathered: the width changes), unseen → zeros, NULL imputed', async () => {
    const t = colorTable();
    const state = await t.fitPreprocessor([options({ encode: 'one_hot', impute: 'zero', scale: 'standard' })], train);
    expect(state.numFeatures).toBe(3);
    const x = await t.transform(state, all, 6);
    expect(Array.from({ length: 7 }, (_, i) => Array.from(x.subarray(i * 3, i * 3 + 3)))).toEqual([
      [0, 0, 1], [1, 0, 0], [0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0], [0, 0, 0],
    ]);
    const mode = colorTable();
    const modeState = await mode.fitPreprocessor([options({ encode: 'one_hot', impute: 'mode' })], train);
    expect(Array.from(await mode.transform(modeState, Uint32Array.of(2, 0, 1, 3, 4, 5, 6), 6)).slice(0, 3)).toEqual([1, 0, 0]);
  });

  it('target encoding: mean target per category from training rows only', async () => {
    const t = colorTable();
    const target = Float64Array.of(10, 2, 7, 5, 4, 6, 1000);
    const state = await t.fitPreprocessor([options({ encode: 'target', impute: 'mean' })], train, target);
    expect((state.columns[0] as unknown as { targetMeans: number[] }).targetMeans).toEqual([4, 5, 10]);
    expect(Array.from((await t.transform(state, all, 6)).subarray(0, 4))).toEqual([10, 4, (10 + 4 + 5 + 4 + 4) / 5, 5]);
    await expect(colorTable().fitPreprocessor([options({ encode: 'target' })], train)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('ordinal with an explicit order; a training value outside it is an error', async () => {
    const sizes = () => decode([{ name: 'size', type: 'text', role: 'feature' }], ['m', 's', 'l', 'm'].map((v) => [text(v)]));
    const t = sizes();
    const state = await t.fitPreprocessor([options({ encode: 'ordinal', ordinal: ['s', 'm', 'l'] })], range(4));
    expect(Array.from(await t.transform(state, range(4), 4))).toEqual([2, 1, 3, 2]);
    const error = await sizes().fitPreprocessor([options({ encode: 'ordinal', ordinal: ['s', 'm'] })], range(4)).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'DATA_ERROR', message: expect.stringMatching(/"l"/) });
  });

  it('arrays get per-element statistics; constant columns centre with scale 1; inf and all-NULL are errors', async () => {
    const t = decode(
      [{ name: 'emb', type: 'float8', role: 'feature', arrayLength: 2 }, { name: 'flag', type: 'bool', role: 'feature' }],
      [[floatArray([1, 10], 701), Uint8Array.of(1)], [floatArray([3, null], 701), Uint8Array.of(0)], [floatArray([5, 30], 701), Uint8Array.of(1)]],
    );
    const state = await t.fitPreprocessor([options({ impute: 'median', scale: 'min_max' }), options()], range(3));
    expect(Array.from(await t.transform(state, range(3), 3))).toEqual([0, 0, 1, 0.5, 0.5, 0, 1, 1, 1]);
    const constant = decode([{ name: 'c', type: 'float8', role: 'feature' }], [4, 4, 4, 5].map((v) => [float8(v)]));
    const cs = await constant.fitPreprocessor([options({ scale: 'standard' })], range(3));
    expect(Array.from(await constant.transform(cs, range(4), 3))).toEqual([0, 0, 0, 1]);
    // Pass-through columns are checked as the matrix is transformed (nothing to fit reads them before).
    const inf = decode([{ name: 'i', type: 'float8', role: 'feature' }], [[float8(1)], [float8(Number.POSITIVE_INFINITY)]]);
    const infState = await inf.fitPreprocessor([options()], range(2));
    await expect(inf.transform(infState, range(2), 2)).rejects.toMatchObject({ code: 'DATA_ERROR', message: 'column "i" contains Infinity in training row 1' });
    const scaledInf = decode([{ name: 'i', type: 'float8', role: 'feature' }], [[float8(1)], [float8(Number.POSITIVE_INFINITY)]]);
    await expect(scaledInf.fitPreprocessor([options({ scale: 'standard' })], range(2))).rejects.toMatchObject({ code: 'DATA_ERROR' });
    const empty = decode([{ name: 'e', type: 'float8', role: 'feature' }], [[null], [null]]);
    await expect(empty.fitPreprocessor([options({ impute: 'zero' })], range(2))).rejects.toMatchObject({ message: expect.stringMatching(/NULL in all 2/) });
    const missing = decode([{ name: 'emb', type: 'float8', role: 'feature', arrayLength: 2 }], [[floatArray([1, null], 701)], [floatArray([2, 3], 701)]]);
    const missingState = await missing.fitPreprocessor([options()], range(2));
    await expect(missing.transform(missingState, range(2), 2)).rejects.toMatchObject({
      message: expect.stringMatching(/1 missing value\(s\) in training rows of column "emb\[1\]".*\{"emb": \{"impute": "mean"\}\}/),
    });
  });

  it('a permuted transform puts rows in the given order and the table gives up its matrix', async () => {
    const t = decode([{ name: 'x', type: 'float8', role: 'feature' }], [0, 1, 2, 3, 4].map((v) => [float8(v)]));
    const state = await t.fitPreprocessor([options()], Uint32Array.of(4, 1, 2));
    expect(Array.from(await t.transform(state, Uint32Array.of(4, 1, 2, 0, 3), 3))).toEqual([4, 1, 2, 0, 3]);
    await expect(t.transform(state, range(5), 3)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(t.fitPreprocessor([options()], Uint32Array.of(9))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('encodePredictions', () => {
  it('writes keys as they were read with the prediction and probabilities, as COPY FROM takes them', () => {
    const t = decode([{ name: 'id', type: 'int8', role: 'key' }, { name: 'x', type: 'float8', role: 'feature' }], [[int8(7), float8(1)], [int8(9), float8(2)]]);
    const bytes = t.encodePredictions({ kind: 'text', values: Float64Array.of(1, 0), labels: ['cat', 'dog'], probabilities: Float64Array.of(0.2, 0.8, 0.6, 0.4), classes: 2 });
    const back = new TableDecoder([
      { name: 'id', type: 'int8', role: 'label' },
      { name: 'label', type: 'text', role: 'label' },
      { name: 'p', type: 'float8', role: 'feature', arrayLength: 2 },
    ]);
    back.push(bytes);
    const table = back.finish();
    expect(Array.from(table.takeLabel(0).values)).toEqual([7, 9]);
    const labels = table.takeLabel(1);
    expect(Array.from(labels.values, (code) => labels.categories![code])).toEqual(['dog', 'cat']);
    expect(thrown(() => t.encodePredictions({ kind: 'bool', values: Float64Array.of(0, 2) })).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => t.encodePredictions({ kind: 'number', values: Float64Array.of(1) })).code).toBe('INVALID_ARGUMENT');
  });
});
