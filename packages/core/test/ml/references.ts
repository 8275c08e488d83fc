/** Loads the committed sklearn reference values and compares numbers at sklearn-parity tolerance. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Matrix } from '../../src/runtime.js';

export const references: any = JSON.parse(
  readFileSync(new URL('./fixtures/sklearn-references.json', import.meta.url), 'utf8'),
);

/** JSON has no NaN: the generator writes null. */
export const num = (v: number | null): number => (v === null ? Number.NaN : v);

export function matrix(rows: Array<Array<number | null>> | Array<number | null>): Matrix {
  if (!Array.isArray(rows[0])) {
    const flat = (rows as Array<number | null>).map(num);
    return { data: Float64Array.from(flat), rows: flat.length, cols: 1 };
  }
  const r = rows as Array<Array<number | null>>;
  return { data: Float64Array.from(r.flat().map(num)), rows: r.length, cols: r[0]!.length };
}

/** |actual − expected| ≤ tol·max(1, |expected|): relative for large values, absolute near zero. */
export function expectClose(actual: number, expected: number | null, tol = 1e-12, what = ''): void {
  const e = num(expected);
  if (Number.isNaN(e)) {
    expect(actual, what).toBeNaN();
    return;
  }
  const err = Math.abs(actual - e);
  if (!(err <= tol * Math.max(1, Math.abs(e)))) {
    throw new Error(`${what}: expected ${e}, got ${actual} (error ${err.toExponential(2)} > tol ${tol})`);
  }
}
