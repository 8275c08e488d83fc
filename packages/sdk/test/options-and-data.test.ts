// Options that used to be ignored or accepted wrongly, and data that does not fit the task, on both databases: each
// is a typed error in the SDK's words (option names) that leaves the database as it was, or — where the issue asked
// for it — a suggestion that can be pasted back (a quoted relation name, a preprocess JSON, an algorithm name).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PgmlError } from '@pgml-ts/core';
import { PostgresML } from '../src/client.js';
import { describeEachDb } from './databases.js';

const IRIS = { task: 'classification', relationName: 'pgml.iris', yColumnName: 'target' } as const;

async function failure(promise: Promise<unknown>): Promise<PgmlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PgmlError);
  return error as PgmlError;
}

describeEachDb('train options and data checks', (get) => {
  let pgml: PostgresML;
  const count = async (table: string) => Number((await pgml.db.query<{ n: string }>(`SELECT count(*) AS n FROM pgml.${table}`)).rows[0]!.n);
  const counts = async () => [await count('projects'), await count('snapshots'), await count('models'), await count('deployments')];

  beforeAll(async () => {
    pgml = await PostgresML.connect({ db: get().db });
    await pgml.loadDataset('iris');
    await pgml.loadDataset('diabetes');
    await pgml.train('iris', { ...IRIS, runtime: 'native' });
  });
  afterAll(() => pgml.close());

  it('re-training without relationName refuses the options that shape a new snapshot', async () => {
    const before = await counts();
    for (const [options, named] of [
      [{ testSize: 0.5 }, 'testSize'],
      [{ testSampling: 'last' }, 'testSampling'],
      [{ preprocess: { sepal_length: { scale: 'standard' } } }, 'preprocess'],
      [{ materializeSnapshot: true }, 'materializeSnapshot'],
      [{ testSize: 0.3, testSampling: 'stratified' }, 'testSize, testSampling'],
    ] as const) {
      const error = await failure(pgml.train('iris', { algorithm: 'ridge', ...options }));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(new RegExp(`^${named} appl(y|ies) only when a new snapshot is taken: pass relationName and yColumnName`));
      expect(error.message).toContain("re-train on the project's last snapshot");
    }
    // With the relation, a new snapshot is taken with them.
    const fresh = await pgml.train('iris', { ...IRIS, testSize: 0.5, runtime: 'native' });
    const row = await pgml.db.query<{ test_size: number }>('SELECT test_size FROM pgml.snapshots WHERE id = $1', [fresh.snapshotId]);
    expect(row.rows[0]!.test_size).toBe(0.5);
    expect((await counts())[1]).toBe(before[1]! + 1);
  });

  it('searchParams and searchArgs without search are refused', async () => {
    const before = await counts();
    const error = await failure(pgml.train('iris', { algorithm: 'svm', searchParams: { C: [0.1, 1] } }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'searchParams only apply to a hyperparameter search: add search (grid or random)' });
    const both = await failure(pgml.train('iris', { algorithm: 'svm', searchParams: { C: [1] }, searchArgs: { cv: 3 } }));
    expect(both.message).toMatch(/^searchParams and searchArgs only apply/);
    expect(await counts()).toEqual(before);
  });

  it('classification refuses a target that is not classes: many distinct values, or fractions', async () => {
    const before = await counts();
    const many = await failure(pgml.train('diabetes classes', { task: 'classification', relationName: 'pgml.diabetes', yColumnName: 'target' }));
    expect(many.code).toBe('DATA_ERROR');
    expect(many.message).toMatch(/^classification target "target" has 214 distinct values in 442 rows \(2\.1 rows per class\)/);
    expect(many.message).toContain('train it with task regression');
    await pgml.db.query('CREATE TABLE fractional (x real, y double precision)');
    await pgml.db.query('INSERT INTO fractional SELECT i, (i % 2) + 0.5 FROM generate_series(1, 40) i');
    const fractions = await failure(pgml.train('fractions', { task: 'classification', relationName: 'fractional', yColumnName: 'y' }));
    expect(fractions).toMatchObject({ code: 'DATA_ERROR', details: { column: 'y', value: expect.any(Number) } });
    expect(fractions.message).toMatch(/holds non-integer values such as [01]\.5: that is a regression target/);
    expect(await counts()).toEqual(before);
    // A genuine integer label with a few classes still trains.
    await pgml.db.query('CREATE TABLE few_classes AS SELECT x, (y - 0.5)::int AS y FROM fractional');
    await expect(pgml.train('few', { task: 'classification', relationName: 'few_classes', yColumnName: 'y', runtime: 'native' })).resolves.toMatchObject({ deployed: true });
  });

  it('a relation named in another case suggests the quoted name', async () => {
    await pgml.db.query('CREATE TABLE "MixedCase" (x real, y real)');
    await pgml.db.query('INSERT INTO "MixedCase" SELECT i, 2 * i FROM generate_series(1, 20) i');
    const error = await failure(pgml.train('mixed', { task: 'regression', relationName: 'MixedCase', yColumnName: 'y' }));
    expect(error).toMatchObject({ code: 'UNKNOWN_RELATION', details: { relation: 'MixedCase', suggestion: '"MixedCase"' } });
    expect(error.message).toBe(
      `relation "MixedCase" does not exist; did you mean "MixedCase"? Unquoted names fold to lower case, so pass it quoted, as SQL needs: '"MixedCase"'`,
    );
    const qualified = await failure(pgml.train('mixed', { task: 'regression', relationName: 'public.mixedcase', yColumnName: 'y' }));
    expect(qualified.details.suggestion).toBe('public."MixedCase"');
    await expect(pgml.train('mixed', { task: 'regression', relationName: '"MixedCase"', yColumnName: 'y', runtime: 'native' })).resolves.toMatchObject({ deployed: true });
    expect((await failure(pgml.train('mixed', { task: 'regression', relationName: 'nothing_like_it', yColumnName: 'y' }))).details.suggestion).toBeUndefined();
  });

  it('missing-value hints are JSON the preprocess option takes, valid for the column type', async () => {
    await pgml.db.query('CREATE TABLE gaps (size real, color text, price real)');
    await pgml.db.query(`INSERT INTO gaps SELECT CASE WHEN i = 10 THEN NULL ELSE i END,
                                                CASE WHEN i % 7 = 0 THEN NULL ELSE (ARRAY['red','green','blue'])[i % 3 + 1] END,
                                                3 * i FROM generate_series(1, 60) i`);
    const train = (preprocess?: Record<string, unknown>) =>
      pgml.train('gaps', { task: 'regression', relationName: 'gaps', yColumnName: 'price', runtime: 'native', testSampling: 'last', ...(preprocess ? { preprocess } : {}) });
    const hint = (error: PgmlError) => JSON.parse(/preprocess (\{.*\}) \(--preprocess/.exec(error.message)![1]!) as Record<string, unknown>;
    const first = await failure(train());
    expect(first.code).toBe('DATA_ERROR');
    const sizeHint = hint(first);
    expect(sizeHint).toEqual({ size: { impute: 'mean' } });
    const second = await failure(train(sizeHint));
    const colorHint = hint(second);
    expect(colorHint).toEqual({ color: { impute: 'mode' } }); // a text column: mean would be refused
    const oneHot = await failure(train({ ...sizeHint, color: { encode: 'one_hot' } }));
    expect(hint(oneHot)).toEqual({ color: { encode: 'one_hot', impute: 'mode' } }); // keeps the column's encoding
    await expect(train({ ...sizeHint, ...colorHint })).resolves.toMatchObject({ deployed: true });
    // A model trained without imputing a column cannot impute it at predict time: re-train, says the message.
    await pgml.db.query('DELETE FROM gaps WHERE size IS NULL OR color IS NULL');
    await expect(train()).resolves.toMatchObject({ project: 'gaps' });
    const latest = (await pgml.models({ project: 'gaps' })).at(-1)!.id;
    const scoring = await failure(pgml.predict(latest, { size: null, color: 'red' }));
    expect(scoring.message).toMatch(/missing value.*input rows of column "size"; the model was trained without imputing it .* re-train with preprocess \{"size": \{"impute": "mean"\}\}/);
  });

  it('an unknown algorithm names the nearest one and the catalogue; another task\'s algorithm says whose it is', async () => {
    const typo = await failure(pgml.train('iris', { algorithm: 'random_forst' as 'random_forest' }));
    expect(typo).toMatchObject({ code: 'INVALID_ARGUMENT', details: { suggestion: 'random_forest' } });
    expect(typo.message).toBe(
      `unknown algorithm "random_forst" for classification; did you mean "random_forest"? (pgml.algorithms('classification') lists every classification algorithm)`,
    );
    const clustering = await failure(pgml.train('iris', { algorithm: 'kmeans' as 'svm' }));
    expect(clustering.message).toMatch(/^unknown algorithm "kmeans" for classification: it is a clustering algorithm/);
  });

  it('listings: Dates to the millisecond on both engines, metrics without the search results, UNKNOWN_PROJECT', async () => {
    const searched = await pgml.train('iris', { algorithm: 'svm', runtime: 'python', search: 'grid', searchParams: { C: [0.1, 10] }, searchArgs: { cv: 3 } });
    expect(searched.searchResults).toMatchObject({ n_splits: 3, params: [{ C: 0.1 }, { C: 10 }] });
    expect(searched.hyperparams).toEqual(searched.searchResults!.params[searched.searchResults!.best_index]);
    const models = await pgml.models({ project: 'iris' });
    const svm = models.find((m) => m.id === searched.modelId)!;
    expect(svm.searchResults).toEqual(searched.searchResults);
    expect(svm.search).toBe('grid');
    expect(Object.values(svm.metrics!).every((v) => v === null || typeof v === 'number')).toBe(true);
    expect(models.find((m) => m.id !== svm.id)!.searchResults).toBeNull();
    const stored = await pgml.db.query<{ ms: number }>(
      "SELECT (extract(epoch FROM date_trunc('milliseconds', created_at)::timestamptz) * 1000)::float8 AS ms FROM pgml.models WHERE id = $1",
      [svm.id],
    );
    for (const when of [svm.createdAt, (await pgml.projects())[0]!.createdAt, (await pgml.deployments({ project: 'iris' }))[0]!.createdAt]) {
      expect(when).toBeInstanceOf(Date);
    }
    expect(svm.createdAt.getTime()).toBe(Number(stored.rows[0]!.ms));
    expect(Math.abs(svm.createdAt.getTime() - Date.now())).toBeLessThan(10 * 60_000); // an instant, not local time read as UTC
    await expect(pgml.models({ project: 'nosuch' })).rejects.toMatchObject({ code: 'UNKNOWN_PROJECT', message: 'project "nosuch" does not exist' });
    await expect(pgml.deployments({ project: 'nosuch' })).rejects.toMatchObject({ code: 'UNKNOWN_PROJECT' });
  });

  it('predict typed by task: a number for regression, and a model of another task refused', async () => {
    await pgml.train('diabetes', { task: 'regression', relationName: 'pgml.diabetes', yColumnName: 'target', runtime: 'native' });
    const row = [0.04, 0.05, 0.06, 0.02, -0.04, -0.03, -0.04, 0, 0.02, -0.02];
    const value: number = await pgml.predict('diabetes', row, { task: 'regression' });
    expect(typeof value).toBe('number');
    const batch = await pgml.predictBatch('diabetes', [row, row], { task: 'regression' });
    expect(batch.predictions).toBeInstanceOf(Float64Array);
    const wrong = await failure(pgml.predict('iris', [5.1, 3.5, 1.4, 0.2], { task: 'regression' }));
    expect(wrong).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'project "iris" is a classification model, not regression as task says' });
  });
});
