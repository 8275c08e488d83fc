import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, predict, predictBatch, predictJoint, predictProba, train, type Db } from '@pgml-ts/sdk';
import { eachDatabase, hasPostgres, python, registry, RUNTIMES_UNDER_TEST } from './harness.js';
import { sklearnMetrics } from './sklearn-reference.js';

const DATASETS = ['breast_cancer', 'diabetes', 'digits', 'iris', 'linnerud', 'wine'] as const;
// Metrics of the same train per database, compared after both halves ran.
const metricsByEngine = new Map<string, Record<string, number>>();
// linear is native for both tasks whenever native is under test (the product's configuration), else python's.
const LINEAR_RUNTIME = RUNTIMES_UNDER_TEST.includes('native') ? 'native' : 'python';

afterAll(async () => {
  await python.close();
});

eachDatabase((target) => {
  let db: Db;
  const runtimes = registry();

  beforeAll(async () => {
    db = await target().open();
    for (const name of DATASETS) await loadDataset(db, name);
  });
  afterAll(() => target().dispose());

  it('trains and predicts on every bundled dataset', async () => {
    const cases = [
      { project: 'bc', task: 'classification', relationName: 'pgml.breast_cancer', yColumnName: 'malignant' },
      { project: 'diabetes', task: 'regression', relationName: 'pgml.diabetes', yColumnName: 'target' },
      { project: 'digits', task: 'classification', relationName: 'pgml.digits', yColumnName: 'target' },
      { project: 'iris', task: 'classification', relationName: 'pgml.iris', yColumnName: 'target' },
      { project: 'linnerud', task: 'regression', relationName: 'pgml.linnerud', yColumnName: ['weight', 'waist', 'pulse'] },
      { project: 'wine', task: 'classification', relationName: 'pgml.wine', yColumnName: 'target' },
    ] as const;
    for (const { project, ...options } of cases) {
      const result = await train(db, runtimes, project, { ...options, yColumnName: options.yColumnName as string | string[] });
      expect(result).toMatchObject({ project, task: options.task, algorithm: 'linear', runtime: LINEAR_RUNTIME, deployed: true });
      expect(result.metrics.fit_time).toBeGreaterThan(0);
      if (options.task === 'classification') expect(result.metrics.f1).toBeGreaterThan(0.8);
    }
    // breast_cancer's label is boolean: predictions come back as booleans.
    const bcRow = await db.query<Record<string, unknown>>('SELECT * FROM pgml.breast_cancer LIMIT 1');
    const { malignant, ...bcFeatures } = bcRow.rows[0]!;
    expect(typeof (await predict(db, runtimes, 'bc', bcFeatures))).toBe('boolean');
    expect(typeof malignant).toBe('boolean');
    // digits: 8×8 smallint image expands to 64 features; predictions are the integer labels.
    const digit = await db.query<{ image: number[][]; target: number }>('SELECT image, target FROM pgml.digits LIMIT 1');
    const flat = digit.rows[0]!.image.flat();
    expect(flat).toHaveLength(64);
    const label = await predict(db, runtimes, 'digits', flat);
    expect(Number.isInteger(label)).toBe(true);
    expect(await predict(db, runtimes, 'digits', Float32Array.from(flat))).toBe(label);
    expect(await predict(db, runtimes, 'digits', { image: flat })).toBe(label);
    // linnerud: joint regression has three outputs.
    const joint = await predictJoint(db, runtimes, 'linnerud', [5, 162, 60]);
    expect(joint).toHaveLength(3);
    await expect(predict(db, runtimes, 'linnerud', [5, 162, 60])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // iris probabilities sum to one, in label order.
    const proba = await predictProba(db, runtimes, 'iris', [5.1, 3.5, 1.4, 0.2]);
    expect(proba.labels).toEqual([0, 1, 2]);
    expect(proba.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(await predict(db, runtimes, 'iris', [5.1, 3.5, 1.4, 0.2])).toBe(0);
  });

  it('predicts a batch in one call, equal to row-by-row predictions', async () => {
    const rows = await db.query<Record<string, number>>('SELECT * FROM pgml.wine ORDER BY 1 LIMIT 25');
    const features = rows.rows.map(({ target: _target, ...rest }) => Object.values(rest));
    const batch = await predictBatch(db, runtimes, 'wine', features);
    expect(batch.predictions).toBeInstanceOf(Float64Array);
    expect(batch.rows).toBe(25);
    for (let i = 0; i < 5; i++) expect(batch.predictions[i]).toBe(await predict(db, runtimes, 'wine', features[i]!));
    const flat = { data: Float64Array.from(features.flat()), rows: features.length };
    expect(Array.from((await predictBatch(db, runtimes, 'wine', flat)).predictions as Float64Array)).toEqual(
      Array.from(batch.predictions as Float64Array),
    );
  });

  it('splits with each sampling mode; stratified keeps every class proportion within one row', async () => {
    for (const testSampling of ['random', 'last', 'stratified'] as const) {
      const r = await train(db, runtimes, `iris ${testSampling}`, {
        task: 'classification', relationName: 'pgml.iris', yColumnName: 'target', testSampling, testSize: 0.2,
      });
      const analysis = (
        await db.query<{ analysis: { test_rows: number; train_rows: number; class_counts: Record<string, Record<string, number>> } }>(
          'SELECT analysis FROM pgml.snapshots WHERE id = $1',
          [r.snapshotId],
        )
      ).rows[0]!.analysis;
      expect(analysis.test_rows).toBe(30);
      expect(analysis.train_rows).toBe(120);
      const test = analysis.class_counts.test!;
      if (testSampling === 'stratified') expect(Object.values(test)).toEqual([10, 10, 10]);
      // iris is sorted by class: the last 30 rows are all class 2.
      if (testSampling === 'last') expect(test).toEqual({ '0': 0, '1': 0, '2': 30 });
    }
    const byCount = await train(db, runtimes, 'iris count', {
      task: 'classification', relationName: 'pgml.iris', yColumnName: 'target', testSampling: 'stratified', testSize: 45,
    });
    const counts = await db.query<{ analysis: { test_rows: number; class_counts: { test: Record<string, number> } } }>(
      'SELECT analysis FROM pgml.snapshots WHERE id = $1',
      [byCount.snapshotId],
    );
    expect(counts.rows[0]!.analysis.test_rows).toBe(45);
    expect(Object.values(counts.rows[0]!.analysis.class_counts.test)).toEqual([15, 15, 15]);
  });

  it('matches scikit-learn metrics on the same split (last sampling, float32 features)', async () => {
    const iris = await train(db, runtimes, 'iris sklearn', {
      task: 'classification', relationName: 'pgml.iris', yColumnName: 'target', testSampling: 'last', testSize: 0.3,
    });
    const irisRef = sklearnMetrics('iris', 0.3);
    for (const key of Object.keys(irisRef)) expect(iris.metrics[key]).toBeCloseTo(irisRef[key]!, 9);
    const diabetes = await train(db, runtimes, 'diabetes sklearn', {
      task: 'regression', relationName: 'pgml.diabetes', yColumnName: 'target', testSampling: 'last', testSize: 110,
    });
    const ref = sklearnMetrics('diabetes', 110);
    for (const key of Object.keys(ref)) expect(diabetes.metrics[key]).toBeCloseTo(ref[key]!, 6);
    const { fit_time: _f, score_time: _s, ...comparable } = diabetes.metrics;
    metricsByEngine.set(target().name, comparable);
  });

  it('searches with k-fold CV and refits the best candidate on the whole training split', async () => {
    const progress: string[] = [];
    const r = await train(db, runtimes, 'iris search', {
      task: 'classification', relationName: 'pgml.iris', yColumnName: 'target', algorithm: 'svm',
      search: 'grid', searchParams: { C: [0.01, 1, 100] }, searchArgs: { cv: 3 }, testSampling: 'stratified',
      onProgress: (p) => progress.push(p.stage),
    });
    expect(progress.filter((s) => s === 'fold')).toHaveLength(9);
    expect(progress.slice(-5)).toEqual(['fit', 'score', 'explain', 'store', 'deploy']);
    const row = await db.query<{ hyperparams: Record<string, unknown>; metrics: { search_results: { best_index: number; params: unknown[]; n_splits: number } }; search: string }>(
      'SELECT hyperparams, metrics, search FROM pgml.models WHERE id = $1',
      [r.modelId],
    );
    const stored = row.rows[0]!;
    expect(stored.search).toBe('grid');
    expect(stored.metrics.search_results.n_splits).toBe(3);
    expect(stored.hyperparams).toEqual(stored.metrics.search_results.params[stored.metrics.search_results.best_index]);
    expect(r.hyperparams).toEqual(stored.hyperparams);
    // Refit: the stored model was trained on every training row, so it predicts like a direct fit with those params.
    const direct = await train(db, runtimes, 'iris search', { algorithm: 'svm', hyperparams: stored.hyperparams, automaticDeploy: false });
    expect(direct.metrics.f1).toBe(r.metrics.f1);
    expect(direct.snapshotId).toBe(r.snapshotId);
    // random search draws n_iter candidates
    const random = await train(db, runtimes, 'iris search', {
      algorithm: 'svm', search: 'random', searchParams: { C: [0.1, 1, 10, 100], kernel: ['linear', 'rbf'] }, searchArgs: { n_iter: 3, cv: 2 },
    });
    const results = await db.query<{ metrics: { search_results: { params: unknown[] } } }>('SELECT metrics FROM pgml.models WHERE id = $1', [random.modelId]);
    expect(results.rows[0]!.metrics.search_results.params).toHaveLength(3);
  });

  it('round-trips preprocessing: text encodings, imputation and scaling are applied the same way at predict', async () => {
    await db.query(`CREATE TABLE weather (month text, clouds text, humidity real, temp float8, rain boolean)`);
    const months = ['jan', 'feb', 'mar', 'apr'];
    const clouds = ['cumulus', 'stratus', 'cirrus'];
    const rows: unknown[][] = [];
    for (let i = 0; i < 80; i++) {
      const humidity = i % 7 === 0 ? null : (i * 37) % 100;
      const temp = 5 + ((i * 13) % 25);
      rows.push([months[i % 4], clouds[i % 3], humidity, temp, (humidity ?? 50) > 55 && temp < 20]);
    }
    for (const row of rows) await db.query('INSERT INTO weather VALUES ($1, $2, $3, $4, $5)', row);
    const r = await train(db, runtimes, 'umbrella', {
      task: 'classification', relationName: 'weather', yColumnName: 'rain', testSampling: 'stratified',
      preprocess: {
        month: { encode: { ordinal: ['jan', 'feb', 'mar', 'apr'] } },
        clouds: { encode: 'one_hot' },
        humidity: { impute: 'mean', scale: 'standard' },
        temp: { scale: 'min_max' },
      },
    });
    expect(r.deployed).toBe(true);
    // one_hot expands clouds to 3 features: 1 + 3 + 1 + 1.
    const model = await db.query<{ num_features: number }>('SELECT num_features FROM pgml.models WHERE id = $1', [r.modelId]);
    expect(model.rows[0]!.num_features).toBe(6);
    const p = await predict(db, runtimes, 'umbrella', { month: 'feb', clouds: 'stratus', humidity: null, temp: 12 });
    expect(typeof p).toBe('boolean');
    // The batch over the training table agrees with per-row predict (same stored transform).
    const table = await db.query<Record<string, unknown>>('SELECT month, clouds, humidity, temp FROM weather');
    const batch = await predictBatch(db, runtimes, 'umbrella', table.rows);
    expect(batch.predictions[3]).toBe(await predict(db, runtimes, 'umbrella', table.rows[3]!));
    // A text column needs an object row: a plain number array is refused naming the column.
    await expect(predict(db, runtimes, 'umbrella', [1, 2, 3, 4])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reuses the last snapshot on re-train and reads a materialized snapshot table', async () => {
    const first = await train(db, runtimes, 'wine frozen', {
      task: 'classification', relationName: 'pgml.wine', yColumnName: 'target', materializeSnapshot: true,
    });
    const materialized = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM pgml.snapshot_${first.snapshotId}`);
    expect(Number(materialized.rows[0]!.n)).toBe(178);
    const again = await train(db, runtimes, 'wine frozen', { algorithm: 'ridge' });
    expect(again.snapshotId).toBe(first.snapshotId);
    expect(again.task).toBe('classification');
  });
});

// Runs after both databases' suites (vitest runs a file's blocks in order): the same train, the same metrics.
describe.skipIf(!hasPostgres)('both databases', () => {
  it('give the same metrics for the same train', () => {
    expect([...metricsByEngine.keys()].sort()).toEqual(['pglite', 'postgres']);
    expect(metricsByEngine.get('pglite')).toEqual(metricsByEngine.get('postgres'));
  });
});
