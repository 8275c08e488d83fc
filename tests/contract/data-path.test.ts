// The data path on both databases: every column type a relation can train on travels through binary COPY and is
// decoded natively to exactly the values PostgreSQL holds; NULLs follow the preprocess rules; ragged arrays are
// DATA_ERRORs naming the column and row; and predictRelation scores a table into a new one in batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictBatch, predictRelation, predictRelationRows, train, type Db } from '@pgml-ts/sdk';
import { eachDatabase, pgmlCounts, registry } from './harness.js';

/** `db` (and its transactions) recording every COPY's SELECT. */
function recordingCopies(db: Db, log: string[]): Db {
  return {
    engine: db.engine,
    pooled: db.pooled,
    query: (sql, params) => db.query(sql, params),
    transaction: (fn) => db.transaction((tx) => fn(recordingCopies(tx, log))),
    copyOut: (sql, sink) => {
      log.push(sql);
      return db.copyOut(sql, sink);
    },
    copyIn: (target, data) => db.copyIn(target, data),
    close: () => db.close(),
  };
}

eachDatabase((target) => {
  let db: Db;
  const runtimes = registry();

  beforeAll(async () => {
    db = await target().open();
    // Every supported feature type, with a NULL in the last row of each (imputed by the options below).
    await db.query(`CREATE TABLE all_types (
      f4 real, f8 double precision, i2 smallint, i4 integer, i8 bigint, b boolean, n numeric(12, 4),
      v4 real[], v8 double precision[], grid smallint[], t text, vc varchar(10), ch char(4), y double precision)`);
    await db.query(`INSERT INTO all_types
      SELECT 0.1 + g, -2.5 * g, g, 1000 * g, 9007199254740993 - g, g % 2 = 0, 1.2345 * g,
             ARRAY[g, g + 0.5]::real[], ARRAY[g * 1e-300, -g]::float8[], ARRAY[[g, 1], [2, g]]::smallint[],
             'cat' || (g % 3), 'v' || (g % 2), 'c' || (g % 2), 3 * g + 1
        FROM generate_series(1, 40) g`);
    await db.query(`INSERT INTO all_types VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ARRAY[1, NULL]::float8[], NULL, NULL, NULL, NULL, 0)`);
  });
  afterAll(() => target().dispose());

  const imputeAll = Object.fromEntries(
    ['f4', 'f8', 'i2', 'i4', 'i8', 'b', 'n', 'v4', 'v8', 'grid'].map((c) => [c, { impute: 'min' }]).concat(
      ['t', 'vc', 'ch'].map((c) => [c, { impute: 'mode' }]),
    ),
  );

  it('trains on every column type; each value arrives exactly as PostgreSQL stores it', async () => {
    const result = await train(db, runtimes, 'all types', {
      task: 'regression', relationName: 'all_types', yColumnName: 'y', algorithm: 'linear', runtime: 'native', preprocess: imputeAll, testSampling: 'last', testSize: 5,
    });
    expect(result.timings.read).toBeGreaterThan(0);
    expect(Object.keys(result.timings)).toEqual(['snapshot', 'read', 'split', 'preprocess', 'fit', 'score', 'explain', 'store', 'total']);
    const layout = (await db.query<{ analysis: { num_features: number } }>('SELECT analysis FROM pgml.snapshots WHERE id = $1', [result.snapshotId])).rows[0]!.analysis;
    // 7 scalars + 2 + 2 + 4 array elements + 3 text codes.
    expect(layout.num_features).toBe(18);
    // The model sees float4 as its float32 value, int8 beyond 2^53 rounded as ::float8 rounds it, numeric converted by
    // PostgreSQL, char(n) without its padding: predicting row 1 from its own values through predictBatch (JS values
    // as node-postgres reads them) gives the same number as the relation path.
    const fromRelation = await predictRelationRows(db, runtimes, 'all types', 'all_types', { limit: 41 });
    const rows = await db.query<Record<string, unknown>>(
      `SELECT f4::float8 AS f4, f8, i2, i4, i8::float8 AS i8, b, n::float8 AS n, v4::float8[] AS v4, v8, grid, t, vc, rtrim(ch) AS ch FROM all_types`,
    );
    const objects = rows.rows.map((r) => ({ ...r, grid: r.grid === null ? [null, null, null, null] : (r.grid as number[][]).flat() }));
    const viaObjects = await predictBatch(db, runtimes, 'all types', objects);
    expect(Array.from(fromRelation.predictions as Float64Array)).toEqual(Array.from(viaObjects.predictions as Float64Array));
  });

  it('NULLs follow the preprocess rules: without an imputation they are DATA_ERRORs that leave nothing behind', async () => {
    const before = await pgmlCounts(db);
    const error = await train(db, runtimes, 'nulls', { task: 'regression', relationName: 'all_types', yColumnName: 'y', testSampling: 'last', testSize: 5 }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'DATA_ERROR', message: expect.stringMatching(/missing value.*test rows.*"impute"/) });
    expect(await pgmlCounts(db)).toEqual(before);
  });

  it('ragged arrays and all-NULL columns are DATA_ERRORs naming the column (and row)', async () => {
    await db.query('CREATE TABLE ragged (emb real[], y float8)');
    await db.query(`INSERT INTO ragged SELECT ARRAY[g, g], g FROM generate_series(1, 10) g`);
    await db.query(`INSERT INTO ragged VALUES (ARRAY[1, 2, 3], 1)`);
    const before = await pgmlCounts(db);
    const ragged = await train(db, runtimes, 'ragged', { task: 'regression', relationName: 'ragged', yColumnName: 'y' }).catch((e: Error) => e);
    expect(ragged).toMatchObject({ code: 'DATA_ERROR', message: expect.stringMatching(/column "emb" row 10: an array of 3 elements where the column's arrays have 2/) });
    await db.query('CREATE TABLE empty_arrays (emb real[], y float8)');
    await db.query('INSERT INTO empty_arrays SELECT NULL, g FROM generate_series(1, 5) g');
    const empty = await train(db, runtimes, 'empty', { task: 'regression', relationName: 'empty_arrays', yColumnName: 'y' }).catch((e: Error) => e);
    expect(empty).toMatchObject({ code: 'DATA_ERROR', message: expect.stringMatching(/"emb" has no non-empty array values/) });
    expect(await pgmlCounts(db)).toEqual(before);
  });

  it('reading a table in parallel ranges gives the same rows in the same order as one stream', async () => {
    await db.query('CREATE TABLE wide AS SELECT g AS id, sin(g) AS x1, cos(g) AS x2, (ARRAY[\'a\', \'b\', \'c\'])[1 + g % 3] AS kind, sin(g) * 3 + g % 3 AS y FROM generate_series(1, 20000) g');
    const saved = { streams: process.env.PGML_READ_STREAMS, minPages: process.env.PGML_READ_MIN_PAGES };
    try {
      // 'last' sampling depends on row order; text codes differ between ranges until they are translated.
      const options = { task: 'regression' as const, relationName: 'wide', yColumnName: 'y', testSampling: 'last' as const, preprocess: { kind: { encode: 'target' } } };
      process.env.PGML_READ_STREAMS = '1';
      const single = await train(db, runtimes, 'one stream', options);
      process.env.PGML_READ_STREAMS = '3';
      process.env.PGML_READ_MIN_PAGES = '1';
      const copies: string[] = [];
      const parallel = await train(recordingCopies(db, copies), runtimes, 'three streams', options);
      // PostgreSQL reads three page ranges at once; PGlite (one connection) one stream.
      const ranges = copies.filter((sql) => sql.includes('FROM "public"."wide"') && sql.includes('ctid'));
      expect(ranges).toHaveLength(db.pooled ? 3 : 0);
      const { fit_time: _a, score_time: _b, ...one } = single.metrics;
      const { fit_time: _c, score_time: _d, ...three } = parallel.metrics;
      expect(three).toEqual(one);
      const scored = await predictRelation(db, runtimes, 'three streams', 'wide', { key: 'id', into: 'wide_scores', batchRows: 1000 });
      expect(scored.rows).toBe(20000);
      const counts = await db.query<{ n: string | number; ids: string | number }>('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM wide_scores');
      expect(Number(counts.rows[0]!.n)).toBe(20000);
      expect(Number(counts.rows[0]!.ids)).toBe(20000);
    } finally {
      for (const [name, value] of [['PGML_READ_STREAMS', saved.streams], ['PGML_READ_MIN_PAGES', saved.minPages]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  describe('predictRelation', () => {
    beforeAll(async () => {
      await db.query('CREATE TABLE labelled (id bigint, x1 float8, x2 float8, kind text)');
      await db.query(`INSERT INTO labelled SELECT g, sin(g), cos(g), CASE WHEN sin(g) + cos(g) > 0 THEN 'up' ELSE 'down' END FROM generate_series(1, 300) g`);
      await db.query('CREATE VIEW labelled_features AS SELECT x1, x2, kind FROM labelled');
      await train(db, runtimes, 'kinds', { task: 'classification', relationName: 'labelled_features', yColumnName: 'kind', algorithm: 'linear' });
      await db.query('CREATE TABLE to_score AS SELECT id * 10 AS key, x1, x2 FROM labelled');
    });

    it('writes (key, prediction, probabilities) for every row, in batches, equal to predictBatch', async () => {
      const result = await predictRelation(db, runtimes, 'kinds', 'to_score', { key: 'key', into: 'scored', proba: true, batchRows: 64 });
      expect(result).toMatchObject({ rows: 300, columns: [{ name: 'key', type: 'bigint' }, { name: 'prediction', type: 'text' }, { name: 'probabilities', type: 'double precision[]' }] });
      const written = await db.query<{ k: string; prediction: string; probabilities: number[] }>('SELECT key::text AS k, prediction, probabilities FROM scored ORDER BY key');
      const source = await db.query<{ x1: number; x2: number }>('SELECT x1, x2 FROM to_score ORDER BY key');
      const expected = await predictBatch(db, runtimes, 'kinds', source.rows.map((r) => [r.x1, r.x2]));
      expect(written.rows.map((r) => r.prediction)).toEqual(expected.predictions);
      expect(written.rows[0]!.k).toBe('10');
      for (const r of written.rows) expect(r.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });

    it('refuses an existing target unless told to append or replace, and a bad key, leaving the database unchanged', async () => {
      await expect(predictRelation(db, runtimes, 'kinds', 'to_score', { key: 'key', into: 'scored' })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(predictRelation(db, runtimes, 'kinds', 'to_score', { key: 'nope', into: 'scored_2' })).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
      await expect(predictRelation(db, runtimes, 'kinds', 'to_score', { key: 'key', into: 'to_score', ifExists: 'replace' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((await db.query("SELECT to_regclass('scored_2') AS t")).rows[0]).toEqual({ t: null });
      const replaced = await predictRelation(db, runtimes, 'kinds', 'to_score', { key: 'key', into: 'scored', ifExists: 'replace' });
      expect(replaced.columns.map((c) => c.name)).toEqual(['key', 'prediction']);
      // An appended target must take the rows: here it has no probabilities column.
      await expect(predictRelation(db, runtimes, 'kinds', 'to_score', { key: 'key', into: 'scored', ifExists: 'append', proba: true })).rejects.toMatchObject({ code: 'CONFLICT' });
      await predictRelation(db, runtimes, 'kinds', 'to_score', { key: 'key', into: 'scored', ifExists: 'append' });
      expect((await db.query<{ n: string | number }>('SELECT count(*) AS n FROM scored')).rows[0]!.n).toBe(db.engine === 'postgres' ? '600' : 600);
    });

    it('a failure mid-way (a feature of the wrong type in a later batch) leaves no target behind', async () => {
      await db.query('CREATE TABLE half_bad AS SELECT id, x1, x2 FROM labelled');
      await db.query('UPDATE half_bad SET x2 = NULL WHERE id = 250');
      const error = await predictRelation(db, runtimes, 'kinds', 'half_bad', { key: 'id', into: 'never', batchRows: 50 }).catch((e: Error) => e);
      expect(error).toMatchObject({ code: 'DATA_ERROR', message: expect.stringMatching(/missing value.*input rows of column "x2"/) });
      expect((await db.query("SELECT to_regclass('never') AS t")).rows[0]).toEqual({ t: null });
    });
  });
});
