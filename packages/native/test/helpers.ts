// Shared test fixtures: a seeded RNG, plain-TS reference implementations and a binary COPY stream builder.
import { createRng } from '@pgml-ts/core';

export const LENGTHS = [1, 3, 7, 8, 9, 15, 16, 17, 33, 127, 128, 129, 1000];

/** core's seeded generator (mulberry32), as a function: uniforms in [0, 1). */
export function rng(seed: number): () => number {
  return createRng(seed).next;
}

export function randomArray(n: number, seed: number): number[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => next() * 2 - 1);
}

export const ref = {
  dot: (a: ArrayLike<number>, b: ArrayLike<number>) => sumOf(a.length, (i) => a[i]! * b[i]!),
  l1: (a: ArrayLike<number>, b: ArrayLike<number>) => sumOf(a.length, (i) => Math.abs(a[i]! - b[i]!)),
  l2: (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(sumOf(a.length, (i) => (a[i]! - b[i]!) ** 2)),
  normL0: (a: ArrayLike<number>) => sumOf(a.length, (i) => (a[i] === 0 ? 0 : 1)),
  normL1: (a: ArrayLike<number>) => sumOf(a.length, (i) => Math.abs(a[i]!)),
  normL2: (a: ArrayLike<number>) => Math.sqrt(sumOf(a.length, (i) => a[i]! ** 2)),
  normMax: (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs)),
  cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
    const na = ref.normL2(a);
    const nb = ref.normL2(b);
    return na === 0 || nb === 0 ? 0 : ref.dot(a, b) / (na * nb);
  },
};

function sumOf(n: number, f: (i: number) => number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += f(i);
  return s;
}

/** Relative closeness with an absolute floor (sums of n terms lose ~n·ε relative to their magnitude). */
export function close(actual: number, expected: number, rel: number, scale = 1): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), scale);
}

/**
 * Builds a PostgreSQL binary COPY stream of one float4[] (oid 700) or float8[] (oid 701) column; `nullElement`
 * [row, element] makes that element NULL.
 */
export function buildCopy(
  rows: (number[] | null)[],
  oid: 700 | 701 = 700,
  options: { nullElement?: [number, number] } = {},
): Uint8Array {
  const size = oid === 700 ? 4 : 8;
  const bytes = new Uint8Array(1 << 16);
  const view = new DataView(bytes.buffer);
  const out: Uint8Array[] = [];
  let used = 0;
  const flush = () => {
    out.push(bytes.slice(0, used));
    used = 0;
  };
  const ensure = (n: number) => {
    if (used + n > bytes.length) flush();
  };
  const i16 = (v: number) => (ensure(2), view.setInt16(used, v), (used += 2));
  const i32 = (v: number) => (ensure(4), view.setInt32(used, v), (used += 4));
  const float = (v: number) => (ensure(size), size === 4 ? view.setFloat32(used, v) : view.setFloat64(used, v), (used += size));
  ensure(11);
  bytes.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00], used);
  used += 11;
  i32(0);
  i32(0);
  rows.forEach((values, r) => {
    i16(1);
    if (values === null) return i32(-1);
    const hasNull = options.nullElement?.[0] === r;
    i32(20 + values.length * (4 + size) - (hasNull ? size : 0));
    i32(1);
    i32(hasNull ? 1 : 0);
    i32(oid);
    i32(values.length);
    i32(1);
    values.forEach((v, e) => {
      if (hasNull && options.nullElement?.[1] === e) return i32(-1);
      i32(size);
      float(v);
    });
    return undefined;
  });
  i16(-1);
  flush();
  const total = out.reduce((n, p) => n + p.length, 0);
  const result = new Uint8Array(total);
  let offset = 0;
  for (const p of out) {
    result.set(p, offset);
    offset += p.length;
  }
  return result;
}

/** Runs `fn` and returns the thrown error (fails if nothing is thrown). */
export function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a throw');
}
