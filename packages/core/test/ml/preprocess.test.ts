import { describe, expect, it } from 'vitest';
import { PgmlError } from '../../src/errors.js';
import {
  applyPreprocessor,
  featureNames,
  fitPreprocessor,
  type ColumnDescription,
  type ColumnValues,
  type PreprocessOptions,
  type Scale,
} from '../../src/ml/preprocess.js';
import { medianOfSorted, modeOfSorted, percentileOfSorted, sortedCopy } from '../../src/ml/statistics.js';
import { expectClose, num, references } from './references.js';

type Col = ColumnDescription & { values: ColumnValues };
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

function thrown(fn: () => unknown): PgmlError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PgmlError);
    return e as PgmlError;
  }
  throw new Error('expected an error');
}

describe('statistics equal numpy', () => {
  for (const c of references.percentiles) {
    it(`percentiles and median of ${c.x.length} values`, () => {
      const sorted = sortedCopy(c.x);
      c.q.forEach((q: number, i: number) => expectClose(percentileOfSorted(sorted, q), c.percentiles[i], 1e-12, `p${q}`));
      expectClose(medianOfSorted(sorted), c.median, 1e-12, 'median');
    });
  }
  it('mode picks the smallest of the most frequent values (SimpleImputer most_frequent)', () => {
    const x = (references.scalers.mode_ties.x as Array<number | null>).map(num).filter((v) => !Number.isNaN(v));
    expect(modeOfSorted(sortedCopy(x))).toBe(references.scalers.mode_ties.mode);
  });
});

describe('numeric preprocessing equals sklearn SimpleImputer + scalers', () => {
  const s = references.scalers;
  const train = s.train as Array<Array<number | null>>;
  const test = s.test as Array<Array<number | null>>;
  const all = [...train, ...test];
  const columns: Col[] = range(0, 4).map((j) => ({
    name: `x${j}`,
    kind: 'numeric',
    values: Float64Array.from(all.map((row) => num(row[j]!))),
  }));
  const trainRows = range(0, train.length);
  const testRows = range(train.length, all.length);

  for (const [impute, key] of [
    ['mean', 'impute_mean'],
    ['median', 'impute_median'],
    ['mode', 'impute_most_frequent'],
  ] as const) {
    it(`impute ${impute} statistics`, () => {
      const options = Object.fromEntries(columns.map((c) => [c.name, { impute }])) as PreprocessOptions;
      const state = fitPreprocessor(columns, trainRows, options);
      state.columns.forEach((c, j) => expectClose(c.fill[0]!, s[key][j], 1e-12, `${impute} x${j}`));
    });
  }

  for (const scale of ['standard', 'min_max', 'max_abs', 'robust'] as Scale[]) {
    it(`scale ${scale} (fit on training rows, applied to imputed test rows)`, () => {
      const options = Object.fromEntries(columns.map((c) => [c.name, { impute: 'mean', scale }])) as PreprocessOptions;
      const state = fitPreprocessor(columns, trainRows, options);
      const out = applyPreprocessor(state, columns.map((c) => c.values), testRows);
      const expected = s[`scale_${scale}`] as number[][];
      expect([out.rows, out.cols]).toEqual([test.length, 4]);
      expected.forEach((row, i) => row.forEach((v, j) => expectClose(out.data[i * 4 + j]!, v, 1e-12, `${scale} [${i},${j}]`)));
      // The state survives JSON (it is stored in the snapshot) and gives the same features.
      const restored = JSON.parse(JSON.stringify(state));
      expect(applyPreprocessor(restored, columns.map((c) => c.values), testRows)).toEqual(out);
    });
  }
});

describe('categorical and structural preprocessing', () => {
  const color: Col = { name: 'color', kind: 'text', values: ['red', 'blue', null, 'green', 'blue', 'blue', 'mauve'] };
  const trainRows = [0, 1, 2, 3, 4, 5];

  it('text defaults to native encoding with sorted 1-based codes, and errors on NULL with impute error', () => {
    const e = thrown(() => fitPreprocessor([color], trainRows));
    expect(e.code).toBe('DATA_ERROR');
    expect(e.message).toMatch(/1 missing value.*"color"/);
    const state = fitPreprocessor([color], [0, 1, 3, 4, 5]);
    expect(state.columns[0]!.categories).toEqual(['blue', 'green', 'red']);
    expect([...applyPreprocessor(state, [color.values], [0, 1, 3]).data]).toEqual([3, 1, 2]);
    // An unseen category (row 6) is missing: impute error reports it.
    expect(thrown(() => applyPreprocessor(state, [color.values], [6])).message).toMatch(/unseen/);
  });

  it('mode imputation and scaling apply to the codes', () => {
    const state = fitPreprocessor([color], trainRows, { color: { impute: 'mode' } });
    expect([...applyPreprocessor(state, [color.values]).data]).toEqual([3, 1, 1, 2, 1, 1, 1]);
  });

  it('one_hot: one column per training category, unseen → all zeros, NULL imputed', () => {
    const state = fitPreprocessor([color], trainRows, { color: { encode: 'one_hot', impute: 'zero', scale: 'standard' } });
    expect(featureNames(state)).toEqual(['color=blue', 'color=green', 'color=red']);
    const out = applyPreprocessor(state, [color.values]);
    expect(out.cols).toBe(3);
    expect(Array.from({ length: 7 }, (_, i) => [...out.data.subarray(i * 3, i * 3 + 3)])).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    const mode = fitPreprocessor([color], trainRows, { color: { encode: 'one_hot', impute: 'mode' } });
    expect([...applyPreprocessor(mode, [color.values], [2]).data]).toEqual([1, 0, 0]);
  });

  it('target encoding: mean target per category from training rows only; impute mean allowed', () => {
    const target = [10, 2, 7, 5, 4, 6, 1000];
    const state = fitPreprocessor([color], trainRows, { color: { encode: 'target', impute: 'mean' } }, target);
    // blue = (2 + 4 + 6) / 3, green = 5, red = 10; NULL → mean of encoded present values.
    expect(state.columns[0]!.targetMeans).toEqual([4, 5, 10]);
    expect([...applyPreprocessor(state, [color.values], [0, 1, 2, 3]).data]).toEqual([10, 4, (10 + 4 + 5 + 4 + 4) / 5, 5]);
    expect(thrown(() => fitPreprocessor([color], trainRows, { color: { encode: 'target' } })).code).toBe('INVALID_ARGUMENT');
  });

  it('ordinal with an explicit order; a training value outside it is an error', () => {
    const size: Col = { name: 'size', kind: 'text', values: ['m', 's', 'l', 'm'] };
    const state = fitPreprocessor([size], [0, 1, 2, 3], { size: { encode: { ordinal: ['s', 'm', 'l'] } } });
    expect([...applyPreprocessor(state, [size.values]).data]).toEqual([2, 1, 3, 2]);
    const e = thrown(() => fitPreprocessor([size], [0, 1, 2, 3], { size: { encode: { ordinal: ['s', 'm'] } } }));
    expect(e.code).toBe('DATA_ERROR');
    expect(e.message).toMatch(/"l"/);
  });

  it('array columns expand into arrayLength features with per-element statistics', () => {
    const emb: Col = { name: 'emb', kind: 'array', arrayLength: 2, values: Float64Array.from([1, 10, 3, Number.NaN, 5, 30]) };
    const flag: Col = { name: 'flag', kind: 'bool', values: [1, 0, 1] };
    const state = fitPreprocessor([emb, flag], [0, 1, 2], { emb: { impute: 'median', scale: 'min_max' } });
    expect(featureNames(state)).toEqual(['emb[0]', 'emb[1]', 'flag']);
    const out = applyPreprocessor(state, [emb.values, flag.values]);
    expect([...out.data]).toEqual([0, 0, 1, 0.5, 0.5, 0, 1, 1, 1]);
  });

  it('constant columns centre with scale 1 (sklearn zero-variance handling)', () => {
    const c: Col = { name: 'c', kind: 'numeric', values: [4, 4, 4, 5] };
    const state = fitPreprocessor([c], [0, 1, 2], { c: { scale: 'standard' } });
    expect([...applyPreprocessor(state, [c.values]).data]).toEqual([0, 0, 0, 1]);
  });

  it('validates options and data with typed errors', () => {
    const x: Col = { name: 'x', kind: 'numeric', values: [1, 2, 3] };
    expect(thrown(() => fitPreprocessor([x], [0, 1], { y: {} })).message).toMatch(/unknown column "y"/);
    expect(thrown(() => fitPreprocessor([x], [0, 1], { x: { encode: 'one_hot' } })).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => fitPreprocessor([x], [0, 1], { x: { scale: 'log' as Scale } })).message).toMatch(/unknown scale/);
    expect(thrown(() => fitPreprocessor([color], trainRows, { color: { impute: 'mean' } })).message).toMatch(/target/);
    const empty: Col = { name: 'e', kind: 'numeric', values: [Number.NaN, Number.NaN] };
    expect(thrown(() => fitPreprocessor([empty], [0, 1], { e: { impute: 'zero' } })).message).toMatch(/NULL in all 2/);
    const withNull: Col = { name: 'n', kind: 'numeric', values: [1, Number.NaN, Number.NaN, 2] };
    const e = thrown(() => fitPreprocessor([withNull], [0, 1, 2, 3]));
    expect(e.code).toBe('DATA_ERROR');
    expect(e.details).toEqual({ column: 'n', missing: 2 });
    const inf: Col = { name: 'i', kind: 'numeric', values: [1, Number.POSITIVE_INFINITY] };
    expect(thrown(() => fitPreprocessor([inf], [0, 1])).code).toBe('DATA_ERROR');
    const state = fitPreprocessor([x], [0, 1]);
    expect(thrown(() => applyPreprocessor(state, [])).code).toBe('DIMENSION_MISMATCH');
  });
});
