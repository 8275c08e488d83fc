import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgmlError, type Matrix, type Task } from '@pgml-ts/core';
import { PythonRuntime } from '../src/runtime.js';
import { PythonWorker } from '../src/worker.js';
import { pythonAlgorithms } from '../src/algorithms.js';
import { matrix, maxAbsDiff, runFixture } from './helpers.js';

interface Dataset {
  x: number[];
  rows: number;
  cols: number;
  y: number[] | null;
  targets: number | null;
}
interface Case {
  task: Task;
  algorithm: string;
  data: string;
  hyperparams: Record<string, unknown>;
  predictions: number[];
  proba?: number[];
}
interface Reference {
  data: Record<string, Dataset>;
  cases: Case[];
}

const worker = new PythonWorker();
const runtime = new PythonRuntime({ worker });
let reference: Reference;

beforeAll(async () => {
  reference = await runFixture<Reference>('sklearn_reference.py');
}, 120_000);
afterAll(() => runtime.close());

describe('python runtime parity with in-process scikit-learn', () => {
  it('covers every algorithm of the table', () => {
    const covered = new Set(reference.cases.map((c) => `${c.task}/${c.algorithm}`));
    expect(pythonAlgorithms().map((a) => `${a.task}/${a.algorithm}`).sort()).toEqual([...covered].sort());
  });

  it('fit, predict, predict_proba, serialize → deserialize: same numbers as sklearn for every algorithm', async () => {
    const failures: string[] = [];
    for (const c of reference.cases) {
      const data = reference.data[c.data]!;
      const x = matrix(data.x, data.rows, data.cols);
      const y: Matrix | undefined = data.y ? matrix(data.y, data.rows, data.targets!) : undefined;
      const label = `${c.task}/${c.algorithm}/${c.data}`;
      const model = await runtime.fit({
        task: c.task,
        algorithm: c.algorithm,
        hyperparams: c.hyperparams,
        x,
        y,
        numClasses: c.task === 'classification' ? 3 : undefined,
      });
      const predictions = await runtime.predict(model, x);
      if (maxAbsDiff(predictions, c.predictions) > 1e-9) failures.push(`${label}: predict differs`);
      expect(predictions.length).toBe(data.rows * model.numOutputs);
      if (c.proba) {
        const proba = await runtime.predictProba(model, x);
        if (maxAbsDiff(proba, c.proba) > 1e-9) failures.push(`${label}: predict_proba differs`);
      } else if (c.task === 'classification') {
        await expect(runtime.predictProba(model, x)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      }
      const bytes = await runtime.serialize(model);
      const { handle: _h, runtime: _r, ...meta } = model;
      const loaded = await runtime.deserialize(bytes, meta);
      if (maxAbsDiff(await runtime.predict(loaded, x), predictions) !== 0) failures.push(`${label}: reloaded differs`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('python runtime behaviour', () => {
  const x = matrix([0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 4], 6, 2);
  const y = matrix([0, 1, 2, 3, 4, 5], 6, 1);

  it('rejects unknown and mistyped hyperparameters with scikit-learn’s message', async () => {
    const bad = runtime.fit({ task: 'regression', algorithm: 'ridge', hyperparams: { alpah: 1 }, x, y });
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_HYPERPARAMETER', message: expect.stringMatching(/alpah/) });
    const typed = runtime.fit({ task: 'regression', algorithm: 'ridge', hyperparams: { alpha: 'much' }, x, y });
    await expect(typed).rejects.toMatchObject({ code: 'INVALID_HYPERPARAMETER', message: expect.stringMatching(/alpha/) });
    await expect(runtime.checkHyperparams('regression', 'random_forest', { n_estimators: -1 })).rejects.toMatchObject({
      code: 'INVALID_HYPERPARAMETER',
    });
    await expect(runtime.checkHyperparams('regression', 'random_forest', { n_estimators: 3 })).resolves.toBeUndefined();
  });

  it('lightgbm and catboost are AlgorithmUnavailable with a reason', async () => {
    expect(runtime.supports('regression', 'lightgbm')).toBe(false);
    expect(runtime.supports('classification', 'catboost')).toBe(false);
    expect(runtime.supports('classification', 'xgboost')).toBe(true);
    expect(runtime.supports('classification', 'lasso')).toBe(false);
    const forced = runtime.fit({ task: 'regression', algorithm: 'lightgbm', hyperparams: {}, x, y });
    await expect(forced).rejects.toMatchObject({ code: 'ALGORITHM_UNAVAILABLE', message: expect.stringMatching(/LightGBM/) });
    expect(() => runtime.validateHyperparams('classification', 'catboost', {})).toThrow(/CatBoost/);
  });

  it('reports the feature count mismatch and surfaces convergence warnings', async () => {
    const model = await runtime.fit({ task: 'regression', algorithm: 'linear', hyperparams: {}, x, y });
    await expect(runtime.predict(model, matrix([1, 2, 3], 1, 3))).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    const logistic = await runtime.fit({
      task: 'classification',
      algorithm: 'logistic',
      hyperparams: { max_iter: 1 },
      x,
      y: matrix([0, 1, 0, 1, 0, 1], 6, 1),
      numClasses: 2,
    });
    expect((logistic.handle as { warnings: string[] }).warnings.join('\n')).toMatch(/ConvergenceWarning/);
  });

  it('re-loads a model from its bytes after the worker restarted', async () => {
    const model = await runtime.fit({ task: 'regression', algorithm: 'ridge', hyperparams: {}, x, y });
    const before = await runtime.predict(model, x);
    process.kill(worker.pid!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await runtime.predict(model, x)).toEqual(before);
  });

  it('100 concurrent predicts on one model each get their own rows back', async () => {
    const model = await runtime.fit({ task: 'regression', algorithm: 'linear', hyperparams: {}, x, y });
    const rows = Array.from({ length: 100 }, (_, i) => matrix([i, i, i + 1, i + 1], 2, 2));
    const expected = await Promise.all(rows.slice(0, 3).map((r) => runtime.predict(model, r)));
    const answers = await Promise.all(rows.map((r) => runtime.predict(model, r)));
    expect(answers.slice(0, 3)).toEqual(expected);
    answers.forEach((answer, i) => {
      expect(answer.length).toBe(2);
      // Row i grows with i and the fitted slope is positive: answers must come back distinct and in call order.
      if (i > 0) expect(answer[0]! - answers[i - 1]![0]!).toBeGreaterThan(0);
    });
  });

  it('PostgresML 1.0 pickles (n×1 targets, raw labels) load and predict one column per row', async () => {
    const v1 = await runFixture<{
      x: number[];
      models: Record<string, { pickle: string; predictions: number[]; shape: number[] }>;
    }>('v1_pickles.py');
    const x1 = matrix(v1.x, 20, 3);
    expect(v1.models.linear!.shape).toEqual([20, 1]);
    for (const [algorithm, stored] of Object.entries(v1.models)) {
      const task = algorithm === 'logistic' ? 'classification' : 'regression';
      const model = await runtime.deserialize(Buffer.from(stored.pickle, 'base64'), {
        task,
        algorithm,
        numFeatures: 3,
        numOutputs: 1,
      });
      expect(maxAbsDiff(await runtime.predict(model, x1), stored.predictions), algorithm).toBe(0);
      if (task === 'classification') expect((model.handle as { classes: number[] }).classes).toEqual([3, 7]);
    }
  });

  it('fails fast on malformed inputs', async () => {
    await expect(
      runtime.fit({ task: 'regression', algorithm: 'linear', hyperparams: {}, x: matrix([1, 2, 3], 2, 2), y }),
    ).rejects.toBeInstanceOf(PgmlError);
    await expect(
      runtime.fit({ task: 'regression', algorithm: 'linear', hyperparams: {}, x: matrix([], 0, 2), y }),
    ).rejects.toMatchObject({ code: 'EMPTY_INPUT' });
  });
});
