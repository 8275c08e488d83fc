// Long fits report how far they came: the worker thread writes into the call's token, JS polls it for onProgress.
import { describe, expect, it } from 'vitest';
import { NativeModel, type NativeFitProgress } from '../index.js';

describe('fitAsync onProgress', () => {
  it('reports boosting rounds of a known total, then solver iterations of an unknown one', async () => {
    const rows = 20_000;
    const cols = 10;
    const x = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.37));
    const y = Float64Array.from({ length: rows }, (_, i) => (Math.cos(i * 0.11) > 0 ? 1 : 0));
    const rounds: NativeFitProgress[] = [];
    await NativeModel.fitAsync(
      { task: 'regression', algorithm: 'xgboost', hyperparams: { n_estimators: 400, max_depth: 6 }, x, rows, cols, y },
      { onProgress: (p) => rounds.push(p) },
    );
    expect(rounds.length).toBeGreaterThan(0);
    expect(rounds.every((p) => p.unit === 'rounds' && p.total === 400 && p.done <= 400)).toBe(true);
    // Polled values only grow.
    expect(rounds.map((p) => p.done)).toEqual([...rounds.map((p) => p.done)].sort((a, b) => a - b));
    const iterations: NativeFitProgress[] = [];
    const { nIter } = await NativeModel.fitAsync(
      { task: 'classification', algorithm: 'linear', x, rows, cols, y, numClasses: 2 },
      { onProgress: (p) => iterations.push(p) },
    );
    expect(iterations.every((p) => p.unit === 'iterations' && p.total === undefined && p.done <= nIter!)).toBe(true);
  });

  it('counts a forest in trees and gradient boosting in stages, to the end', async () => {
    const rows = 2_000;
    const x = Float64Array.from({ length: rows * 5 }, (_, i) => Math.sin(i * 0.37));
    const y = Float64Array.from({ length: rows }, (_, i) => Math.cos(i * 0.11));
    for (const [algorithm, unit, total] of [
      ['random_forest', 'trees', 30],
      ['extra_trees', 'trees', 30],
      ['gradient_boosting_trees', 'stages', 40],
    ] as const) {
      const seen: NativeFitProgress[] = [];
      await NativeModel.fitAsync(
        { task: 'regression', algorithm, hyperparams: { n_estimators: total, random_state: 0 }, x, rows, cols: 5, y },
        { onProgress: (p) => seen.push(p) },
      );
      expect(seen.every((p) => p.unit === unit && p.total === total)).toBe(true);
      expect(seen.at(-1)?.done).toBe(total);
    }
  });

  it('keeps working with an AbortSignal beside it', async () => {
    const controller = new AbortController();
    const x = Float64Array.from({ length: 40_000 }, (_, i) => Math.sin(i));
    const y = Float64Array.from({ length: 4_000 }, (_, i) => i % 7);
    const fit = NativeModel.fitAsync(
      { task: 'regression', algorithm: 'xgboost', hyperparams: { n_estimators: 100_000 }, x, rows: 4_000, cols: 10, y },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(fit).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
