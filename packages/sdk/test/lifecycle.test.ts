// A model's lifecycle through the SDK on both databases: exported from an embedded database and imported into this
// one (native and python models predict exactly as at home), then deleted — refusing the deployed model unless
// forced, and taking the snapshots no other model uses, tables included, in one transaction.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresML } from '../src/client.js';
import { describeEachDb } from './databases.js';

const IRIS = { task: 'classification', relationName: 'pgml.iris', yColumnName: 'target' } as const;
const ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.3, 2.5, 5.0, 1.9],
  [5.9, 3.0, 4.2, 1.5],
];

describeEachDb('export, import and delete', (get) => {
  let home: PostgresML;
  let here: PostgresML;
  beforeAll(async () => {
    home = await PostgresML.connect({ dataDir: 'memory://' });
    await home.loadDataset('iris');
    here = await PostgresML.connect({ db: get().db });
    await here.loadDataset('iris');
  });
  afterAll(async () => {
    await home.close();
    await here.close();
  });

  it('a model trained elsewhere predicts the same here, with its hyperparameters and metrics', async () => {
    for (const runtime of ['native', 'python'] as const) {
      const project = `iris ${runtime}`;
      const trained = await home.train(project, { ...IRIS, algorithm: 'svm', runtime, hyperparams: { C: 2 } });
      const file = await home.exportModel(project);
      expect(file).toMatchObject({ project, modelId: trained.modelId, task: 'classification', algorithm: 'svm', runtime });
      const imported = await here.importModel(file.bytes);
      expect(imported).toMatchObject({ project, task: 'classification', algorithm: 'svm', runtime, deployed: true, createdProject: true });
      const atHome = await home.predictBatch(project, ROWS);
      expect(await here.predictBatch(project, ROWS)).toEqual(atHome);
      const [model] = await here.models({ project });
      expect(model).toMatchObject({ hyperparams: { C: 2 }, snapshotId: null, deployed: true, metrics: { f1: trained.metrics.f1 } });
    }
    // Into an existing project of the same task, not deployed when asked not to.
    const again = await here.importModel((await home.exportModel('iris native')).bytes, { project: 'iris python', deploy: false });
    expect(again).toMatchObject({ project: 'iris python', deployed: false, createdProject: false });
    // A project of another task, damaged bytes or not a model file at all: refused before anything is written.
    const before = (await here.models()).length;
    await here.db.query('CREATE TABLE regression_rows AS SELECT sepal_length, sepal_width FROM pgml.iris');
    await here.train('iris regression', { task: 'regression', relationName: 'regression_rows', yColumnName: 'sepal_width', runtime: 'native' });
    await expect(here.importModel((await home.exportModel('iris native')).bytes, { project: 'iris regression' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/"iris regression" is a regression project; the model in the file is classification/),
    });
    expect((await here.models({ project: 'iris regression' })).length).toBe(1);
    const damaged = (await home.exportModel('iris native')).bytes.slice();
    damaged[40]! ^= 1;
    await expect(here.importModel(damaged)).rejects.toMatchObject({ code: 'CORRUPT_MODEL' });
    await expect(here.importModel(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'CORRUPT_MODEL' });
    expect((await here.models()).length).toBe(before + 1);
  });

  it('deletes a model and then a project, with their snapshots and tables', async () => {
    const first = await here.train('lifecycle', { ...IRIS, runtime: 'native', materializeSnapshot: true });
    const second = await here.train('lifecycle', { algorithm: 'ridge', automaticDeploy: false });
    const third = await here.train('lifecycle', { ...IRIS, runtime: 'native', materializeSnapshot: true, automaticDeploy: false });
    const tables = async () =>
      (await here.db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'pgml' AND tablename LIKE 'snapshot\\_%' ORDER BY 1")).rows.map((r) => r.name);
    expect(await tables()).toEqual(expect.arrayContaining([`snapshot_${first.snapshotId}`, `snapshot_${third.snapshotId}`]));
    await expect(here.deleteModel(first.modelId)).rejects.toMatchObject({ code: 'CONFLICT', details: { modelId: first.modelId } });
    // The snapshot is shared with the second model: it stays.
    expect(await here.deleteModel(second.modelId)).toEqual({ project: 'lifecycle', projectDeleted: false, models: [second.modelId], snapshots: [], tables: [] });
    expect(await here.deleteModel(third.modelId)).toEqual({
      project: 'lifecycle', projectDeleted: false, models: [third.modelId], snapshots: [third.snapshotId], tables: [`pgml.snapshot_${third.snapshotId}`],
    });
    expect(await tables()).not.toContain(`snapshot_${third.snapshotId}`);
    await expect(here.deleteProject('lifecycle')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await here.models({ project: 'lifecycle' })).map((m) => m.id)).toEqual([first.modelId]);
    const deleted = await here.deleteProject('lifecycle', { force: true });
    expect(deleted).toEqual({ project: 'lifecycle', projectDeleted: true, models: [first.modelId], snapshots: [first.snapshotId], tables: [`pgml.snapshot_${first.snapshotId}`] });
    expect(await tables()).not.toContain(`snapshot_${first.snapshotId}`);
    await expect(here.predict('lifecycle', ROWS[0]!)).rejects.toMatchObject({ code: 'UNKNOWN_PROJECT' });
    const files = await here.db.query<{ n: string }>('SELECT count(*) AS n FROM pgml.files WHERE model_id = ANY($1::bigint[])', [[first.modelId, second.modelId, third.modelId]]);
    expect(Number(files.rows[0]!.n)).toBe(0);
  });

  it('deleting the deployed model with force falls back to the previous deployment', async () => {
    const a = await here.train('fallback', { ...IRIS, runtime: 'native' });
    const b = await here.train('fallback', { algorithm: 'svm', runtime: 'python', automaticDeploy: false });
    await here.deploy('fallback', { strategy: 'most_recent' });
    expect((await here.model('fallback')).modelId).toBe(b.modelId);
    await here.deleteModel(b.modelId, { force: true });
    expect((await here.model('fallback')).modelId).toBe(a.modelId);
  });
});
