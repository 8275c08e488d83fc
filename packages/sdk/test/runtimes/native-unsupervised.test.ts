// Clustering and decomposition end to end through the SDK with the native runtime: train (no y), store, deploy,
// predict (cluster index / transformed components) on each database.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresML } from '../../src/client.js';
import { describeEachDb } from '../databases.js';

const SETOSA = [5.1, 3.5, 1.4, 0.2];
const VIRGINICA = [6.3, 2.5, 5.0, 1.9];

describeEachDb('native clustering and decomposition', (get) => {
  let pgml: PostgresML;
  beforeAll(async () => {
    pgml = await PostgresML.connect({ db: get().db });
    await pgml.loadDataset('iris');
    await get().db.query('CREATE TABLE iris_features AS SELECT sepal_length, sepal_width, petal_length, petal_width FROM pgml.iris');
  });
  afterAll(() => pgml.close());

  it('trains kmeans, scores silhouette, predicts cluster indices', async () => {
    const r = await pgml.train('iris clusters', {
      task: 'clustering', relationName: 'iris_features', algorithm: 'kmeans', runtime: 'native',
      hyperparams: { n_clusters: 3, random_state: 0 },
    });
    expect(r).toMatchObject({ task: 'clustering', algorithm: 'kmeans', runtime: 'native', deployed: true });
    expect(r.metrics.silhouette).toBeGreaterThan(0.45);
    const setosa = await pgml.predict('iris clusters', SETOSA);
    const virginica = await pgml.predict('iris clusters', VIRGINICA);
    expect([0, 1, 2]).toContain(setosa);
    expect(virginica).not.toBe(setosa);
    const batch = await pgml.predictBatch('iris clusters', [SETOSA, VIRGINICA]);
    expect(Array.from(batch.predictions)).toEqual([setosa, virginica]);
  });

  it('trains pca, scores cumulative explained variance, predicts the components', async () => {
    const r = await pgml.train('iris pca', {
      task: 'decomposition', relationName: 'iris_features', algorithm: 'pca', runtime: 'native',
      hyperparams: { n_components: 2 },
    });
    expect(r).toMatchObject({ task: 'decomposition', algorithm: 'pca', runtime: 'native' });
    expect(r.metrics.cumulative_explained_variance).toBeGreaterThan(0.95);
    const components = await pgml.predictJoint('iris pca', SETOSA);
    expect(components).toHaveLength(2);
    expect(await pgml.model('iris pca')).toMatchObject({ runtime: 'native', numOutputs: 2 });
  });

  it('mini_batch_kmeans through the same path', async () => {
    const r = await pgml.train('iris minibatch', {
      task: 'clustering', relationName: 'iris_features', algorithm: 'mini_batch_kmeans', runtime: 'native',
      hyperparams: { n_clusters: 3, random_state: 0 },
    });
    expect(r.metrics.silhouette).toBeGreaterThan(0.45);
  });
});
