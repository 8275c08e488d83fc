/**
 * The metric set PostgresML 2.x stores in `pgml.models.metrics` for each task (pgml-extension `Model::test`), and the
 * key metric that search and automatic deployment compare (`Task::default_target_metric`). `fit_time` and
 * `score_time` are added by train, which measures them.
 */
import { InvalidArgument } from '../errors.js';
import type { Matrix, Task } from '../runtime.js';
import { accuracy, f1, logLoss, mcc, meanAbsoluteError, meanSquaredError, precision, r2, recall, rocAuc } from './metrics.js';
import { cumulativeExplainedVariance, silhouette } from './unsupervised-metrics.js';

export interface MetricsInputs {
  regression: { yTrue: Matrix | ArrayLike<number>; yPred: Matrix | ArrayLike<number> };
  classification: {
    yTrue: ArrayLike<number>;
    yPred: ArrayLike<number>;
    numClasses: number;
    /** rows × numClasses, row-major. Without it a binary model's roc_auc/log_loss use the predicted labels, as PostgresML. */
    probabilities?: Matrix;
  };
  clustering: { x: Matrix; labels: ArrayLike<number> };
  decomposition: { componentVariances: ArrayLike<number>; totalVariance: number };
}

/** Values may be NaN where a metric is undefined for the data (e.g. roc_auc with one class in the test set). */
export type Metrics = Record<string, number>;

export const KEY_METRICS: Readonly<Record<Task, string>> = {
  regression: 'r2',
  classification: 'f1',
  clustering: 'silhouette',
  decomposition: 'cumulative_explained_variance',
};

export function keyMetric(task: Task): string {
  const key = KEY_METRICS[task];
  if (key === undefined) throw new InvalidArgument(`unknown task ${JSON.stringify(task)}`);
  return key;
}

export function computeMetrics<T extends Task>(task: T, input: MetricsInputs[T]): Metrics {
  switch (task) {
    case 'regression': {
      const { yTrue, yPred } = input as MetricsInputs['regression'];
      return {
        r2: r2(yTrue, yPred),
        mean_absolute_error: meanAbsoluteError(yTrue, yPred),
        mean_squared_error: meanSquaredError(yTrue, yPred),
      };
    }
    case 'classification': {
      const { yTrue, yPred, numClasses, probabilities } = input as MetricsInputs['classification'];
      const metrics: Metrics = {
        f1: f1(yTrue, yPred),
        precision: precision(yTrue, yPred),
        recall: recall(yTrue, yPred),
        accuracy: accuracy(yTrue, yPred),
        mcc: mcc(yTrue, yPred),
      };
      if (numClasses === 2) {
        const score = probabilities ? classOneColumn(probabilities) : yPred;
        metrics.roc_auc = rocAuc(yTrue, score);
        metrics.log_loss = logLoss(yTrue, score);
      }
      return metrics;
    }
    case 'clustering': {
      const { x, labels } = input as MetricsInputs['clustering'];
      return { silhouette: silhouette(x, labels) };
    }
    case 'decomposition': {
      const { componentVariances, totalVariance } = input as MetricsInputs['decomposition'];
      return { cumulative_explained_variance: cumulativeExplainedVariance(componentVariances, totalVariance) };
    }
    default:
      throw new InvalidArgument(`unknown task ${JSON.stringify(task)}`);
  }
}

function classOneColumn(probabilities: Matrix): Float64Array {
  if (probabilities.cols !== 2) throw new InvalidArgument(`binary probabilities need 2 columns, got ${probabilities.cols}`);
  const out = new Float64Array(probabilities.rows);
  for (let i = 0; i < out.length; i++) out[i] = probabilities.data[i * 2 + 1]!;
  return out;
}

/** True when `candidate` beats `incumbent` on the task's key metric (strictly; NaN never wins). */
export function isBetter(task: Task, candidate: Metrics, incumbent: Metrics | undefined): boolean {
  const key = keyMetric(task);
  const score = candidate[key];
  if (score === undefined || Number.isNaN(score)) return false;
  const best = incumbent?.[key];
  return best === undefined || best === null || Number.isNaN(best) || score > best;
}
