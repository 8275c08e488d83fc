/**
 * Regression and classification metrics, defined exactly as scikit-learn 1.2 defines them (verified against the real
 * sklearn in test/ml/fixtures/sklearn-references.json), so a PostgresML user reads the same numbers here.
 * Classification labels are class indices (0..k-1) held in any numeric array.
 */
import { DimensionMismatch, EmptyInput, InvalidArgument } from '../errors.js';
import type { Matrix } from '../runtime.js';
import { areaUnder, rocCurve, thresholdCounts } from './curves.js';

type Targets = Matrix | ArrayLike<number>;

function asMatrix(y: Targets): Matrix {
  if ('data' in y && 'rows' in y && 'cols' in y) return y;
  return { data: Float64Array.from(y), rows: y.length, cols: 1 };
}

function checkPair(yTrue: Targets, yPred: Targets): [Matrix, Matrix] {
  const t = asMatrix(yTrue);
  const p = asMatrix(yPred);
  if (t.rows !== p.rows) throw new DimensionMismatch(t.rows, p.rows, 'prediction rows');
  if (t.cols !== p.cols) throw new DimensionMismatch(t.cols, p.cols, 'prediction outputs');
  if (t.rows === 0) throw new EmptyInput('y_true');
  return [t, p];
}

/** Mean over outputs of a per-output statistic: sklearn's multioutput='uniform_average'. */
function uniformAverage(cols: number, perOutput: (j: number) => number): number {
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += perOutput(j);
  return sum / cols;
}

export function meanAbsoluteError(yTrue: Targets, yPred: Targets): number {
  const [t, p] = checkPair(yTrue, yPred);
  return uniformAverage(t.cols, (j) => {
    let sum = 0;
    for (let i = 0; i < t.rows; i++) sum += Math.abs(p.data[i * t.cols + j]! - t.data[i * t.cols + j]!);
    return sum / t.rows;
  });
}

export function meanSquaredError(yTrue: Targets, yPred: Targets): number {
  const [t, p] = checkPair(yTrue, yPred);
  return uniformAverage(t.cols, (j) => {
    let sum = 0;
    for (let i = 0; i < t.rows; i++) {
      const d = t.data[i * t.cols + j]! - p.data[i * t.cols + j]!;
      sum += d * d;
    }
    return sum / t.rows;
  });
}

/**
 * Coefficient of determination with sklearn's `force_finite`: a constant target scores 1 when predicted exactly,
 * else 0 (instead of NaN / -Inf).
 */
export function r2(yTrue: Targets, yPred: Targets): number {
  const [t, p] = checkPair(yTrue, yPred);
  return uniformAverage(t.cols, (j) => {
    let mean = 0;
    for (let i = 0; i < t.rows; i++) mean += t.data[i * t.cols + j]!;
    mean /= t.rows;
    let numerator = 0;
    let denominator = 0;
    for (let i = 0; i < t.rows; i++) {
      const y = t.data[i * t.cols + j]!;
      const e = y - p.data[i * t.cols + j]!;
      numerator += e * e;
      denominator += (y - mean) * (y - mean);
    }
    if (denominator === 0) return numerator === 0 ? 1 : 0;
    return 1 - numerator / denominator;
  });
}

function checkLabels(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  if (yTrue.length !== yPred.length) throw new DimensionMismatch(yTrue.length, yPred.length, 'prediction rows');
  if (yTrue.length === 0) throw new EmptyInput('y_true');
  for (const y of [yTrue, yPred]) {
    for (let i = 0; i < y.length; i++) {
      const c = y[i]!;
      if (!Number.isInteger(c) || c < 0) throw new InvalidArgument(`class labels must be class indices, got ${c} at ${i}`);
    }
  }
}

/** Confusion counts: rows are true classes, columns predicted; `labels` are the classes present in either (sklearn). */
export interface Confusion {
  labels: number[];
  /** labels.length² counts, row-major (true × predicted). */
  counts: Float64Array;
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Confusion {
  checkLabels(yTrue, yPred);
  const present = new Set<number>();
  for (let i = 0; i < yTrue.length; i++) present.add(yTrue[i]!).add(yPred[i]!);
  const labels = [...present].sort((a, b) => a - b);
  const position = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const counts = new Float64Array(k * k);
  for (let i = 0; i < yTrue.length; i++) counts[position.get(yTrue[i]!)! * k + position.get(yPred[i]!)!]! += 1;
  return { labels, counts };
}

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLabels(yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

interface PerClass {
  precision: number[];
  recall: number[];
  f1: number[];
}

/**
 * Per-class precision/recall/F1 over the labels present in y_true or y_pred (sklearn's default `labels=None`).
 * A 0/0 ratio is 0, as sklearn's `zero_division="warn"` returns (it also warns; we have nothing to warn to).
 */
function perClassScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): PerClass {
  const { labels, counts } = confusionMatrix(yTrue, yPred);
  const k = labels.length;
  const out: PerClass = { precision: [], recall: [], f1: [] };
  for (let c = 0; c < k; c++) {
    const tp = counts[c * k + c]!;
    let predicted = 0;
    let actual = 0;
    for (let o = 0; o < k; o++) {
      predicted += counts[o * k + c]!;
      actual += counts[c * k + o]!;
    }
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = actual === 0 ? 0 : tp / actual;
    // sklearn: (1 + β²)·p·r / (β²·p + r) with a zero denominator replaced by 1.
    const denominator = precision + recall;
    out.precision.push(precision);
    out.recall.push(recall);
    out.f1.push((2 * precision * recall) / (denominator === 0 ? 1 : denominator));
  }
  return out;
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

export const precision = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number =>
  mean(perClassScores(yTrue, yPred).precision);
export const recall = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number =>
  mean(perClassScores(yTrue, yPred).recall);
export const f1 = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number => mean(perClassScores(yTrue, yPred).f1);

/** Multiclass Matthews correlation coefficient (Gorodkin's R_K) with sklearn's 0 for a zero denominator. */
export function mcc(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const { labels, counts } = confusionMatrix(yTrue, yPred);
  const k = labels.length;
  const tSum = new Float64Array(k);
  const pSum = new Float64Array(k);
  let correct = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      tSum[t]! += counts[t * k + p]!;
      pSum[p]! += counts[t * k + p]!;
    }
    correct += counts[t * k + t]!;
  }
  const n = yTrue.length;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let c = 0; c < k; c++) {
    tp += tSum[c]! * pSum[c]!;
    pp += pSum[c]! * pSum[c]!;
    tt += tSum[c]! * tSum[c]!;
  }
  const covYtYp = correct * n - tp;
  const covYpYp = n * n - pp;
  const covYtYt = n * n - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/**
 * Binary ROC AUC from the probability (or any score) of class 1: the trapezoidal area under sklearn's ROC curve,
 * where tied scores form one threshold (a diagonal segment, i.e. ties count ½). NaN when y_true holds a single class
 * (sklearn raises there); JSON serialises that as null.
 */
export function rocAuc(yTrue: ArrayLike<number>, scoreOfClass1: ArrayLike<number>): number {
  const counts = thresholdCounts(yTrue, scoreOfClass1);
  if (counts.positives === 0 || counts.negatives === 0) return Number.NaN;
  return areaUnder(rocCurve(counts));
}

/**
 * Binary cross-entropy from the probability of class 1, as sklearn 1.2's `log_loss(y, p, labels=[0, 1])`:
 * clip to [eps, 1 - eps] (1.2's default eps is float64 machine epsilon; pass 1e-15 for the pre-1.2 default),
 * renormalise the two-column distribution, average −log p(true class).
 */
export function logLoss(yTrue: ArrayLike<number>, probabilityOfClass1: ArrayLike<number>, eps = Number.EPSILON): number {
  if (yTrue.length !== probabilityOfClass1.length) {
    throw new DimensionMismatch(yTrue.length, probabilityOfClass1.length, 'probabilities');
  }
  if (yTrue.length === 0) throw new EmptyInput('y_true');
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i];
    if (y !== 0 && y !== 1) throw new InvalidArgument(`logLoss needs binary labels 0/1, got ${y} at ${i}`);
    const p1 = Math.min(Math.max(probabilityOfClass1[i]!, eps), 1 - eps);
    const p0 = 1 - p1;
    const total = p0 + p1;
    sum += -Math.log((y === 1 ? p1 : p0) / total);
  }
  return sum / yTrue.length;
}
