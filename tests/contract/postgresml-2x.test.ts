/**
 * PostgresML 2.x's semantics, each on PGlite and PostgreSQL: `runtime: 'rust'`, the default algorithm of
 * clustering/decomposition, XGBoost's python-side parameters on both runtimes, classifiers without predict_proba,
 * automatic deployment (ties deploy, recorded as new_score), deploy(model id), the 2.10 test_sampling default,
 * load_dataset's limit, and opening a database that PostgresML itself set up.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgDb, createPgliteDb, deploy, deployModel, ensureSchema, loadDataset, PostgresML, train, type Db } from '@pgml-ts/sdk';
import { createPostgresDatabase } from '../../packages/sdk/test/databases.js';
import { eachDatabase, python, registry } from './harness.js';

afterAll(async () => {
  await python.close();
});

eachDatabase((target) => {
  let db: Db;
  const runtimes = registry();
  beforeAll(async () => {
    db = await target().open();
    await loadDataset(db, 'breast_cancer');
    await loadDataset(db, 'diabetes');
  });
  afterAll(() => target().dispose());

  const stored = async (modelId: number) =>
    (await db.query<{ runtime: string }>('SELECT runtime FROM pgml.models WHERE id = $1', [modelId])).rows[0]!.runtime;

  it("accepts runtime 'rust' as the native runtime, records and reports it as rust", async () => {
    const r = await train(db, runtimes, 'rust', { task: 'regression', relationName: 'pgml.diabetes', yColumnName: 'target', runtime: 'rust' });
    expect(r.runtime).toBe('rust');
    expect(await stored(r.modelId)).toBe('rust');
    const auto = await train(db, runtimes, 'rust', { algorithm: 'ridge', runtime: 'native' });
    expect(await stored(auto.modelId)).toBe('native');
    await expect(train(db, runtimes, 'rust', { runtime: 'java' as 'rust' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/rust/) });
  });

  it('takes every XGBoost parameter python-xgboost takes, on both runtimes (eval_metric also as a list)', async () => {
    for (const runtime of ['native', 'python'] as const) {
      for (const hyperparams of [
        { eval_metric: 'rmse' },
        { eval_metric: ['rmse', 'mae'], objective: 'reg:squarederror', booster: 'gbtree', tree_method: 'hist', early_stopping_rounds: 3 },
        { n_estimators: 30, verbosity: 0, importance_type: 'gain', validate_parameters: true, max_cat_to_onehot: 4, missing: null },
      ]) {
        const r = await train(db, runtimes, `xgb ${runtime}`, {
          task: 'regression', relationName: 'pgml.diabetes', yColumnName: 'target', algorithm: 'xgboost', runtime, hyperparams,
        });
        expect(r.hyperparams, runtime).toEqual(hyperparams);
        expect(r.metrics.r2, `${runtime} ${JSON.stringify(hyperparams)}`).toBeGreaterThan(0);
      }
    }
  });

  it('trains classifiers without predict_proba: roc_auc from decision_function, no log_loss', async () => {
    for (const [algorithm, runtime] of [['linear_svm', 'python'], ['linear_svm', 'auto'], ['ridge', 'python'], ['perceptron', 'python'],
      ['stochastic_gradient_descent', 'python']] as const) {
      const r = await train(db, runtimes, `no proba ${algorithm} ${runtime}`, {
        task: 'classification', relationName: 'pgml.breast_cancer', yColumnName: 'malignant', algorithm, runtime,
      });
      expect(r.metrics.roc_auc, `${algorithm} ${runtime}`).toBeGreaterThan(0.8);
      expect(r.metrics.log_loss, `${algorithm} ${runtime}`).toBeUndefined();
    }
    const proba = await train(db, runtimes, 'with proba', { task: 'classification', relationName: 'pgml.breast_cancer', yColumnName: 'malignant' });
    expect(typeof proba.metrics.log_loss).toBe('number');
  });

  it('defaults clustering to kmeans and decomposition to pca, as 2.x fixes up its default algorithm', async () => {
    await db.query('CREATE VIEW diabetes_features AS SELECT age, sex, bmi, bp FROM pgml.diabetes');
    const clusters = await train(db, runtimes, 'clusters', { task: 'clustering', relationName: 'diabetes_features', hyperparams: { n_clusters: 3 } });
    expect(clusters.algorithm).toBe('kmeans');
    const pca = await train(db, runtimes, 'pca', { task: 'decomposition', relationName: 'diabetes_features' });
    expect(pca.algorithm).toBe('pca');
    const client = await PostgresML.connect(db);
    try {
      expect(await client.decompose('pca', [0.01, 0.02, 0.03, 0.04])).toHaveLength(4);
      await expect(client.decompose('clusters', [0, 0, 0, 0])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    } finally {
      await client.close();
    }
  });

  it('deploys automatically unless the deployed model is better (ties deploy, as new_score), and deploys a model id as specific', async () => {
    const options = { task: 'regression', relationName: 'pgml.diabetes', yColumnName: 'target', algorithm: 'ridge' } as const;
    const first = await train(db, runtimes, 'ties', options);
    const same = await train(db, runtimes, 'ties', { algorithm: 'ridge' });
    expect(same.metrics.r2).toBe(first.metrics.r2);
    expect(same.deployed).toBe(true);
    const worse = await train(db, runtimes, 'ties', { algorithm: 'ridge', hyperparams: { alpha: 1e6 } });
    expect(worse.deployed).toBe(false);
    const strategies = await db.query<{ strategy: string; model_id: string }>(
      "SELECT d.strategy, d.model_id FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id WHERE p.name = 'ties' ORDER BY d.id",
    );
    expect(strategies.rows.map((r) => [r.strategy, Number(r.model_id)])).toEqual([['new_score', first.modelId], ['new_score', same.modelId]]);
    expect(await deployModel(db, worse.modelId)).toMatchObject({ project: 'ties', strategy: 'specific', modelId: worse.modelId });
    expect((await deploy(db, 'ties', { strategy: 'rollback' })).modelId).toBe(same.modelId);
    await expect(deployModel(db, 987654)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it("defaults test_sampling to 2.10's stratified: class-balanced for classification, a random split otherwise", async () => {
    const cls = await train(db, runtimes, 'sampling cls', { task: 'classification', relationName: 'pgml.breast_cancer', yColumnName: 'malignant' });
    const reg = await train(db, runtimes, 'sampling reg', { task: 'regression', relationName: 'pgml.diabetes', yColumnName: 'target' });
    const sampling = await db.query<{ id: string; test_sampling: string; analysis: { class_counts?: { test: Record<string, number> } } }>(
      'SELECT id, test_sampling, analysis FROM pgml.snapshots WHERE id = ANY($1) ORDER BY id',
      [[cls.snapshotId, reg.snapshotId]],
    );
    expect(sampling.rows.map((r) => r.test_sampling)).toEqual(['stratified', 'stratified']);
    // breast_cancer: 212 malignant of 569; a stratified 25 % test split holds 53 of 142.
    expect(sampling.rows[0]!.analysis.class_counts!.test).toEqual({ false: 89, true: 53 });
  });

  it("load_dataset's limit loads the first rows only", async () => {
    expect(await loadDataset(db, 'iris', { limit: 10 })).toMatchObject({ table: 'pgml.iris', rows: 10 });
    await expect(loadDataset(db, 'iris', { limit: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it("opening a database with PostgresML's own pgml schema stops with MIGRATION_REQUIRED and creates nothing", async () => {
    const fresh = await freshDatabase(target().name);
    try {
      const foreign = fresh.db;
      await foreign.query('CREATE SCHEMA pgml');
      await foreign.query("CREATE TYPE pgml.task AS ENUM ('regression', 'classification')");
      await foreign.query('CREATE TABLE pgml.projects (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, task pgml.task NOT NULL)');
      await foreign.query('CREATE TABLE pgml.models (id BIGSERIAL PRIMARY KEY, project_id BIGINT, algorithm TEXT NOT NULL, runtime TEXT)');
      await expect(ensureSchema(foreign)).rejects.toMatchObject({
        code: 'MIGRATION_REQUIRED',
        message: expect.stringMatching(/PostgresML 2\.x.*pgml migrate --from-v2/),
      });
      const tables = await foreign.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'pgml' ORDER BY 1");
      expect(tables.rows.map((r) => r.tablename)).toEqual(['models', 'projects']);
      await foreign.query('ALTER TABLE pgml.models RENAME COLUMN algorithm TO algorithm_name');
      await expect(ensureSchema(foreign)).rejects.toMatchObject({
        code: 'MIGRATION_REQUIRED',
        message: expect.stringMatching(/PostgresML 1\.0.*pgml migrate --from/),
      });
    } finally {
      await fresh.dispose();
    }
  });
});

/** An empty database of the same engine, for a schema the shared test database cannot hold. */
async function freshDatabase(engine: 'pglite' | 'postgres'): Promise<{ db: Db; dispose: () => Promise<void> }> {
  if (engine === 'pglite') {
    const db = await createPgliteDb('memory://');
    return { db, dispose: () => db.close() };
  }
  const { url, drop } = await createPostgresDatabase();
  const db = createPgDb(url);
  return { db, dispose: async () => (await db.close(), await drop()) };
}
