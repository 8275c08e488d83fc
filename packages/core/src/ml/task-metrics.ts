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
    /** rows × numClasses, row-major: a binary model's roc_auc and log_loss use the class-1 column. */
    probabilities?: Matrix;
    /**
     * A binary model without probabilities: its decision_function (one score per row, higher = class 1), from which
     * roc_auc is computed as scikit-learn's scorer does; log_loss is left out. With neither, roc_auc uses the
     * predicted labels, as PostgresML.
     */
    decisionScores?: ArrayLike<number>;
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
      const { yTrue, yPred, numClasses, probabilities, decisionScores } = input as MetricsInputs['classification'];
      const metrics: Metrics = {
        f1: f1(yTrue, yPred),
        precision: precision(yTrue, yPred),
        recall: recall(yTrue, yPred),
        accuracy: accuracy(yTrue, yPred),
        mcc: mcc(yTrue, yPred),
      };
      if (numClasses === 2 && probabilities) {
        const score = classOneColumn(probabilities);
        metrics.roc_auc = rocAuc(yTrue, score);
        metrics.log_loss = logLoss(yTrue, score);
      } else if (numClasses === 2) {
        metrics.roc_auc = rocAuc(yTrue, decisionScores ?? yPred);
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

/**
 * PostgresML 2.x's automatic deployment rule (api.rs `train_joint`): a new model is deployed unless the deployed
 * one is strictly better on the task's key metric — a tie deploys the new model. When only one of the two has the
 * metric (NaN and null count as missing), the one that has it wins; when neither has it, the new model deploys.
 */
export function deploysOver(task: Task, candidate: Metrics, incumbent: Metrics | undefined): boolean {
  const key = keyMetric(task);
  const present = (value: number | null | undefined): value is number => typeof value === 'number' && !Number.isNaN(value);
  const score = candidate[key];
  const deployed = incumbent?.[key];
  if (!present(deployed)) return true;
  if (!present(score)) return false;
  return !(deployed > score);
}
