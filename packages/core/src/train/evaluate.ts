/** Scoring a fitted model on held-out rows: PostgresML's metric set per task, via core ml. */
import { computeMetrics, type Metrics } from '../ml/task-metrics.js';
import { columnVariances, totalVariance } from '../ml/unsupervised-metrics.js';
import type { FittedModel, Matrix, Runtime, Task } from '../runtime.js';

export async function evaluate(
  runtime: Runtime,
  model: FittedModel,
  task: Task,
  x: Matrix,
  y: Matrix | undefined,
  signal?: AbortSignal,
): Promise<Metrics> {
  const predicted = await runtime.predict(model, x, signal);
  switch (task) {
    case 'regression':
      return computeMetrics('regression', { yTrue: y!, yPred: { data: predicted, rows: x.rows, cols: y!.cols } });
    case 'classification': {
      const numClasses = model.numClasses ?? 0;
      const scores = numClasses === 2 ? await binaryScores(runtime, model, x, signal) : undefined;
      return computeMetrics('classification', { yTrue: y!.data, yPred: predicted, numClasses, ...scores });
    }
    case 'clustering':
      return computeMetrics('clustering', { x, labels: predicted });
    case 'decomposition': {
      const components = predicted.length / x.rows;
      const variances = columnVariances({ data: predicted, rows: x.rows, cols: components });
      return computeMetrics('decomposition', { componentVariances: variances, totalVariance: totalVariance(x) });
    }
  }
}

/**
 * What a binary classifier's roc_auc (and log_loss) are computed from: its probabilities when it has
 * predict_proba; else its decision_function, as scikit-learn's roc_auc scorer does (log_loss is then left out:
 * margins are not probabilities); else nothing, and the metrics fall back to the predicted labels. A model whose
 * scores cannot be had still trains: no metric is worth failing a train over. An abort still aborts.
 */
async function binaryScores(
  runtime: Runtime,
  model: FittedModel,
  x: Matrix,
  signal?: AbortSignal,
): Promise<{ probabilities: Matrix } | { decisionScores: Float64Array } | undefined> {
  const attempt = async <T>(call: (() => Promise<T>) | undefined): Promise<T | undefined> => {
    if (!call) return undefined;
    try {
      return await call();
    } catch (error) {
      if (signal?.aborted) throw error;
      return undefined;
    }
  };
  const probabilities = await attempt(runtime.predictProba && (() => runtime.predictProba!(model, x, signal)));
  if (probabilities) return { probabilities: { data: probabilities, rows: x.rows, cols: 2 } };
  const decisionScores = await attempt(runtime.decisionFunction && (() => runtime.decisionFunction!(model, x, signal)));
  return decisionScores ? { decisionScores } : undefined;
}

/** The given rows of a row-major matrix. */
export function takeRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Float64Array(rows.length * m.cols);
  for (let i = 0; i < rows.length; i++) out.set(m.data.subarray(rows[i]! * m.cols, (rows[i]! + 1) * m.cols), i * m.cols);
  return { data: out, rows: rows.length, cols: m.cols };
}
