// The task names the FFI accepts and how it treats an absent y (clustering and decomposition fit on X alone).
import { describe, expect, it } from 'vitest';

import { NativeModel, nativeAlgorithms } from '../index.js';

const x = Float64Array.from([0, 1, 1, 0, 2, 3, 3, 1]);
const shape = { x, rows: 4, cols: 2 };

function codeOf(run: () => unknown): { code?: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('model tasks at the FFI', () => {
  it('accepts clustering and decomposition as tasks and fits them without y', async () => {
    for (const task of ['clustering', 'decomposition'] as const) {
      const row = nativeAlgorithms().find((a) => a.task === task);
      const algorithm = row?.algorithm;
      if (algorithm) {
        // Once a family registers one, it fits from X alone (k-means' default 8 clusters need more than 4 rows).
        const hyperparams = 'n_clusters' in row.hyperparams ? { n_clusters: 2 } : {};
        expect(NativeModel.fit({ task, algorithm, hyperparams, ...shape }).model.task).toBe(task);
      } else {
        const error = codeOf(() => NativeModel.fit({ task, algorithm: 'kmeans', ...shape }));
        expect(error.code).toBe('ALGORITHM_UNAVAILABLE');
        expect(error.message).toContain(`no ${task} algorithm "kmeans"`);
        await expect(NativeModel.fitAsync({ task, algorithm: 'kmeans', ...shape })).rejects.toMatchObject({
          code: 'ALGORITHM_UNAVAILABLE',
        });
      }
    }
  });

  it('rejects unknown tasks and supervised fits without y', () => {
    const unknown = codeOf(() => NativeModel.fit({ task: 'ranking' as never, algorithm: 'linear', ...shape }));
    expect(unknown.code).toBe('ALGORITHM_UNAVAILABLE');
    const missing = codeOf(() => NativeModel.fit({ task: 'regression', algorithm: 'ridge', ...shape }));
    expect(missing.code).toBe('INVALID_ARGUMENT');
    expect(missing.message).toContain('needs y');
    const nullY = codeOf(() => NativeModel.fit({ task: 'classification', algorithm: 'logistic', ...shape, y: null as never }));
    expect(nullY.code).toBe('INVALID_ARGUMENT');
  });
});
