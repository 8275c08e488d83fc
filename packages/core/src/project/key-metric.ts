/** The metric that ranks models of a task, higher is better (PostgresML: r2, f1; plus silhouette and explained variance). */
import type { Task } from '../runtime.js';

const KEY_METRICS: Record<Task, string> = {
  regression: 'r2',
  classification: 'f1',
  clustering: 'silhouette',
  decomposition: 'cumulative_explained_variance',
};

export function keyMetricName(task: Task): string {
  return KEY_METRICS[task];
}
