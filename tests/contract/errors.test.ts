/**
 * Every bad input fails with a typed PgmlError code and leaves the database exactly as it was: the row counts of
 * every pgml table (and the number of materialized snapshot tables) are compared before and after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, predict, RuntimeRegistry, train, type Db, type TrainOptions } from '@pgml-ts/sdk';
import { eachDatabase, pgmlCounts, python, registry } from './harness.js';

afterAll(async () => {
  await python.close();
});

const IRIS: TrainOptions = { task: 'classification', relationName: 'pgml.iris', yColumnName: 'target' };

eachDatabase((target) => {
  let db: Db;
  const runtimes = registry();

  beforeAll(async () => {
    db = await target().open();
    await loadDataset(db, 'iris');
    await db.query('CREATE TABLE empty_table (x real, y real)');
    await db.query('CREATE TABLE nulls (x real, blank real, y real)');
    await db.query('CREATE TABLE gaps (x real, y real)');
    await db.query('CREATE TABLE one_class (x real, y int)');
    await db.query('CREATE TABLE texts (color text, size real, y int)');
    for (let i = 0; i < 40; i++) {
      await db.query('INSERT INTO nulls VALUES ($1, NULL, $2)', [i, i * 2]);
      await db.query('INSERT INTO gaps VALUES ($1, $2)', [i % 5 === 0 ? null : i, i * 2]);
      await db.query(`INSERT INTO gaps VALUES ('NaN', 1)`);
      await db.query('INSERT INTO one_class VALUES ($1, 1)', [i]);
      await db.query('INSERT INTO texts VALUES ($1, $2, $3)', [['red', 'green', 'blue'][i % 3], i, i % 2]);
    }
    // A deployed project and a trained-but-undeployed one for the predict cases.
    await train(db, runtimes, 'deployed', IRIS);
    await train(db, runtimes, 'undeployed', { ...IRIS, automaticDeploy: false });
  });
  afterAll(() => target().dispose());

  /** Runs `action`, expects the error code, and checks that no pgml row or snapshot table was added or removed. */
  async function rejectsUnchanged(action: () => Promise<unknown>, code: string): Promise<void> {
    const before = await pgmlCounts(db);
    await expect(action()).rejects.toMatchObject({ code });
    expect(await pgmlCounts(db)).toEqual(before);
  }

  describe('train', () => {
    it('unknown relation or column, missing y column', async () => {
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, relationName: 'pgml.no_such_table' }), 'UNKNOWN_RELATION');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, yColumnName: 'no_such_column' }), 'UNKNOWN_COLUMN');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, yColumnName: ['target', 'nope'] }), 'UNKNOWN_COLUMN');
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { ...IRIS, preprocess: { no_such_column: { scale: 'standard' } } }),
        'UNKNOWN_COLUMN',
      );
      await rejectsUnchanged(() => train(db, runtimes, 'p', { task: 'classification', relationName: 'pgml.iris' }), 'INVALID_ARGUMENT');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { task: 'regression' }), 'INVALID_ARGUMENT');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { relationName: 'pgml.iris', yColumnName: 'target' }), 'INVALID_ARGUMENT');
    });

    it('empty relation, all-NULL column, NULL/NaN with impute error, one class only', async () => {
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { task: 'regression', relationName: 'empty_table', yColumnName: 'y' }),
        'EMPTY_INPUT',
      );
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { task: 'regression', relationName: 'nulls', yColumnName: 'y' }),
        'DATA_ERROR',
      );
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { task: 'regression', relationName: 'gaps', yColumnName: 'y' }),
        'DATA_ERROR',
      );
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { task: 'classification', relationName: 'one_class', yColumnName: 'y' }),
        'DATA_ERROR',
      );
      // With imputation the same relation trains (and that one is kept).
      const imputed = await train(db, runtimes, 'gaps imputed', {
        task: 'regression', relationName: 'gaps', yColumnName: 'y', preprocess: { x: { impute: 'median' } },
      });
      expect(imputed.deployed).toBe(true);
    });

    it('text columns without an encoding are encoded natively, as PostgresML does', async () => {
      const r = await train(db, runtimes, 'texts', { task: 'classification', relationName: 'texts', yColumnName: 'y' });
      expect(r.modelId).toBeGreaterThan(0);
      expect(typeof (await predict(db, runtimes, 'texts', { color: 'green', size: 4 }))).toBe('number');
      // Text categories cannot be averaged: impute mean on text is refused.
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { task: 'classification', relationName: 'texts', yColumnName: 'y', preprocess: { color: { impute: 'mean' } } }),
        'INVALID_ARGUMENT',
      );
    });

    it('test size out of range', async () => {
      for (const testSize of [0, -0.5, 1, 150, 500, Number.NaN]) {
        await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, testSize }), 'INVALID_ARGUMENT');
      }
    });

    it('unknown task, algorithm, sampling, search, runtime; algorithms not installable here', async () => {
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, task: 'ranking' as never }), 'INVALID_ARGUMENT');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, algorithm: 'linera' as never }), 'INVALID_ARGUMENT');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, testSampling: 'first' as never }), 'INVALID_ARGUMENT');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, search: 'bayes' as never }), 'INVALID_ARGUMENT');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, runtime: 'gpu' as never }), 'INVALID_ARGUMENT');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, algorithm: 'lightgbm' as never }), 'ALGORITHM_UNAVAILABLE');
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, algorithm: 'catboost' as never }), 'ALGORITHM_UNAVAILABLE');
      // Forcing a runtime that is not registered (or does not implement the algorithm) names what is missing.
      await expect(train(db, new RuntimeRegistry({ runtimes: [python] }), 'p', { ...IRIS, runtime: 'native' })).rejects.toThrow(/native runtime is not registered/);
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, algorithm: 'ada_boost', runtime: 'native' }), 'ALGORITHM_UNAVAILABLE');
      await rejectsUnchanged(() => train(db, new RuntimeRegistry(), 'p', IRIS), 'ALGORITHM_UNAVAILABLE');
      // An existing project keeps its task.
      await rejectsUnchanged(() => train(db, runtimes, 'deployed', { ...IRIS, task: 'regression' }), 'INVALID_ARGUMENT');
    });

    it('hyperparameters of the wrong type or unknown name roll back everything, incl. a materialized snapshot', async () => {
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { ...IRIS, hyperparams: { max_iter: 'many' }, materializeSnapshot: true }),
        'INVALID_HYPERPARAMETER',
      );
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, hyperparams: { no_such_param: 1 } }), 'INVALID_HYPERPARAMETER');
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { ...IRIS, search: 'grid', searchParams: { C: [1, 'x'] } }),
        'INVALID_HYPERPARAMETER',
      );
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, searchArgs: { folds: 3 } }), 'INVALID_ARGUMENT');
      // ... also when re-training an existing project.
      await rejectsUnchanged(() => train(db, runtimes, 'deployed', { hyperparams: { C: -1 } }), 'INVALID_HYPERPARAMETER');
    });

    it('SQL injection attempts in relation, column and project names are inert', async () => {
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { ...IRIS, relationName: 'pgml.iris; DROP TABLE pgml.iris; --' }),
        'UNKNOWN_RELATION',
      );
      await rejectsUnchanged(
        () => train(db, runtimes, 'p', { ...IRIS, relationName: 'pgml.iris WHERE false UNION SELECT * FROM pgml.models' }),
        'UNKNOWN_RELATION',
      );
      await rejectsUnchanged(() => train(db, runtimes, 'p', { ...IRIS, yColumnName: 'target"; DROP TABLE pgml.iris; --' }), 'UNKNOWN_COLUMN');
      const evil = "x'); DROP TABLE pgml.projects; --";
      const r = await train(db, runtimes, evil, IRIS);
      expect(r.project).toBe(evil);
      expect(await predict(db, runtimes, evil, [5.1, 3.5, 1.4, 0.2])).toBe(0);
      const iris = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM pgml.iris');
      expect(Number(iris.rows[0]!.n)).toBe(150);
      // A legitimately odd table name works when quoted.
      await db.query(`CREATE TABLE "odd ""name""; x" AS SELECT * FROM pgml.iris`);
      const odd = await train(db, runtimes, 'odd', { ...IRIS, relationName: '"odd ""name""; x"' });
      expect(odd.deployed).toBe(true);
    });
  });

  describe('predict', () => {
    it('no deployed model, unknown project, wrong feature count or types', async () => {
      await rejectsUnchanged(() => predict(db, runtimes, 'undeployed', [1, 2, 3, 4]), 'NO_DEPLOYED_MODEL');
      await rejectsUnchanged(() => predict(db, runtimes, 'no such project', [1, 2, 3, 4]), 'UNKNOWN_PROJECT');
      await rejectsUnchanged(() => predict(db, runtimes, 'deployed', [1, 2, 3]), 'DIMENSION_MISMATCH');
      await expect(predict(db, runtimes, 'deployed', [1, 2, 3])).rejects.toThrow(/expected 4, got 3/);
      await rejectsUnchanged(() => predict(db, runtimes, 'deployed', [1, 2, 3, 4, 5]), 'DIMENSION_MISMATCH');
      await rejectsUnchanged(() => predict(db, runtimes, 'deployed', { sepal_length: 1 }), 'INVALID_ARGUMENT');
      await rejectsUnchanged(
        () => predict(db, runtimes, 'deployed', { sepal_length: 'long', sepal_width: 1, petal_length: 1, petal_width: 1 }),
        'INVALID_ARGUMENT',
      );
      // NULL features hit the model's impute rule (error by default).
      await rejectsUnchanged(() => predict(db, runtimes, 'deployed', [null as never, 1, 1, 1]), 'DATA_ERROR');
    });

    it('corrupt model bytes fail as CORRUPT_MODEL, never a crash', async () => {
      const r = await train(db, runtimes, 'to corrupt', IRIS);
      await db.query(`UPDATE pgml.files SET data = overlay(data placing '\\xdeadbeef'::bytea from 40) WHERE model_id = $1`, [r.modelId]);
      await rejectsUnchanged(() => predict(db, runtimes, 'to corrupt', [5.1, 3.5, 1.4, 0.2]), 'CORRUPT_MODEL');
      await db.query(`UPDATE pgml.files SET data = '\\x80049500'::bytea WHERE model_id = $1`, [r.modelId]);
      await expect(predict(db, runtimes, 'to corrupt', [5.1, 3.5, 1.4, 0.2])).rejects.toThrow(/pickle/);
    });
  });
});
