import { describe, expect, it } from 'vitest';
import { PgmlError } from '../../src/errors.js';
import { kFold, largestRemainderAllocation, testRowCount, trainTestSplit } from '../../src/ml/split.js';
import { createRng } from '../../src/ml/random.js';

function expectCode(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PgmlError);
    expect((error as PgmlError).code).toBe(code);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an error');
}

function expectPartition(rows: number, a: Uint32Array, b: Uint32Array): void {
  const all = [...a, ...b].sort((x, y) => x - y);
  expect(all).toEqual(Array.from({ length: rows }, (_, i) => i));
  for (const arr of [a, b]) for (let i = 1; i < arr.length; i++) expect(arr[i]!).toBeGreaterThan(arr[i - 1]!);
}

describe('testRowCount', () => {
  it('rounds fractions and takes counts > 1 as rows (PostgresML)', () => {
    expect(testRowCount(100, 0.25)).toBe(25);
    expect(testRowCount(10, 0.25)).toBe(3); // round(2.5) = 3
    expect(testRowCount(100, 7)).toBe(7);
  });
  it('validates', () => {
    expectCode(() => testRowCount(100, 0), 'INVALID_ARGUMENT', /fraction/);
    expectCode(() => testRowCount(100, -0.1), 'INVALID_ARGUMENT');
    expectCode(() => testRowCount(100, Number.NaN), 'INVALID_ARGUMENT');
    expectCode(() => testRowCount(100, 1), 'INVALID_ARGUMENT', /every row/);
    expectCode(() => testRowCount(100, 100), 'INVALID_ARGUMENT', /no training rows/);
    expectCode(() => testRowCount(100, 250), 'INVALID_ARGUMENT', /no training rows/);
    expectCode(() => testRowCount(100, 2.5), 'INVALID_ARGUMENT', /integer/);
    expectCode(() => testRowCount(3, 0.1), 'INVALID_ARGUMENT', /empty test set/);
  });
});

describe('trainTestSplit', () => {
  it('last: the last rows are the test set', () => {
    const { train, test } = trainTestSplit({ rows: 10, testSize: 0.3, sampling: 'last' });
    expect([...train]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...test]).toEqual([7, 8, 9]);
  });

  it('random: partition, deterministic per seed, different across seeds', () => {
    const a = trainTestSplit({ rows: 1000, testSize: 0.2, sampling: 'random', seed: 7 });
    const b = trainTestSplit({ rows: 1000, testSize: 0.2, sampling: 'random', seed: 7 });
    const c = trainTestSplit({ rows: 1000, testSize: 0.2, sampling: 'random', seed: 8 });
    expect(a.test.length).toBe(200);
    expectPartition(1000, a.train, a.test);
    expect(a).toEqual(b);
    expect(a.test).not.toEqual(c.test);
  });

  it('stratified: class proportions in test within one row per class, deterministic', () => {
    const rng = createRng(3);
    const rows = 997;
    // Skewed classes incl. a tiny one and an absent index (class 4).
    const weights = [0.6, 0.25, 0.1, 0.04, 0, 0.01];
    const labels = Array.from({ length: rows }, () => {
      let u = rng.next();
      for (let c = 0; c < weights.length; c++) if ((u -= weights[c]!) < 0) return c;
      return 0;
    });
    for (const testSize of [0.25, 0.1, 0.5, 123]) {
      const split = trainTestSplit({ rows, testSize, sampling: 'stratified', seed: 11, labels });
      expectPartition(rows, split.train, split.test);
      const testCount = split.test.length;
      expect(testCount).toBe(testRowCount(rows, testSize));
      for (let c = 0; c < weights.length; c++) {
        const total = labels.filter((l) => l === c).length;
        const inTest = [...split.test].filter((i) => labels[i] === c).length;
        expect(Math.abs(inTest - (testCount * total) / rows)).toBeLessThan(1);
      }
      expect(trainTestSplit({ rows, testSize, sampling: 'stratified', seed: 11, labels })).toEqual(split);
    }
  });

  it('stratified: needs valid labels', () => {
    expectCode(() => trainTestSplit({ rows: 4, sampling: 'stratified' }), 'INVALID_ARGUMENT');
    expectCode(() => trainTestSplit({ rows: 4, testSize: 1 + 1, sampling: 'stratified', labels: [0, 1, 0.5, 1] }), 'DATA_ERROR');
    expectCode(() => trainTestSplit({ rows: 4, testSize: 2, sampling: 'stratified', labels: [0, 1] }), 'INVALID_ARGUMENT');
    expectCode(() => trainTestSplit({ rows: 4, testSize: 2, sampling: 'nope' as 'last' }), 'INVALID_ARGUMENT');
  });
});

describe('largestRemainderAllocation', () => {
  it('sums to the total and stays within one of exact', () => {
    expect(largestRemainderAllocation([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(largestRemainderAllocation([5, 3, 2], 5)).toEqual([3, 1, 1]);
  });
});

describe('kFold', () => {
  it('plain: every row validates once, sklearn KFold fold sizes, deterministic', () => {
    const folds = kFold(23, 5, 1);
    expect(folds.map((f) => f.valid.length)).toEqual([5, 5, 5, 4, 4]);
    for (const f of folds) expectPartition(23, f.train, f.valid);
    const seen = folds.flatMap((f) => [...f.valid]).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(kFold(23, 5, 1)).toEqual(folds);
  });

  it('stratified: per-class and total fold sizes differ by at most one', () => {
    const labels = Array.from({ length: 103 }, (_, i) => (i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2));
    const folds = kFold(103, 4, 5, labels);
    const sizes = folds.map((f) => f.valid.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (let c = 0; c < 3; c++) {
      const perFold = folds.map((f) => [...f.valid].filter((i) => labels[i] === c).length);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
    for (const f of folds) expectPartition(103, f.train, f.valid);
  });

  it('validates k', () => {
    expectCode(() => kFold(10, 1), 'INVALID_ARGUMENT', /cv >= 2/);
    expectCode(() => kFold(3, 4), 'INVALID_ARGUMENT', /at least 4 rows/);
  });
});
