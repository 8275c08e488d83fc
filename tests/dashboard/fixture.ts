/**
 * The browser tests' world: a database with a trained project of each task (both runtimes, a hyperparameter
 * search, a redeploy for the timeline), a dashboard over it, and Debian's Chromium driven by playwright-core
 * (Playwright's own browser download is not reachable; scripts/bootstrap.mjs installs `chromium`).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { PostgresML } from '@pgml-ts/sdk';

export const CHROMIUM = process.env.PGML_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run node scripts/bootstrap.mjs (installs Debian's chromium)`);
  // Root in a container has no user namespaces for Chromium's sandbox.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export interface TrainedWorld {
  pgml: PostgresML;
  /** Model ids by role. */
  models: { logistic: number; svm: number; ridge: number; xgboost: number; kmeans: number; pca: number };
}

/** Four projects, one per task; iris has a native and a python model, diabetes a searched ridge and XGBoost. */
export async function trainedWorld(pgml: PostgresML): Promise<TrainedWorld> {
  await pgml.loadDataset('iris');
  await pgml.loadDataset('diabetes');
  const iris = { relationName: 'pgml.iris', yColumnName: 'target' };
  const logistic = await pgml.train('Iris Flowers', { task: 'classification', ...iris, algorithm: 'logistic', hyperparams: { max_iter: 500 } });
  const svm = await pgml.train('Iris Flowers', { algorithm: 'svm', runtime: 'python' });
  const ridge = await pgml.train('Diabetes', {
    task: 'regression',
    relationName: 'pgml.diabetes',
    yColumnName: 'target',
    algorithm: 'ridge',
    search: 'grid',
    searchParams: { alpha: [0.01, 0.1, 1, 10] },
  });
  const xgboost = await pgml.train('Diabetes', { algorithm: 'xgboost', hyperparams: { n_estimators: 20, max_depth: 3 } });
  const kmeans = await pgml.train('Iris Clusters', { task: 'clustering', relationName: 'pgml.iris', algorithm: 'kmeans', hyperparams: { n_clusters: 3 } });
  const pca = await pgml.train('Iris Components', { task: 'decomposition', relationName: 'pgml.iris', algorithm: 'pca', hyperparams: { n_components: 2 } });
  // A second deployment of Diabetes, so its timeline has two points.
  await pgml.deploy('Diabetes', { strategy: 'best_score' });
  return {
    pgml,
    models: { logistic: logistic.modelId, svm: svm.modelId, ridge: ridge.modelId, xgboost: xgboost.modelId, kmeans: kmeans.modelId, pca: pca.modelId },
  };
}
