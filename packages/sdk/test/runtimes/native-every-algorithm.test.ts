// Every supervised algorithm in the Rust table (asked from the addon, so a new one is covered without editing this
// file) trains, is stored, deployed and predicts through PostgresML on each database with runtime 'native'.
// Clustering/decomposition go the same way in native-unsupervised.test.ts.
import type { AlgorithmName } from '@pgml-ts/core';
import { nativeAlgorithms } from '@pgml-ts/native';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresML } from '../../src/client.js';
import { describeEachDb } from '../databases.js';

const SUPERVISED = nativeAlgorithms().filter((a) => a.task === 'regression' || a.task === 'classification');
// Small ensembles keep the whole table quick; every other hyperparameter is scikit-learn's default.
const SMALL: Record<string, Record<string, unknown>> = {
  random_forest: { n_estimators: 10 },
  extra_trees: { n_estimators: 10 },
  gradient_boosting_trees: { n_estimators: 20 },
  hist_gradient_boosting: { max_iter: 20 },
  xgboost: { n_estimators: 10, n_jobs: 1 },
  xgboost_random_forest: { n_estimators: 10, n_jobs: 1 },
};
const IRIS_ROW = [6.3, 2.5, 5.0, 1.9];
const DIABETES_ROW = [0.038, 0.05, 0.062, 0.022, -0.044, -0.035, -0.043, -0.003, 0.02, -0.018];

describeEachDb('every native supervised algorithm through the SDK', (get) => {
  let pgml: PostgresML;
  beforeAll(async () => {
    pgml = await PostgresML.connect({ db: get().db });
    await pgml.loadDataset('iris');
    await pgml.loadDataset('diabetes');
  });
  afterAll(() => pgml.close());

  it.each(SUPERVISED.map((a) => [a.task, a.algorithm] as const))('%s %s', async (task, algorithm) => {
    const project = `${task} ${algorithm}`;
    const classification = task === 'classification';
    const r = await pgml.train(project, {
      task,
      algorithm: algorithm as AlgorithmName, // read from the native table at run time
      runtime: 'native',
      relationName: classification ? 'pgml.iris' : 'pgml.diabetes',
      yColumnName: 'target',
      hyperparams: SMALL[algorithm] ?? {},
    });
    expect(r).toMatchObject({ task, algorithm, runtime: 'native', deployed: true });
    const prediction = await pgml.predict(project, classification ? IRIS_ROW : DIABETES_ROW);
    if (classification) {
      expect([0, 1, 2]).toContain(prediction);
      expect(r.metrics.f1).toBeGreaterThan(0.5);
    } else {
      expect(Number.isFinite(prediction)).toBe(true);
    }
  });
});
