/**
 * PostgresML 2.10's own example scripts (pgml-extension/examples/{regression, binary_classification,
 * multi_classification, clustering, decomposition, joint_regression, vectors}.sql), translated call by call into the
 * SDK, arguments camelCased — as a PostgresML user porting them would. Every pgml.train / train_joint / deploy /
 * predict / predict_proba / predict_joint / decompose / load_dataset and vector call is here except the Hugging Face,
 * catboost and lightgbm ones (preprocessing.sql needs both: a Hugging Face dataset and lightgbm). SQL the scripts run
 * on PostgresML's views (pgml.trained_models, pgml.deployed_models) runs as it is. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresML, type AlgorithmName, type Db, type TrainResult } from '@pgml-ts/sdk';
import { eachDatabase } from './harness.js';

type Row = Record<string, unknown>;

eachDatabase((target) => {
  let pgml: PostgresML;
  let db: Db;
  beforeAll(async () => {
    db = await target().open();
    pgml = await PostgresML.connect(db);
  });
  afterAll(async () => {
    await pgml.close();
    await target().dispose();
  });

  const rows = async (sql: string): Promise<Row[]> => (await db.query<Row>(sql)).rows;
  const trained = (r: TrainResult, algorithm: string) => {
    expect(r.algorithm).toBe(algorithm);
    expect(r.modelId).toBeGreaterThan(0);
    expect(typeof r.deployed).toBe('boolean');
  };
  /** `SELECT * FROM pgml.deploy(project, strategy[, algorithm])`. */
  const deploys = async (project: string, strategy: 'best_score' | 'most_recent' | 'rollback', algorithm?: string) => {
    const r = await pgml.deploy(project, { strategy, ...(algorithm ? { algorithm } : {}) });
    expect(r.strategy).toBe(strategy);
    if (algorithm) expect(r.algorithm).toBe(algorithm);
    return r;
  };
  const views = async (metric: string) => {
    const best = await rows(`SELECT trained_models.* FROM pgml.trained_models JOIN pgml.models ON models.id = trained_models.id
                              ORDER BY models.metrics->>'${metric}' DESC LIMIT 5`);
    expect(best.length).toBeGreaterThan(0);
    expect((await rows('SELECT * FROM pgml.deployed_models ORDER BY deployed_at DESC LIMIT 5')).length).toBeGreaterThan(0);
  };

  describe('regression.sql', () => {
    const P = 'Diabetes Progression';
    const X = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
    const features = (r: Row) => X.map((c) => Number(r[c]));
    const predictTen = async (projectOrModel: string | number) => {
      for (const r of await rows('SELECT * FROM pgml.diabetes LIMIT 10')) expect(typeof (await pgml.predict(projectOrModel, features(r)))).toBe('number');
    };

    it('trains, predicts (by project and by model id), every algorithm, both runtimes, a grid search, and deploys', async () => {
      expect((await pgml.loadDataset('diabetes')).rows).toBe(442);
      trained(await pgml.train(P, { task: 'regression', relationName: 'pgml.diabetes', yColumnName: 'target' }), 'linear');
      await predictTen(P);
      const [first] = await rows(`SELECT models.id FROM pgml.models JOIN pgml.projects ON models.project_id = projects.id WHERE projects.name = '${P}' LIMIT 1`);
      await predictTen(Number(first!.id));
      for (const [algorithm, hyperparams] of [
        ['ridge'], ['lasso'], ['elastic_net'], ['least_angle'], ['lasso_least_angle'], ['orthogonal_matching_pursuit'], ['bayesian_ridge'],
        ['automatic_relevance_determination'], ['stochastic_gradient_descent'], ['passive_aggressive'], ['ransac'],
        ['theil_sen', { max_iter: 10, max_subpopulation: 100 }], ['huber'],
        ['svm', { max_iter: 100 }], ['nu_svm', { max_iter: 10 }], ['linear_svm', { max_iter: 100 }],
        ['ada_boost', { n_estimators: 5 }], ['bagging', { n_estimators: 5 }], ['extra_trees', { n_estimators: 5 }],
        ['gradient_boosting_trees', { n_estimators: 5 }], ['random_forest', { n_estimators: 5 }],
        ['xgboost', { n_estimators: 10 }],
      ] as Array<[AlgorithmName, Record<string, unknown>?]>) {
        trained(await pgml.train(P, { algorithm, ...(hyperparams ? { hyperparams } : {}) }), algorithm);
      }
      // runtimes
      expect(await pgml.train(P, { algorithm: 'linear', runtime: 'python' })).toMatchObject({ runtime: 'python' });
      expect(await pgml.train(P, { algorithm: 'linear', runtime: 'rust' })).toMatchObject({ runtime: 'rust' });
      expect(await pgml.train(P, { algorithm: 'xgboost', runtime: 'rust', hyperparams: { n_estimators: 10 } })).toMatchObject({ runtime: 'rust' });
      await views('mean_squared_error');
      await deploys(P, 'most_recent', 'random_forest');
      const searched = await pgml.train(P, {
        algorithm: 'xgboost',
        hyperparams: { eval_metric: 'rmse' },
        search: 'grid',
        searchParams: { max_depth: [1, 2], n_estimators: [20, 40] },
      });
      expect(Object.keys(searched.hyperparams).sort()).toEqual(['eval_metric', 'max_depth', 'n_estimators']);
      await deploys(P, 'best_score');
      await deploys(P, 'most_recent');
      await deploys(P, 'rollback');
      await deploys(P, 'best_score', 'svm');
      await predictTen(P);
    }, 300_000);
  });

  describe('binary_classification.sql', () => {
    const P = 'Breast Cancer Detection';
    let columns: string[];
    const features = (r: Row) => columns.map((c) => Number(r[c]));

    it('trains every classifier (those without predict_proba too), predicts labels and probabilities, searches and deploys', async () => {
      columns = (await pgml.loadDataset('breast_cancer')).columns.filter((c) => c !== 'malignant');
      trained(await pgml.train(P, { task: 'classification', relationName: 'pgml.breast_cancer', yColumnName: 'malignant' }), 'linear');
      const sample = await rows('SELECT * FROM pgml.breast_cancer ORDER BY random() LIMIT 10');
      for (const r of sample) expect(typeof (await pgml.predict(P, features(r)))).toBe('boolean');
      for (const r of sample) {
        const { probabilities, labels } = await pgml.predictProba(P, features(r));
        expect(labels).toEqual([false, true]);
        expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }
      for (const [algorithm, hyperparams] of [
        ['ridge'], ['stochastic_gradient_descent'], ['perceptron'], ['passive_aggressive'], ['svm'], ['nu_svm'], ['linear_svm'],
        ['ada_boost'], ['bagging'], ['extra_trees', { n_estimators: 10 }], ['gradient_boosting_trees', { n_estimators: 10 }],
        ['random_forest', { n_estimators: 10 }], ['xgboost', { n_estimators: 10 }],
      ] as Array<[AlgorithmName, Record<string, unknown>?]>) {
        const r = await pgml.train(P, { algorithm, ...(hyperparams ? { hyperparams } : {}) });
        trained(r, algorithm);
        expect(typeof r.metrics.roc_auc, algorithm).toBe('number');
      }
      await views('f1');
      await deploys(P, 'most_recent', 'random_forest');
      trained(await pgml.train(P, { algorithm: 'xgboost', search: 'grid', searchParams: { n_estimators: [2, 4], max_depth: [1, 2, 3] } }), 'xgboost');
      await deploys(P, 'best_score');
      await deploys(P, 'most_recent');
      await deploys(P, 'rollback');
      await deploys(P, 'best_score', 'svm');
      for (const r of await rows('SELECT * FROM pgml.breast_cancer LIMIT 10')) expect(typeof (await pgml.predict(P, features(r)))).toBe('boolean');
    }, 300_000);
  });

  describe('multi_classification.sql', () => {
    const P = 'Iris Flower Types';
    const features = (r: Row) => ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((c) => Number(r[c]));

    it('trains on a view, predicts, searches gradient boosting and deploys', async () => {
      await pgml.loadDataset('iris');
      await db.query('DROP VIEW IF EXISTS pgml.iris_view');
      await db.query('CREATE VIEW pgml.iris_view AS SELECT * FROM pgml.iris ORDER BY random() LIMIT 100');
      trained(await pgml.train(P, { task: 'classification', relationName: 'pgml.iris_view', yColumnName: 'target' }), 'linear');
      for (const r of await rows('SELECT * FROM pgml.iris_view LIMIT 10')) expect([0, 1, 2]).toContain(await pgml.predict(P, features(r)));
      for (const r of await rows('SELECT * FROM pgml.iris_view LIMIT 10')) expect((await pgml.predictProba(P, features(r))).probabilities).toHaveLength(3);
      for (const [algorithm, hyperparams] of [
        ['ridge'], ['svm'], ['nu_svm'], ['linear_svm'], ['ada_boost'], ['bagging'], ['extra_trees', { n_estimators: 10 }],
        ['gradient_boosting_trees', { n_estimators: 10 }], ['random_forest', { n_estimators: 10 }], ['xgboost', { n_estimators: 10 }],
      ] as Array<[AlgorithmName, Record<string, unknown>?]>) {
        trained(await pgml.train(P, { algorithm, ...(hyperparams ? { hyperparams } : {}) }), algorithm);
      }
      await views('f1');
      await deploys(P, 'most_recent', 'random_forest');
      const searched = await pgml.train(P, {
        algorithm: 'gradient_boosting_trees',
        hyperparams: { random_state: 0 },
        search: 'grid',
        searchParams: { n_estimators: [10, 20], max_leaf_nodes: [2, 4], criterion: ['friedman_mse', 'squared_error'] },
      });
      trained(searched, 'gradient_boosting_trees');
      await deploys(P, 'best_score');
      await deploys(P, 'most_recent');
      await deploys(P, 'rollback');
      await deploys(P, 'best_score', 'svm');
      for (const r of await rows('SELECT * FROM pgml.iris_view LIMIT 10')) expect([0, 1, 2]).toContain(await pgml.predict(P, features(r)));
    }, 300_000);
  });

  describe('clustering.sql', () => {
    const P = 'Handwritten Digit Clusters';

    it('trains k-means by default (no algorithm given), predicts clusters, and the other online clusterers', async () => {
      await pgml.loadDataset('digits');
      await db.query('CREATE VIEW pgml.digit_vectors AS SELECT image FROM pgml.digits');
      trained(await pgml.train(P, { task: 'clustering', relationName: 'pgml.digit_vectors', hyperparams: { n_clusters: 10 } }), 'kmeans');
      for (const r of await rows('SELECT target, image FROM pgml.digits LIMIT 10')) {
        const cluster = await pgml.predict(P, (r.image as number[][]).flat());
        expect(Number.isInteger(cluster) && (cluster as number) >= 0 && (cluster as number) < 10).toBe(true);
      }
      trained(await pgml.train(P, { algorithm: 'affinity_propagation' }), 'affinity_propagation');
      for (const algorithm of ['birch', 'kmeans', 'mini_batch_kmeans'] as const) {
        trained(await pgml.train(P, { algorithm, hyperparams: { n_clusters: 10 } }), algorithm);
      }
    }, 300_000);
  });

  describe('decomposition.sql', () => {
    const P = 'Handwritten Digits Reduction';
    const images = async () => (await rows('SELECT target, image FROM pgml.digits LIMIT 10')).map((r) => (r.image as number[][]).flat());

    it('trains PCA by default, decomposes, reduces to 3 components, deploys and predicts', async () => {
      await pgml.loadDataset('digits');
      await db.query('CREATE VIEW digit_vectors AS SELECT image FROM pgml.digits');
      trained(await pgml.train(P, { task: 'decomposition', relationName: 'digit_vectors' }), 'pca');
      for (const image of await images()) expect(await pgml.decompose(P, image)).toHaveLength(64);
      const reduced = await pgml.train(P, { hyperparams: { n_components: 3 } });
      trained(reduced, 'pca');
      // As in 2.x: 3 components explain less variance than the deployed 64, so automatic deployment keeps those.
      expect(reduced.deployed).toBe(false);
      for (const image of await images()) expect(await pgml.decompose(P, image)).toHaveLength(64);
      await views('cumulative_explained_variance');
      await deploys(P, 'most_recent', 'pca');
      for (const image of await images()) expect(await pgml.decompose(P, image)).toHaveLength(3);
      await deploys(P, 'best_score');
      await deploys(P, 'most_recent');
      await deploys(P, 'rollback');
      await deploys(P, 'best_score', 'pca');
      for (const image of await images()) expect(typeof (await pgml.predict(P, image))).toBe('number');
    }, 300_000);
  });

  describe('joint_regression.sql', () => {
    const P = 'Exercise vs Physiology';
    const features = (r: Row) => ['chins', 'situps', 'jumps'].map((c) => Number(r[c]));

    it('trains jointly on three targets with every algorithm, predicts jointly and deploys', async () => {
      await pgml.loadDataset('linnerud');
      trained(await pgml.trainJoint(P, { task: 'regression', relationName: 'pgml.linnerud', yColumnName: ['weight', 'waist', 'pulse'] }), 'linear');
      for (const r of await rows('SELECT * FROM pgml.linnerud LIMIT 10')) expect(await pgml.predictJoint(P, features(r))).toHaveLength(3);
      for (const [algorithm, hyperparams] of [
        ['ridge'], ['lasso'], ['elastic_net'], ['least_angle'], ['lasso_least_angle'], ['orthogonal_matching_pursuit'], ['bayesian_ridge'],
        ['automatic_relevance_determination'], ['stochastic_gradient_descent'], ['passive_aggressive'], ['ransac'],
        ['theil_sen', { max_iter: 10, max_subpopulation: 100 }], ['huber'],
        ['svm', { max_iter: 100 }], ['nu_svm', { max_iter: 10 }], ['linear_svm', { max_iter: 100 }],
        ['ada_boost', { n_estimators: 5 }], ['bagging', { n_estimators: 5 }], ['extra_trees', { n_estimators: 5 }],
        ['gradient_boosting_trees', { n_estimators: 5 }], ['random_forest', { n_estimators: 5 }],
      ] as Array<[AlgorithmName, Record<string, unknown>?]>) {
        trained(await pgml.trainJoint(P, { algorithm, ...(hyperparams ? { hyperparams } : {}) }), algorithm);
      }
      await views('mean_squared_error');
      await deploys(P, 'most_recent', 'random_forest');
      await deploys(P, 'best_score');
      await deploys(P, 'most_recent');
      await deploys(P, 'rollback');
      await deploys(P, 'best_score', 'svm');
      for (const r of await rows('SELECT * FROM pgml.linnerud LIMIT 10')) expect(await pgml.predictJoint(P, features(r))).toHaveLength(3);
    }, 300_000);
  });

  describe('vectors.sql', () => {
    const v = (...values: number[]) => Float32Array.from(values);

    it('elementwise arithmetic with constants and pairwise, norms, normalization, comparisons and aggregates', () => {
      const x = [1.0, 2.0, 3.0];
      expect(Array.from(pgml.vector.add(x, 3))).toEqual([4, 5, 6]);
      expect(Array.from(pgml.vector.subtract(x, 3))).toEqual([-2, -1, 0]);
      expect(Array.from(pgml.vector.multiply(x, 3))).toEqual([3, 6, 9]);
      expect(Array.from(pgml.vector.divide(x, 100))).toEqual([0.01, 0.02, 0.03]);
      const a = v(1, 2, 3);
      const b = v(4, 5, 6);
      expect(Array.from(pgml.vector.add(a, b))).toEqual([5, 7, 9]);
      expect(Array.from(pgml.vector.subtract(a, b))).toEqual([-3, -3, -3]);
      expect(Array.from(pgml.vector.multiply(a, b))).toEqual([4, 10, 18]);
      expect(Array.from(pgml.vector.divide(a, b))).toEqual(Array.from(v(0.25, 0.4, 0.5)));
      expect(pgml.vector.normL0(a)).toBe(3);
      expect(pgml.vector.normL1(a)).toBe(6);
      expect(pgml.vector.normL2(a)).toBeCloseTo(Math.sqrt(14), 6);
      expect(pgml.vector.normMax(a)).toBe(3);
      const close = (got: ArrayLike<number>, want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 6));
      close(pgml.vector.normalizeL1(a), [1 / 6, 2 / 6, 3 / 6]);
      close(pgml.vector.normalizeL2(a), [1, 2, 3].map((x) => x / Math.sqrt(14)));
      close(pgml.vector.normalizeMax(a), [1 / 3, 2 / 3, 1]);
      expect(pgml.vector.distanceL1(a, b)).toBe(9);
      expect(pgml.vector.distanceL2(a, b)).toBeCloseTo(Math.sqrt(27), 6);
      expect(pgml.vector.dotProduct(a, b)).toBe(32);
      expect(pgml.vector.cosineSimilarity(a, a)).toBeCloseTo(1, 6);
      // The aggregates over rows, one of them NULL (skipped, as SQL aggregates skip NULL).
      const embeddings = [v(-2, -4, -6, -8), v(-1, -2, -3, -4), v(0, 0, 0, 0), v(1, 2, 3, 4), v(1, 2, 3, 4), null];
      const sum = pgml.vector.sum(embeddings);
      expect(Array.from(sum)).toEqual([-1, -2, -3, -4]);
      expect(Array.from(pgml.vector.min(embeddings))).toEqual([-2, -4, -6, -8]);
      expect(Array.from(pgml.vector.max(embeddings))).toEqual([1, 2, 3, 4]);
      expect(Array.from(pgml.vector.minAbs(embeddings))).toEqual([0, 0, 0, 0]);
      expect(Array.from(pgml.vector.maxAbs(embeddings))).toEqual([2, 4, 6, 8]);
      const count = embeddings.filter((e) => e !== null).length;
      expect(Array.from(pgml.vector.divide(sum, count))).toEqual(Array.from(v(-0.2, -0.4, -0.6, -0.8)));
    });
  });
});
