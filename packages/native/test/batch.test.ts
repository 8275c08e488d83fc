import { describe, expect, it } from 'vitest';
import * as native from '../index.js';
import { close, randomArray, ref, thrown } from './helpers.js';

const DIM = 17;
const ROWS = 301;
const matrix = new Float32Array(randomArray(ROWS * DIM, 42));
const query = new Float32Array(randomArray(DIM, 43));
const row = (i: number) => matrix.subarray(i * DIM, (i + 1) * DIM);
const reference = { dot: ref.dot, cosine: ref.cosine, l2: ref.l2 } as const;

describe('scoreRows / topK', () => {
  for (const metric of ['dot', 'cosine', 'l2'] as const) {
    it(`scoreRows ${metric} matches the reference`, () => {
      const scores = native.scoreRows(query, matrix, DIM, metric);
      expect(scores).toBeInstanceOf(Float32Array);
      expect(scores.length).toBe(ROWS);
      scores.forEach((s, i) => expect(close(s, reference[metric](query, row(i)), 1e-5, 1)).toBe(true));
    });

    it(`topK ${metric} is the best k, best first`, () => {
      const scores = Array.from(native.scoreRows(query, matrix, DIM, metric), (s, i) => ({ s, i }));
      scores.sort((x, y) => (metric === 'l2' ? x.s - y.s : y.s - x.s) || x.i - y.i);
      const { indices, scores: top } = native.topK(query, matrix, DIM, 10, metric);
      expect(indices).toBeInstanceOf(Uint32Array);
      expect(Array.from(indices)).toEqual(scores.slice(0, 10).map((x) => x.i));
      expect(Array.from(top)).toEqual(scores.slice(0, 10).map((x) => x.s));
    });
  }

  it('large matrices (above the parallel threshold) agree with the single-row kernel and BLAS', () => {
    const dim = 128;
    const big = new Float32Array(randomArray(20_000 * dim, 7));
    const q = new Float32Array(randomArray(dim, 8));
    const scores = native.scoreRows(q, big, dim, 'dot');
    for (const i of [0, 1, 4095, 19_999]) {
      expect(close(scores[i]!, native.dotProduct(q, big.subarray(i * dim, (i + 1) * dim)), 1e-5, 1)).toBe(true);
    }
    const blas = native.blasSgemv(big, dim, q);
    blas.forEach((v, i) => expect(close(v, scores[i]!, 1e-5, 1)).toBe(true));
  });

  it('k larger than the rows is clamped; k = 0 gives empty results; NaN ranks last', () => {
    expect(native.topK(query, matrix, DIM, 10_000, 'dot').indices.length).toBe(ROWS);
    expect(native.topK(query, matrix, DIM, 0, 'dot').indices.length).toBe(0);
    const m = new Float32Array([NaN, 1, 2, 3]);
    expect(Array.from(native.topK([1], m, 1, 4, 'dot').indices)).toEqual([3, 2, 1, 0]);
    expect(Array.from(native.topK([1], m, 1, 4, 'l2').indices)).toEqual([1, 2, 3, 0]);
  });

  it('number[] and Float64Array queries are accepted', () => {
    const expected = native.scoreRows(query, matrix, DIM, 'dot');
    expect(native.scoreRows(Array.from(query), matrix, DIM, 'dot')).toEqual(expected);
    expect(native.scoreRows(Float64Array.from(query), matrix, DIM, 'dot')).toEqual(expected);
  });

  it('rejects bad arguments with codes', () => {
    expect(thrown(() => native.scoreRows(query, matrix, DIM + 1, 'dot')).code).toBe('DIMENSION_MISMATCH');
    expect(thrown(() => native.scoreRows(query, matrix.subarray(1), DIM, 'dot')).code).toBe('DIMENSION_MISMATCH');
    expect(thrown(() => native.scoreRows(query, matrix, DIM, 'manhattan' as never)).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => native.scoreRows(query, Array.from(matrix) as never, DIM, 'dot')).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => native.topK(query, matrix, DIM, -1, 'dot')).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => native.topK(query, matrix, DIM, 1.5, 'dot')).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => native.scoreRows([], matrix, DIM, 'dot')).code).toBe('EMPTY_INPUT');
    expect(thrown(() => native.scoreRows(query, matrix, 0, 'dot')).code).toBe('DIMENSION_MISMATCH');
  });
});

describe('OpenBLAS', () => {
  it('blasSgemv and blasSdot match the reference', () => {
    const out = native.blasSgemv(matrix, DIM, query);
    out.forEach((v, i) => expect(close(v, ref.dot(query, row(i)), 1e-5, 1)).toBe(true));
    expect(close(native.blasSdot(query, row(3)), ref.dot(query, row(3)), 1e-5, 1)).toBe(true);
    expect(thrown(() => native.blasSdot([1, 2], [1])).code).toBe('DIMENSION_MISMATCH');
  });
});

describe('nativeInfo', () => {
  it('reports version, SIMD level, threads and BLAS', () => {
    const info = native.nativeInfo();
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(['avx2', 'sse2', 'scalar']).toContain(info.simd);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.blas).toMatch(/OpenBLAS/);
  });
});
