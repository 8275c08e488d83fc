/**
 * Train/test splits and cross-validation folds as row-index arrays, so the data itself is never copied here.
 * All randomness comes from the seed (stored with the snapshot), so a split can be recomputed exactly.
 */
import { InvalidArgument, PgmlError } from '../errors.js';
import { createRng, randomPermutation, shuffleInPlace } from './random.js';

export type TestSampling = 'random' | 'last' | 'stratified';
export const TEST_SAMPLINGS: readonly TestSampling[] = ['random', 'last', 'stratified'];

export interface SplitIndices {
  /** Ascending row indices. */
  train: Uint32Array;
  /** Ascending row indices. */
  test: Uint32Array;
}

export interface TrainTestSplitOptions {
  rows: number;
  /** A fraction in (0, 1), or a whole row count when > 1 (PostgresML semantics). Default 0.25. */
  testSize?: number;
  /** Default `random`, as PostgresML. */
  sampling?: TestSampling;
  seed?: number;
  /** Class index per row; required for `stratified`. */
  labels?: ArrayLike<number>;
}

/**
 * Number of test rows: PostgresML rounds `rows × fraction` and takes a value > 1 as a count. Unlike PostgresML it
 * refuses an empty test set as well as an empty training set, since neither can produce metrics.
 */
export function testRowCount(rows: number, testSize: number): number {
  if (!Number.isInteger(rows) || rows < 0) throw new InvalidArgument(`row count must be a non-negative integer, got ${rows}`);
  if (typeof testSize !== 'number' || !Number.isFinite(testSize) || testSize <= 0) {
    throw new InvalidArgument(`testSize must be a fraction in (0, 1) or a row count > 1, got ${testSize}`, { testSize });
  }
  if (testSize === 1) {
    throw new InvalidArgument('testSize 1 would put every row in the test set; use a fraction in (0, 1) or a row count', {
      testSize,
    });
  }
  if (testSize > 1 && !Number.isInteger(testSize)) {
    throw new InvalidArgument(`testSize > 1 is a row count and must be an integer, got ${testSize}`, { testSize });
  }
  const count = testSize > 1 ? testSize : Math.round(rows * testSize);
  if (count >= rows) {
    throw new InvalidArgument(`testSize ${testSize} leaves no training rows: ${count} test rows of ${rows}`, {
      testSize,
      rows,
    });
  }
  if (count < 1) {
    throw new InvalidArgument(`testSize ${testSize} gives an empty test set for ${rows} rows`, { testSize, rows });
  }
  return count;
}

export function trainTestSplit(options: TrainTestSplitOptions): SplitIndices {
  const { rows, sampling = 'random', seed = 0, labels } = options;
  const testCount = testRowCount(rows, options.testSize ?? 0.25);
  switch (sampling) {
    case 'last':
      // PostgresML: the last rows in relation order are the test set.
      return { train: range(0, rows - testCount), test: range(rows - testCount, rows) };
    case 'random': {
      const order = randomPermutation(rows, createRng(seed));
      return fromTestMembers(rows, order.subarray(rows - testCount));
    }
    case 'stratified': {
      if (labels === undefined) throw new InvalidArgument('stratified sampling needs the class label of every row');
      return stratifiedSplit(rows, testCount, labels, seed);
    }
    default:
      throw new InvalidArgument(`unknown testSampling ${JSON.stringify(sampling)}; expected one of ${TEST_SAMPLINGS.join(', ')}`);
  }
}

/**
 * Truly stratified: class c gets floor(q_c) or ceil(q_c) test rows where q_c = testCount × n_c / rows, the extra rows
 * going to the largest remainders (ties: lower class index). So every class's test share is within one row of exact.
 */
function stratifiedSplit(rows: number, testCount: number, labels: ArrayLike<number>, seed: number): SplitIndices {
  const members = groupByClass(rows, labels);
  const quotas = largestRemainderAllocation(
    members.map((m) => m.length),
    testCount,
  );
  const rng = createRng(seed);
  const isTest = new Uint8Array(rows);
  members.forEach((rowsOfClass, c) => {
    const shuffled = shuffleInPlace(Uint32Array.from(rowsOfClass), rng);
    for (let i = 0; i < quotas[c]!; i++) isTest[shuffled[i]!] = 1;
  });
  return fromMask(isTest, testCount);
}

/** Splits `total` into integer parts proportional to `weights` (Hamilton's method). */
export function largestRemainderAllocation(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    parts[i]! += 1;
  }
  return parts;
}

export interface Fold {
  train: Uint32Array;
  valid: Uint32Array;
}

/**
 * k folds over rows 0..n-1 (every row validates exactly once). Without `stratifyBy` fold sizes follow sklearn's
 * KFold (the first n mod k folds get one extra row) over a seeded permutation. With it, each class's shuffled rows
 * are dealt round-robin, continuing where the previous class stopped, so fold sizes differ by at most one overall
 * and per class.
 */
export function kFold(n: number, k: number, seed = 0, stratifyBy?: ArrayLike<number>): Fold[] {
  if (!Number.isInteger(k) || k < 2) throw new InvalidArgument(`cross-validation needs an integer cv >= 2, got ${k}`);
  if (!Number.isInteger(n) || k > n) throw new InvalidArgument(`cv = ${k} folds need at least ${k} rows, got ${n}`);
  const rng = createRng(seed);
  const foldOf = new Uint32Array(n);
  if (stratifyBy === undefined) {
    const order = randomPermutation(n, rng);
    let at = 0;
    for (let f = 0; f < k; f++) {
      const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
      for (let i = 0; i < size; i++) foldOf[order[at++]!] = f;
    }
  } else {
    let next = 0;
    for (const rowsOfClass of groupByClass(n, stratifyBy)) {
      for (const row of shuffleInPlace(Uint32Array.from(rowsOfClass), rng)) {
        foldOf[row] = next;
        next = (next + 1) % k;
      }
    }
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const isValid = new Uint8Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (foldOf[i] === f) {
        isValid[i] = 1;
        count++;
      }
    }
    const { train, test } = fromMask(isValid, count);
    folds.push({ train, valid: test });
  }
  return folds;
}

function groupByClass(rows: number, labels: ArrayLike<number>): number[][] {
  if (labels.length !== rows) {
    throw new InvalidArgument(`labels has ${labels.length} entries for ${rows} rows`);
  }
  const members: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0) {
      throw new PgmlError('DATA_ERROR', `class label of row ${i} must be a class index (non-negative integer), got ${c}`);
    }
    (members[c] ??= []).push(i);
  }
  // Class indices may have gaps (a class absent here); keep indices stable by leaving empty groups.
  for (let c = 0; c < members.length; c++) members[c] ??= [];
  return members;
}

function range(start: number, end: number): Uint32Array {
  const out = new Uint32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

function fromTestMembers(rows: number, testRows: Uint32Array): SplitIndices {
  const isTest = new Uint8Array(rows);
  for (const r of testRows) isTest[r] = 1;
  return fromMask(isTest, testRows.length);
}

function fromMask(isTest: Uint8Array, testCount: number): SplitIndices {
  const train = new Uint32Array(isTest.length - testCount);
  const test = new Uint32Array(testCount);
  let a = 0;
  let b = 0;
  for (let i = 0; i < isTest.length; i++) {
    if (isTest[i]) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}
