/**
 * Permutation importance (scikit-learn's `permutation_importance` with its default scoring) for models without
 * importances of their own: how much the test score drops when one feature's values are shuffled across rows.
 *
 * Bounded cost, whatever the data: at most `PERMUTATION_MAX_ROWS` test rows (a seeded sample) and `PERMUTATION_REPEATS`
 * shuffles per feature, shrunk so that rows × features × repeats — the rows predicted in total — stays within the
 * budget (at least one row and one repeat per feature). The budget follows the training set: predicting
 * `permutationBudget(trainRows)` rows costs no more than a few passes over the training rows, which every fit makes
 * (a kernel SVM's prediction costs as much per row as its fit), and never more than `PERMUTATION_BUDGET`.
 * Predictions go to the runtime in batches of at most `MAX_BATCH_VALUES` feature values.
 */
import { accuracy, r2 } from '../ml/metrics.js';
import { createRng, randomPermutation, type Rng } from '../ml/random.js';
import type { Matrix } from '../runtime.js';
import { takeRows } from '../train/evaluate.js';
import type { FeatureImportances } from './types.js';

export const PERMUTATION_MAX_ROWS = 1000;
export const PERMUTATION_REPEATS = 5;
export const PERMUTATION_BUDGET = 100_000;
const MIN_BUDGET = 5_000;
const BUDGET_PER_TRAINING_ROW = 4;

/** Rows a permutation importance may predict for a model fitted on `trainRows` rows. */
export function permutationBudget(trainRows: number): number {
  return Math.min(PERMUTATION_BUDGET, Math.max(MIN_BUDGET, BUDGET_PER_TRAINING_ROW * trainRows));
}
const MAX_BATCH_VALUES = 1 << 21;

export type PermutationScoring = NonNullable<FeatureImportances['permutation']>['scoring'];

export interface PermutationInput {
  /** The test rows (model input features). */
  x: Matrix;
  /** Test targets (class indices or values); absent for clustering, whose score is agreement with its own labels. */
  y?: Matrix;
  scoring: PermutationScoring;
  /** Columns of a prediction row. */
  outputs: number;
  predict: (x: Matrix) => Promise<Float64Array>;
  seed: number;
  /** Rows the measurement may predict in all (`permutationBudget`). */
  budget: number;
}

export async function permutationImportance(input: PermutationInput): Promise<FeatureImportances> {
  const { x, seed, budget } = input;
  const features = x.cols;
  const rng = createRng(seed);
  const rowCount = Math.min(x.rows, PERMUTATION_MAX_ROWS, Math.max(1, Math.floor(budget / features)));
  const repeats = Math.max(1, Math.min(PERMUTATION_REPEATS, Math.floor(budget / (rowCount * features))));
  const rows = Uint32Array.from(randomPermutation(x.rows, rng).subarray(0, rowCount)).sort();
  const sample = takeRows(x, rows);
  const baseline = await input.predict(sample);
  const score = scorer(input, rows, baseline, rowCount);
  const reference = score(baseline);
  const drops = Array.from({ length: features }, () => new Float64Array(repeats));
  const perBatch = Math.max(1, Math.floor(MAX_BATCH_VALUES / (rowCount * features)));
  for (let r = 0; r < repeats; r++) {
    for (let first = 0; first < features; first += perBatch) {
      const batch = Math.min(perBatch, features - first);
      const shuffled = shuffledCopies(sample, first, batch, rng);
      const predicted = await input.predict(shuffled);
      for (let b = 0; b < batch; b++) {
        const part = predicted.subarray(b * rowCount * input.outputs, (b + 1) * rowCount * input.outputs);
        drops[first + b]![r] = reference - score(part);
      }
    }
  }
  return {
    method: 'permutation',
    rows: [{ output: null, values: drops.map(mean), std: drops.map(standardDeviation) }],
    permutation: { scoring: input.scoring, repeats, rows: rowCount, seed, budget },
  };
}

/** `batch` copies of the sample, copy b with feature `first + b` shuffled across rows. */
function shuffledCopies(sample: Matrix, first: number, batch: number, rng: Rng): Matrix {
  const { rows, cols } = sample;
  const out = new Float64Array(batch * rows * cols);
  for (let b = 0; b < batch; b++) {
    const copy = out.subarray(b * rows * cols, (b + 1) * rows * cols);
    copy.set(sample.data);
    const order = randomPermutation(rows, rng);
    const feature = first + b;
    for (let i = 0; i < rows; i++) copy[i * cols + feature] = sample.data[order[i]! * cols + feature]!;
  }
  return { data: out, rows: batch * rows, cols };
}

function scorer(input: PermutationInput, rows: Uint32Array, baseline: Float64Array, rowCount: number): (predicted: Float64Array) => number {
  switch (input.scoring) {
    case 'accuracy': {
      const y = takeRows(input.y!, rows).data;
      return (predicted) => accuracy(y, predicted);
    }
    case 'r2': {
      const y = takeRows(input.y!, rows);
      return (predicted) => r2(y, { data: predicted, rows: rowCount, cols: y.cols });
    }
    case 'cluster_agreement':
      return (predicted) => {
        let same = 0;
        for (let i = 0; i < rowCount; i++) if (predicted[i] === baseline[i]) same++;
        return same / rowCount;
      };
  }
}

function mean(values: Float64Array): number {
  return values.reduce((a, v) => a + v, 0) / values.length;
}

function standardDeviation(values: Float64Array): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
}
