/**
 * Prediction comparison for `--verify` and `--convert-native`. The report shows the max ABSOLUTE difference; a model
 * passes when every value is within 1e-6, relative to the value's magnitude where it exceeds 1 (a regression
 * target in the thousands carries float noise above 1e-6 that is not a disagreement). Class labels compare as
 * numbers, so a single different class fails at once.
 */
export const MATCH_TOLERANCE = 1e-6;

/** How close is close enough: `relative` to each value's magnitude (above 1), or to the largest magnitude compared. */
export interface Tolerance {
  relative: number;
  scale: 'value' | 'largest';
}

export const EXACT: Tolerance = { relative: MATCH_TOLERANCE, scale: 'value' };

/**
 * For PostgresML 2.x's models, which saw float32 features (2.x reads every feature as f32 and preprocesses in f32)
 * and, on the rust runtime, computed in float32: an input differs from the float64 value the SDK passes by up to one
 * float32 rounding (~6e-8 relative), which a model scales by its weights — an error proportional to the data's
 * magnitude, not to each prediction's (a prediction near 0 carries the same absolute error as a large one).
 */
export const FLOAT32: Tolerance = { relative: 1e-5, scale: 'largest' };

export interface Comparison {
  maxDiff: number;
  matches: boolean;
  values: number;
}

export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance = EXACT): Comparison {
  if (actual.length !== expected.length) return { maxDiff: Number.POSITIVE_INFINITY, matches: false, values: expected.length };
  let largest = 1;
  if (tolerance.scale === 'largest') for (let i = 0; i < expected.length; i++) largest = Math.max(largest, Math.abs(expected[i]!) || 0);
  let maxDiff = 0;
  let matches = true;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    const diff = Math.abs(a - b);
    const magnitude = tolerance.scale === 'largest' ? largest : Math.max(1, Math.abs(b));
    if (!(diff <= tolerance.relative * magnitude)) matches = false;
    if (!(diff <= maxDiff)) maxDiff = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
  }
  return { maxDiff, matches, values: expected.length };
}

/** Both predictions and (where present) probabilities must match; the larger difference is reported. */
export function compareAll(pairs: Array<[ArrayLike<number>, ArrayLike<number>] | undefined>, tolerance: Tolerance = EXACT): Comparison {
  let result: Comparison = { maxDiff: 0, matches: true, values: 0 };
  for (const pair of pairs) {
    if (!pair) continue;
    const c = compare(pair[0], pair[1], tolerance);
    result = { maxDiff: Math.max(result.maxDiff, c.maxDiff), matches: result.matches && c.matches, values: result.values + c.values };
  }
  return result;
}

/** Booleans (predicted boolean labels) as 0/1, like the 1.0 pickle's own output. */
export function asNumbers(values: Float64Array | ReadonlyArray<string | number | boolean>): Float64Array {
  if (values instanceof Float64Array) return values;
  return Float64Array.from(values, (v) => (typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : Number.NaN));
}
