/**
 * Column statistics with the exact definitions numpy/scikit-learn use, so imputed and scaled features match
 * SimpleImputer and the sklearn scalers. Inputs hold only present (non-missing) values unless stated.
 */

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/**
 * Population variance as sklearn's `_incremental_mean_and_var` computes it: two passes with the rounding-error
 * correction term, Σ(x − m)² − (Σ(x − m))² / n, over n.
 */
export function populationVariance(values: ArrayLike<number>, m = mean(values)): number {
  let correction = 0;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - m;
    correction += d;
    squares += d * d;
  }
  return (squares - (correction * correction) / values.length) / values.length;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** numpy's default ('linear') percentile, q in [0, 100], of ascending `sorted`; numpy's lerp, bit for bit. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const position = (n - 1) * (q / 100);
  const below = Math.min(Math.max(Math.floor(position), 0), n - 1);
  const above = Math.min(below + 1, n - 1);
  const t = position - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  const diff = b - a;
  // numpy computes from the nearer end so that t = 1 returns b exactly.
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** np.median: the middle value, or the mean of the two middle values. */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** SimpleImputer's most_frequent: the most frequent value, the smallest one among ties. */
export function modeOfSorted(sorted: ArrayLike<number>): number {
  let best = sorted[0]!;
  let bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      best = sorted[i]!;
      bestCount = j - i;
    }
    i = j;
  }
  return best;
}

/**
 * sklearn's `_handle_zeros_in_scale`: a scale that is (numerically) zero becomes 1 so constant features pass through
 * centred instead of dividing by zero. StandardScaler decides "constant" from the variance's rounding-error bound.
 */
export function safeScale(scale: number): number {
  return scale < 10 * Number.EPSILON ? 1 : scale;
}

export function standardScale(variance: number, m: number, n: number): number {
  const upperBound = n * Number.EPSILON * variance + (n * m * Number.EPSILON) ** 2;
  return variance <= upperBound ? 1 : Math.sqrt(variance);
}
