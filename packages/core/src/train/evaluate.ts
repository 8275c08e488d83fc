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
      const probabilities =
        numClasses === 2 && runtime.predictProba ? await probabilitiesOrUndefined(runtime, model, x, signal) : undefined;
      return computeMetrics('classification', {
        yTrue: y!.data,
        yPred: predicted,
        numClasses,
        ...(probabilities ? { probabilities: { data: probabilities, rows: x.rows, cols: 2 } } : {}),
      });
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

/** Estimators without predict_proba (e.g. SVC without probability) fall back to labels, as PostgresML. */
async function probabilitiesOrUndefined(
  runtime: Runtime,
  model: FittedModel,
  x: Matrix,
  signal?: AbortSignal,
): Promise<Float64Array | undefined> {
  try {
    return await runtime.predictProba!(model, x, signal);
  } catch (error) {
    if ((error as { code?: string }).code === 'INVALID_ARGUMENT') return undefined;
    throw error;
  }
}

/** The given rows of a row-major matrix. */
export function takeRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Float64Array(rows.length * m.cols);
  for (let i = 0; i < rows.length; i++) out.set(m.data.subarray(rows[i]! * m.cols, (rows[i]! + 1) * m.cols), i * m.cols);
  return { data: out, rows: rows.length, cols: m.cols };
}
