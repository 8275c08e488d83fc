/** A regressor's test split: residual statistics and histogram per target, and a bounded actual-vs-predicted sample. */
import { createRng, randomPermutation } from '../ml/random.js';
import type { Matrix } from '../runtime.js';
import type { RegressionExplanation, ResidualSummary } from './types.js';

/** Points of the stored actual-vs-predicted sample per target. */
export const MAX_SCATTER_POINTS = 500;
const HISTOGRAM_BINS = 20;

export interface RegressionInput {
  yTrue: Matrix;
  /** rows × targets, like yTrue. */
  yPred: Float64Array;
  targetNames: string[];
  seed: number;
}

export function regressionExplanation(input: RegressionInput): RegressionExplanation {
  const { yTrue, yPred } = input;
  const { rows, cols } = yTrue;
  const sampled = Array.from(randomPermutation(rows, createRng(input.seed)).subarray(0, MAX_SCATTER_POINTS)).sort((a, b) => a - b);
  return {
    targets: input.targetNames.map((name, j) => {
      const residuals = new Float64Array(rows);
      for (let i = 0; i < rows; i++) residuals[i] = yTrue.data[i * cols + j]! - yPred[i * cols + j]!;
      return {
        name,
        residuals: summarize(residuals),
        sample: { actual: sampled.map((i) => yTrue.data[i * cols + j]!), predicted: sampled.map((i) => yPred[i * cols + j]!) },
      };
    }),
  };
}

function summarize(residuals: Float64Array): ResidualSummary {
  const n = residuals.length;
  const sorted = Float64Array.from(residuals).sort();
  let sum = 0;
  let absolute = 0;
  for (const r of residuals) {
    sum += r;
    absolute += Math.abs(r);
  }
  const mean = sum / n;
  let squares = 0;
  for (const r of residuals) squares += (r - mean) ** 2;
  return {
    mean,
    std: Math.sqrt(squares / n),
    meanAbsolute: absolute / n,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    quantiles: { p05: quantile(sorted, 0.05), p25: quantile(sorted, 0.25), p50: quantile(sorted, 0.5), p75: quantile(sorted, 0.75), p95: quantile(sorted, 0.95) },
    histogram: histogram(sorted),
  };
}

/** numpy's default (linear) quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** Equal-width bins from min to max (one bin when every residual is the same). */
function histogram(sorted: Float64Array): ResidualSummary['histogram'] {
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const bins = max > min ? HISTOGRAM_BINS : 1;
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (const r of sorted) counts[width > 0 ? Math.min(bins - 1, Math.floor((r - min) / width)) : 0]!++;
  return { edges, counts };
}
