/**
 * Threshold curves of a binary score (scikit-learn's `roc_curve`, `precision_recall_curve`,
 * `average_precision_score`): rows sorted by score, one point per distinct score, counting the positives and
 * negatives at or above it. `rocAuc` (metrics.ts) integrates the same points.
 */
import { DimensionMismatch, EmptyInput, InvalidArgument } from '../errors.js';

export interface ThresholdCounts {
  /** Distinct scores, descending. */
  thresholds: Float64Array;
  /** Positives / negatives scoring at or above each threshold. */
  truePositives: Float64Array;
  falsePositives: Float64Array;
  positives: number;
  negatives: number;
}

export function thresholdCounts(yTrue: ArrayLike<number>, score: ArrayLike<number>): ThresholdCounts {
  if (yTrue.length !== score.length) throw new DimensionMismatch(yTrue.length, score.length, 'scores');
  if (yTrue.length === 0) throw new EmptyInput('y_true');
  const n = yTrue.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    if (y !== 0 && y !== 1) throw new InvalidArgument(`binary curves need labels 0/1, got ${y} at ${i}`);
    positives += y;
  }
  // The distinct scores, highest first (a native numeric sort; NaN ranks lowest), then each row counted into its
  // score's bucket by binary search: the same points as walking the rows in score order, without a comparator sort.
  // Plain loops over typed arrays throughout: on 250k rows this is ~30 ms, a comparator sort ~250 ms.
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = Number.isNaN(score[i]!) ? -Infinity : score[i]!;
  const ascending = scores.slice().sort();
  const distinct = new Float64Array(n);
  let m = 0;
  for (let i = n - 1; i >= 0; i--) if (i === n - 1 || ascending[i] !== ascending[i + 1]) distinct[m++] = ascending[i]!;
  const rowsAt = new Float64Array(m);
  const positivesAt = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const v = scores[i]!;
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid]! > v) lo = mid + 1;
      else hi = mid;
    }
    rowsAt[lo]!++;
    positivesAt[lo]! += yTrue[i]!;
  }
  const thresholds = distinct.slice(0, m);
  const tp = new Float64Array(m);
  const fp = new Float64Array(m);
  let tps = 0;
  let fps = 0;
  for (let k = 0; k < m; k++) {
    tps += positivesAt[k]!;
    fps += rowsAt[k]! - positivesAt[k]!;
    tp[k] = tps;
    fp[k] = fps;
  }
  return {
    thresholds,
    truePositives: tp,
    falsePositives: fp,
    positives,
    negatives: n - positives,
  };
}

export interface Curve {
  x: number[];
  y: number[];
}

/** (false positive rate, true positive rate) from (0, 0) to (1, 1); empty when either class is absent. */
export function rocCurve(counts: ThresholdCounts): Curve {
  const { positives, negatives } = counts;
  if (positives === 0 || negatives === 0) return { x: [], y: [] };
  const x = [0];
  const y = [0];
  for (let i = 0; i < counts.truePositives.length; i++) {
    x.push(counts.falsePositives[i]! / negatives);
    y.push(counts.truePositives[i]! / positives);
  }
  return { x, y };
}

/** (recall, precision) from high thresholds to low, starting at recall 0 with precision 1 as scikit-learn does. */
export function precisionRecallCurve(counts: ThresholdCounts): Curve {
  if (counts.positives === 0) return { x: [], y: [] };
  const x = [0];
  const y = [1];
  for (let i = 0; i < counts.truePositives.length; i++) {
    const t = counts.truePositives[i]!;
    x.push(t / counts.positives);
    y.push(t / (t + counts.falsePositives[i]!));
  }
  return { x, y };
}

/** Σ (Rₙ − Rₙ₋₁) Pₙ over the thresholds (`average_precision_score`); NaN without positives. */
export function averagePrecision(counts: ThresholdCounts): number {
  if (counts.positives === 0) return Number.NaN;
  let previousRecall = 0;
  let sum = 0;
  for (let i = 0; i < counts.truePositives.length; i++) {
    const t = counts.truePositives[i]!;
    const recall = t / counts.positives;
    sum += (recall - previousRecall) * (t / (t + counts.falsePositives[i]!));
    previousRecall = recall;
  }
  return sum;
}

/** Trapezoidal area under a curve whose x never decreases. */
export function areaUnder(curve: Curve): number {
  let area = 0;
  for (let i = 1; i < curve.x.length; i++) area += ((curve.x[i]! - curve.x[i - 1]!) * (curve.y[i]! + curve.y[i - 1]!)) / 2;
  return area;
}

/** At most `max` points of a curve, evenly spaced by index, keeping the first and the last (for storage). */
export function thinCurve(curve: Curve, max: number): Curve {
  const n = curve.x.length;
  if (n <= max) return curve;
  const keep = Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
  return { x: keep.map((i) => curve.x[i]!), y: keep.map((i) => curve.y[i]!) };
}
