import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  deploy,
  listDeployments,
  listModels,
  listProjects,
  loadDataset,
  ModelCache,
  predict,
  train,
  type Db,
  type LoadedModel,
} from '@pgml-ts/sdk';
import { eachDatabase, python, registry } from './harness.js';

afterAll(async () => {
  await python.close();
});

eachDatabase((target) => {
  let db: Db;
  const runtimes = registry();
  const ids: Record<string, number> = {};
  const f1: Record<string, number> = {};

  beforeAll(async () => {
    db = await target().open();
    await loadDataset(db, 'iris');
    // Three models of one project with different scores: linear, svm with a tiny C (worse), ridge.
    const first = await train(db, runtimes, 'flowers', {
      task: 'classification', relationName: 'pgml.iris', yColumnName: 'target', testSampling: 'stratified',
    });
    const worse = await train(db, runtimes, 'flowers', { algorithm: 'svm', hyperparams: { C: 0.001 } });
    const ridge = await train(db, runtimes, 'flowers', { algorithm: 'ridge' });
    Object.assign(ids, { linear: first.modelId, svm: worse.modelId, ridge: ridge.modelId });
    Object.assign(f1, { linear: first.metrics.f1!, svm: worse.metrics.f1!, ridge: ridge.metrics.f1! });
    expect(first.deployed).toBe(true);
    // Automatic deployment as PostgresML 2.x: unless the deployed model is strictly better (ties deploy).
    expect(worse.deployed).toBe(false);
    expect(ridge.deployed).toBe(ridge.metrics.f1! >= first.metrics.f1!);
  });
  afterAll(() => target().dispose());

  const live = async (): Promise<number> => (await listProjects(db)).find((p) => p.name === 'flowers')!.deployedModelId!;

  it('deploys by most_recent, best_score (numeric comparison) and rollback', async () => {
    expect(await deploy(db, 'flowers', { strategy: 'most_recent' })).toMatchObject({ modelId: ids.ridge, algorithm: 'ridge' });
    const best = Object.entries(f1).sort((a, b) => b[1] - a[1] || ids[b[0]]! - ids[a[0]]!)[0]![0];
    expect((await deploy(db, 'flowers', { strategy: 'best_score' })).modelId).toBe(ids[best]);
    expect((await deploy(db, 'flowers', { strategy: 'most_recent', algorithm: 'svm' })).modelId).toBe(ids.svm);
    expect(await live()).toBe(ids.svm);
    // rollback: the model deployed before the current one; twice in a row oscillates between the two.
    const back = await deploy(db, 'flowers', { strategy: 'rollback' });
    expect(back.modelId).toBe(ids[best]);
    expect((await deploy(db, 'flowers', { strategy: 'rollback' })).modelId).toBe(ids.svm);
    expect((await deploy(db, 'flowers', { strategy: 'best_score', algorithm: 'linear' })).modelId).toBe(ids.linear);
    const deployments = await listDeployments(db, { project: 'flowers' });
    expect(deployments.filter((d) => d.live)).toHaveLength(1);
    expect(deployments.at(-1)).toMatchObject({ modelId: ids.linear, strategy: 'best_score', live: true });
    const models = await listModels(db, { project: 'flowers' });
    expect(models.map((m) => m.algorithm)).toEqual(['linear', 'svm', 'ridge']);
    expect(models.find((m) => m.deployed)!.id).toBe(ids.linear);
  });

  it('refuses unknown strategies, unknown projects and deployments with no candidate', async () => {
    await expect(deploy(db, 'flowers', { strategy: 'newest' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(deploy(db, 'nope', { strategy: 'best_score' })).rejects.toMatchObject({ code: 'UNKNOWN_PROJECT' });
    await expect(deploy(db, 'flowers', { strategy: 'best_score', algorithm: 'xgboost' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('sees a deployment made elsewhere on the next predict, without reloading an unchanged model', async () => {
    const cache = new ModelCache<LoadedModel>();
    const row = [6.3, 2.5, 5.0, 1.9];
    await deploy(db, 'flowers', { strategy: 'most_recent', algorithm: 'svm' });
    const svmPrediction = await predict(db, runtimes, 'flowers', row, { cache });
    await predict(db, runtimes, 'flowers', row, { cache });
    expect(cache.stats()).toMatchObject({ entries: 1, misses: 1, hits: 1 });
    // Another connection (PostgreSQL: a second pool) or another writer (PGlite: plain SQL) deploys linear.
    const other = (await target().openAnother?.()) ?? db;
    const projectId = (await listProjects(other)).find((p) => p.name === 'flowers')!.id;
    await other.query(`INSERT INTO pgml.deployments (project_id, model_id, strategy) VALUES ($1, $2, 'most_recent')`, [
      projectId,
      ids.linear,
    ]);
    await predict(db, runtimes, 'flowers', row, { cache });
    expect(cache.stats()).toMatchObject({ entries: 2, misses: 2 });
    // Predicting by model id bypasses the deployment and hits the cache.
    expect(await predict(db, runtimes, ids.svm!, row, { cache })).toBe(svmPrediction);
    expect(cache.stats().misses).toBe(2);
  });

  it('bounds the cache by bytes, evicting the least recently used model', async () => {
    const sizes = await db.query<{ model_id: string | number; n: string | number }>(
      'SELECT model_id, sum(length(data)) AS n FROM pgml.files GROUP BY model_id ORDER BY model_id',
    );
    const largest = Math.max(...sizes.rows.map((r) => Number(r.n)));
    const cache = new ModelCache<LoadedModel>({ maxBytes: largest + 1 });
    const row = [6.3, 2.5, 5.0, 1.9];
    await predict(db, runtimes, ids.linear!, row, { cache });
    await predict(db, runtimes, ids.svm!, row, { cache });
    expect(cache.stats().entries).toBe(1);
    expect(cache.stats().bytes).toBeLessThanOrEqual(largest + 1);
  });
});
