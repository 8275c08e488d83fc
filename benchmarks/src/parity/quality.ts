/**
 * The key metric of one runner's test-set predictions, computed here with core's metrics for every runner alike.
 * Silhouette is O(n²): on large test sets it is computed on the first SILHOUETTE_ROWS test rows (a random sample,
 * since the split is random) — the same rows for every runner.
 */
import { columnVariances, computeMetrics, keyMetric, totalVariance, type Matrix, type Task } from '@pgml-ts/core';
import type { BenchData } from './types.js';

export const SILHOUETTE_ROWS = 2000;

export function keyQuality(task: Task, data: BenchData, predictions: Float64Array): number {
  const { x, y } = data.test;
  let metrics: Record<string, number>;
  switch (task) {
    case 'regression':
      metrics = computeMetrics('regression', { yTrue: y!, yPred: { data: predictions, rows: x.rows, cols: y!.cols } });
      break;
    case 'classification':
      metrics = computeMetrics('classification', { yTrue: y!.data, yPred: predictions, numClasses: data.numClasses ?? 0 });
      break;
    case 'clustering': {
      const rows = Math.min(x.rows, SILHOUETTE_ROWS);
      const sample: Matrix = { data: x.data.subarray(0, rows * x.cols), rows, cols: x.cols };
      metrics = computeMetrics('clustering', { x: sample, labels: predictions.subarray(0, rows) });
      break;
    }
    case 'decomposition': {
      const components = predictions.length / x.rows;
      metrics = computeMetrics('decomposition', {
        componentVariances: columnVariances({ data: predictions, rows: x.rows, cols: components }),
        totalVariance: totalVariance(x),
      });
      break;
    }
  }
  return metrics[keyMetric(task)]!;
}
