import { describe, expect, it } from 'vitest';
import * as native from '../index.js';
import { LENGTHS, close, randomArray, ref, thrown } from './helpers.js';

type Kind = 'f32' | 'f64' | 'number[]';
const KINDS: Kind[] = ['f32', 'f64', 'number[]'];
const make = (kind: Kind, values: number[]) =>
  kind === 'f32' ? new Float32Array(values) : kind === 'f64' ? new Float64Array(values) : values;
// f32 inputs: the reference runs in f64 on the same (already rounded) values; tolerance covers f32 accumulation.
const tolerance = (kind: Kind) => (kind === 'f32' ? 1e-5 : 1e-12);

describe.each(KINDS)('vector functions on %s', (kind) => {
  for (const n of LENGTHS) {
    const a = make(kind, randomArray(n, n * 7 + 1));
    const b = make(kind, randomArray(n, n * 13 + 5));
    const [ra, rb] = [Array.from(a), Array.from(b)];
    const rel = tolerance(kind);
    const scale = Math.sqrt(n);

    it(`scalar pair functions, n=${n}`, () => {
      expect(close(native.dotProduct(a, b), ref.dot(ra, rb), rel, scale)).toBe(true);
      expect(close(native.distanceL1(a, b), ref.l1(ra, rb), rel, scale)).toBe(true);
      expect(close(native.distanceL2(a, b), ref.l2(ra, rb), rel, scale)).toBe(true);
      expect(close(native.cosineSimilarity(a, b), ref.cosine(ra, rb), rel * 10)).toBe(true);
    });

    it(`norms and normalize, n=${n}`, () => {
      expect(native.normL0(a)).toBe(ref.normL0(ra));
      expect(close(native.normL1(a), ref.normL1(ra), rel, scale)).toBe(true);
      expect(close(native.normL2(a), ref.normL2(ra), rel, scale)).toBe(true);
      expect(native.normMax(a)).toBe(ref.normMax(ra));
      const norms = { normalizeL1: ref.normL1(ra), normalizeL2: ref.normL2(ra), normalizeMax: ref.normMax(ra) };
      for (const [name, norm] of Object.entries(norms) as [keyof typeof norms, number][]) {
        const out = native[name](a as Float64Array);
        expect(out).toBeInstanceOf(kind === 'f32' ? Float32Array : Float64Array);
        out.forEach((v, i) => expect(close(v, ra[i]! / norm, rel * 10, 1)).toBe(true));
      }
    });

    it(`elementwise, n=${n}`, () => {
      const ops = { add: (x: number, y: number) => x + y, subtract: (x: number, y: number) => x - y,
        multiply: (x: number, y: number) => x * y, divide: (x: number, y: number) => x / y };
      for (const [name, op] of Object.entries(ops) as [keyof typeof ops, (x: number, y: number) => number][]) {
        const out = native[name](a as Float64Array, b);
        expect(out).toBeInstanceOf(kind === 'f32' ? Float32Array : Float64Array);
        expect(out.length).toBe(n);
        const expected = kind === 'f32' ? Float32Array.from(ra, (x, i) => op(x, rb[i]!)) : ra.map((x, i) => op(x, rb[i]!));
        out.forEach((v, i) => expect(v).toBe(expected[i]));
        // PostgresML's scalar overloads (pgml.add(vector, 3)): the scalar is taken in the vector's precision.
        const scalar = 0.1;
        const byScalar = native[name](a as Float64Array, scalar);
        expect(byScalar).toBeInstanceOf(kind === 'f32' ? Float32Array : Float64Array);
        const s = kind === 'f32' ? Math.fround(scalar) : scalar;
        const wanted = kind === 'f32' ? Float32Array.from(ra, (x) => op(x, s)) : ra.map((x) => op(x, s));
        byScalar.forEach((v, i) => expect(v).toBe(wanted[i]));
      }
    });

    it(`aggregates, n=${n}`, () => {
      const c = make(kind, randomArray(n, n * 17 + 9));
      const rows = [ra, rb, Array.from(c)];
      const column = (i: number) => rows.map((r) => r[i]!);
      const round = (x: number) => (kind === 'f32' ? Math.fround(x) : x);
      const expectations = {
        sum: (i: number) => column(i).reduce((s, x) => round(s + x)),
        min: (i: number) => Math.min(...column(i)),
        max: (i: number) => Math.max(...column(i)),
        minAbs: (i: number) => Math.min(...column(i).map(Math.abs)),
        maxAbs: (i: number) => Math.max(...column(i).map(Math.abs)),
      };
      for (const [name, f] of Object.entries(expectations) as [keyof typeof expectations, (i: number) => number][]) {
        const out = native[name]([a, b, c] as Float32Array[]);
        expect(out).toBeInstanceOf(kind === 'f32' ? Float32Array : Float64Array);
        out.forEach((v, i) => expect(v).toBe(f(i)));
      }
    });
  }
});

describe('precision and result types', () => {
  it('Float32Array in → Float32Array out, even when b is f64 (computed in f64)', () => {
    const out = native.add(new Float32Array([0.1, 0.2]), new Float64Array([0.1, 0.2]));
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([Math.fround(Math.fround(0.1) + 0.1), Math.fround(Math.fround(0.2) + 0.2)]);
    expect(native.add([1, 2], new Float32Array([1, 2]))).toBeInstanceOf(Float64Array);
  });

  it('scalars are exact for number[] input', () => {
    expect(native.dotProduct([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(native.normL2([3, 4])).toBe(5);
  });
});

describe('conventions: NaN, Infinity, zero vectors', () => {
  it('NaN and Infinity propagate', () => {
    expect(native.dotProduct([1, NaN], [1, 1])).toBeNaN();
    expect(native.normL2([Infinity, 1])).toBe(Infinity);
    expect(native.normMax([1, NaN, 3])).toBeNaN();
    expect(native.cosineSimilarity([NaN, 1], [1, 1])).toBeNaN();
    expect(Array.from(native.max([[1, NaN], [2, 5]]))).toEqual([2, NaN]);
    expect(Array.from(native.min([[NaN, 1], [0, 5]]))).toEqual([NaN, 1]);
    expect(Array.from(native.divide([1, 0, -1], [0, 0, 0]))).toEqual([Infinity, NaN, -Infinity]);
  });

  it('cosine similarity with a zero vector is 0; normalising a zero vector gives zeros', () => {
    expect(native.cosineSimilarity([0, 0, 0], [1, 2, 3])).toBe(0);
    expect(native.cosineSimilarity(new Float32Array(3), new Float32Array(3))).toBe(0);
    for (const f of [native.normalizeL1, native.normalizeL2, native.normalizeMax]) {
      expect(Array.from(f(new Float32Array(4)))).toEqual([0, 0, 0, 0]);
    }
  });

  it('minAbs/maxAbs return magnitudes, like PostgresML', () => {
    expect(Array.from(native.minAbs([[-3, 2], [4, -1]]))).toEqual([3, 1]);
    expect(Array.from(native.maxAbs([[-3, 2], [4, -1]]))).toEqual([4, 2]);
  });
});

describe('errors', () => {
  it('empty input → EMPTY_INPUT', () => {
    expect(thrown(() => native.dotProduct([], [])).code).toBe('EMPTY_INPUT');
    expect(thrown(() => native.normL2(new Float32Array(0))).code).toBe('EMPTY_INPUT');
    expect(thrown(() => native.sum([])).code).toBe('EMPTY_INPUT');
  });

  it('length mismatch → DIMENSION_MISMATCH with a clear message', () => {
    const error = thrown(() => native.dotProduct(new Float32Array(3), new Float32Array(4)));
    expect(error.code).toBe('DIMENSION_MISMATCH');
    expect(error.message).toBe('dotProduct: dimension mismatch: a has 3 elements, b has 4');
    expect(thrown(() => native.max([[1, 2], [1, 2, 3]])).code).toBe('DIMENSION_MISMATCH');
  });

  it.each([['a string', 'abc'], ['an object', { length: 3 }], ['null', null], ['a number', 3], ['undefined', undefined]])(
    'non-vector argument (%s) → INVALID_ARGUMENT',
    (_, value) => {
      const error = thrown(() => native.dotProduct(value as never, [1, 2, 3]));
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(/^dotProduct: a must be a Float32Array, Float64Array or number\[\]/);
    },
  );

  it('non-number array elements and other typed arrays → INVALID_ARGUMENT', () => {
    expect(thrown(() => native.normL1([1, '2', 3] as never)).message).toBe('normL1: a[1] must be a number, got a string');
    expect(thrown(() => native.normL1(new Int32Array(3) as never)).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => native.sum('x' as never)).code).toBe('INVALID_ARGUMENT');
  });
});
