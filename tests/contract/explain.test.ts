/**
 * Explanations stored at train time, on both databases and both runtimes: what they contain is checked against
 * what else is known of the same test split (the stored metrics, the split's size), and their cost bounds and seeding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadDataset,
  loadExplanation,
  PERMUTATION_BUDGET,
  PERMUTATION_MAX_ROWS,
  permutationBudget,
  train,
  type Db,
  type ModelExplanation,
  type TrainResult,
} from '@pgml-ts/sdk';
import { eachDatabase, python, registry } from './harness.js';

afterAll(async () => {
  await python.close();
});

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

eachDatabase((target) => {
  let db: Db;
  const runtimes = registry();
  const explained = async (result: TrainResult): Promise<ModelExplanation> => (await loadExplanation(db, result.modelId)).explanation;

  beforeAll(async () => {
    db = await target().open();
    for (const name of ['iris', 'diabetes', 'breast_cancer', 'digits'] as const) await loadDataset(db, name);
  });

  describe('classification', () => {
    it('native logistic: confusion matrix over every test row, a curve per class, coefficients per class label', async () => {
      const result = await train(db, runtimes, 'iris', { task: 'classification', relationName: 'pgml.iris', yColumnName: 'target', algorithm: 'logistic', runtime: 'native' });
      const e = await explained(result);
      const split = await db.query<{ test_rows: number }>("SELECT (analysis->>'test_rows')::int AS test_rows FROM pgml.snapshots WHERE id = $1", [result.snapshotId]);
      expect(e.testRows).toBe(split.rows[0]!.test_rows);
      const { labels, confusion, curves } = e.classification!;
      expect(labels).toEqual(['0', '1', '2']);
      expect(sum(confusion.flat())).toBe(e.testRows);
      // The diagonal is the accuracy train stored.
      expect(sum(confusion.map((row, i) => row[i]!)) / e.testRows).toBeCloseTo(result.metrics.accuracy!, 12);
      expect(curves!.map((c) => c.label)).toEqual(['0', '1', '2']);
      expect(sum(curves!.map((c) => c.positives))).toBe(e.testRows);
      for (const c of curves!) {
        expect(c.roc.x[0]).toBe(0);
        expect(c.roc.x.at(-1)).toBe(1);
        expect(c.roc.y.at(-1)).toBe(1);
      }
      expect(e.importances).toMatchObject({ method: 'coefficients' });
      expect(e.importances!.rows.map((r) => r.output)).toEqual(['0', '1', '2']);
      expect(e.features).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    });

    it('python SVC without probabilities: the decision function gives the binary curve, whose AUC is the stored roc_auc', async () => {
      const result = await train(db, runtimes, 'cancer', {
        task: 'classification',
        relationName: 'pgml.breast_cancer',
        yColumnName: 'malignant',
        algorithm: 'svm',
        runtime: 'python',
      });
      const e = await explained(result);
      expect(e.classification!.curves).toHaveLength(1);
      expect(e.classification!.curves![0]!.rocAuc).toBeCloseTo(result.metrics.roc_auc!, 12);
      // Kernel SVMs have no importances of their own: permutation importance, bounded and seeded.
      const { importances } = e;
      expect(importances).toMatchObject({ method: 'permutation', permutation: { scoring: 'accuracy' } });
      const { rows, repeats, budget } = importances!.permutation!;
      // The budget follows the training rows (a kernel SVM predicts at the cost of its fit), within a fixed cap.
      const trainRows = await db.query<{ n: number }>("SELECT (analysis->>'train_rows')::int AS n FROM pgml.snapshots WHERE id = $1", [result.snapshotId]);
      expect(budget).toBe(permutationBudget(trainRows.rows[0]!.n));
      expect(budget).toBeLessThanOrEqual(PERMUTATION_BUDGET);
      expect(rows).toBe(Math.min(e.testRows, PERMUTATION_MAX_ROWS, Math.floor(budget / e.features.length)));
      expect(rows * repeats * e.features.length).toBeLessThanOrEqual(budget);
      expect(importances!.rows[0]!.values).toHaveLength(e.features.length);
    });

    it('permutation importance is seeded by the snapshot: the same model explains the same way', async () => {
      const first = await train(db, runtimes, 'digits', { task: 'classification', relationName: 'pgml.digits', yColumnName: 'target', algorithm: 'svm', runtime: 'python' });
      const again = await train(db, runtimes, 'digits', { algorithm: 'svm', runtime: 'python' });
      const [a, b] = [await explained(first), await explained(again)];
      expect(b.importances).toEqual(a.importances);
      // 64 features: fewer shuffles, so predictions stay within the budget.
      const { rows, repeats, budget } = a.importances!.permutation!;
      expect(rows * repeats * 64).toBeLessThanOrEqual(budget);
      expect(repeats).toBeGreaterThanOrEqual(1);
    });
  });

  describe('regression', () => {
    it('residuals agree with the stored errors; impurity importances of a native forest sum to 1', async () => {
      const result = await train(db, runtimes, 'diabetes', {
        task: 'regression',
        relationName: 'pgml.diabetes',
        yColumnName: 'target',
        algorithm: 'random_forest',
        runtime: 'native',
        hyperparams: { n_estimators: 10, random_state: 0 },
      });
      const e = await explained(result);
      const [t] = e.regression!.targets;
      expect(t!.name).toBe('target');
      expect(t!.residuals.meanAbsolute).toBeCloseTo(result.metrics.mean_absolute_error!, 9);
      expect(t!.residuals.mean ** 2 + t!.residuals.std ** 2).toBeCloseTo(result.metrics.mean_squared_error!, 6);
      expect(sum(t!.residuals.histogram.counts)).toBe(e.testRows);
      expect(t!.sample.actual).toHaveLength(Math.min(500, e.testRows));
      expect(e.importances).toMatchObject({ method: 'impurity' });
      expect(sum(e.importances!.rows[0]!.values)).toBeCloseTo(1, 12);
    });

    it('python ridge: coefficients; native xgboost: gain', async () => {
      const ridge = await explained(await train(db, runtimes, 'diabetes', { algorithm: 'ridge', runtime: 'python' }));
      expect(ridge.importances).toMatchObject({ method: 'coefficients', rows: [{ output: null }] });
      const xgboost = await explained(await train(db, runtimes, 'diabetes', { algorithm: 'xgboost', runtime: 'native', hyperparams: { n_estimators: 10 } }));
      expect(xgboost.importances).toMatchObject({ method: 'gain' });
      expect(sum(xgboost.importances!.rows[0]!.values)).toBeCloseTo(1, 5);
    });
  });

  it('clustering: cluster sizes cover the test rows; decomposition: a coefficient row per component', async () => {
    const clusters = await explained(await train(db, runtimes, 'iris clusters', { task: 'clustering', relationName: 'pgml.iris', algorithm: 'kmeans', hyperparams: { n_clusters: 3 } }));
    expect(sum(clusters.clustering!.clusterSizes.map((c) => c.rows))).toBe(clusters.testRows);
    expect(clusters.importances).toMatchObject({ method: 'permutation', permutation: { scoring: 'cluster_agreement' } });
    const pca = await explained(await train(db, runtimes, 'iris pca', { task: 'decomposition', relationName: 'pgml.iris', algorithm: 'pca', hyperparams: { n_components: 2 } }));
    expect(pca.importances!.rows.map((r) => r.output)).toEqual(['component 1', 'component 2']);
    expect(pca.decomposition!.explainedVarianceRatio).toHaveLength(2);
    expect(sum(pca.decomposition!.explainedVarianceRatio)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('by project gives the deployed model; a model without one is NO_EXPLANATION; unknown names are typed errors', async () => {
    const deployed = await db.query<{ model_id: string }>(
      "SELECT model_id FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id WHERE p.name = 'iris' ORDER BY d.created_at DESC, d.id DESC LIMIT 1",
    );
    expect((await loadExplanation(db, 'iris')).modelId).toBe(Number(deployed.rows[0]!.model_id));
    const model = await train(db, runtimes, 'iris', { algorithm: 'ridge' });
    await db.query('DELETE FROM pgml.explanations WHERE model_id = $1', [model.modelId]);
    await expect(loadExplanation(db, model.modelId)).rejects.toMatchObject({ code: 'NO_EXPLANATION' });
    await expect(loadExplanation(db, 'no such project')).rejects.toMatchObject({ code: 'UNKNOWN_PROJECT' });
    await expect(loadExplanation(db, 999_999)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
