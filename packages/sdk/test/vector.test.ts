import { beforeAll, describe, expect, it } from 'vitest';
import { PgmlError } from '@pgml-ts/core';
import { PostgresML } from '../src/client.js';
import { fromNativeError, withNativeErrors } from '../src/native-errors.js';
import { loadNative } from '../src/vector.js';
import { describeEachDb } from './databases.js';

const native = await loadNative().catch((error: Error) => error);
const nativeMissing = native instanceof Error ? `skipped: ${native.message}` : '';

describe('native error mapping', () => {
  const coded = (code: string, extra: object = {}) => Object.assign(new Error(`${code} happened`), { code, ...extra });

  it('maps every native code to a PgmlError with the same code', () => {
    for (const code of ['DIMENSION_MISMATCH', 'EMPTY_INPUT', 'INVALID_ARGUMENT', 'ABORTED']) {
      const mapped = fromNativeError(coded(code));
      expect(mapped).toBeInstanceOf(PgmlError);
      expect(mapped).toMatchObject({ code, message: `${code} happened` });
    }
    expect(fromNativeError(coded('DIMENSION_MISMATCH', { expected: 3, got: 2 }))).toMatchObject({ details: { expected: 3, got: 2 } });
  });

  it('leaves other errors alone and maps rejections too', async () => {
    const plain = new TypeError('bug');
    expect(fromNativeError(plain)).toBe(plain);
    const rejecting = withNativeErrors(async () => {
      throw coded('ABORTED');
    });
    await expect(rejecting()).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe.skipIf(native instanceof Error)(`pgml.vector ${nativeMissing}`, () => {
  let pgml: PostgresML;
  beforeAll(async () => {
    pgml = await PostgresML.connect({ dataDir: 'memory://' });
    return () => pgml.close();
  });

  it('exposes the native functions with typed errors', () => {
    expect(pgml.vector.dotProduct(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]))).toBe(32);
    expect(Array.from(pgml.vector.add(new Float32Array([1, 2]), new Float32Array([3, 4])))).toEqual([4, 6]);
    const error = (() => {
      try {
        pgml.vector.dotProduct(new Float32Array([1]), new Float32Array([1, 2]));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PgmlError);
    expect(error).toMatchObject({ code: 'DIMENSION_MISMATCH' });
  });
});

describeEachDb(`vector.loadMatrix ${nativeMissing}`, (get) => {
  it.skipIf(native instanceof Error)('loads a real[] column into native memory and ranks rows', async () => {
    const { db } = get();
    await db.query('CREATE TABLE embeddings (id int, v real[])');
    await db.query("INSERT INTO embeddings VALUES (1, '{1,0}'), (2, '{0,1}'), (3, '{0.6,0.8}')");
    const pgml = await PostgresML.connect(db);
    const matrix = await pgml.vector.loadMatrix('embeddings', 'v');
    expect([matrix.rows, matrix.dim]).toEqual([3, 2]);
    const top = matrix.topK(new Float32Array([1, 0]), 2, 'dot');
    expect(Array.from(top.indices)).toHaveLength(2);
    expect(Array.from(matrix.scores(new Float32Array([0, 1]), 'dot')).sort()).toEqual([0, 1, Math.fround(0.8)].sort());
    expect(() => matrix.topK(new Float32Array([1, 0, 0]), 1, 'dot')).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    matrix.close();
    matrix.close();
    expect(() => matrix.scores(new Float32Array([1, 0]), 'dot')).toThrow(/closed/);
    await expect(pgml.vector.loadMatrix('embeddings; drop table embeddings', 'v')).rejects.toMatchObject({ code: 'UNKNOWN_RELATION' });
    await pgml.close(); // does not close a Db it did not open
    expect((await db.query('SELECT count(*)::int AS n FROM embeddings')).rows[0]).toEqual({ n: 3 });
  });

  it.skipIf(native instanceof Error)('with a key column: rows in key order, topK by key, NULL vectors skipped and named', async () => {
    const { db } = get();
    await db.query('CREATE TABLE keyed (name text, v real[])');
    await db.query(`INSERT INTO keyed VALUES ('c', '{0.6,0.8}'), ('a', '{1,0}'), ('gap', NULL), ('hole', '{1,NULL}'), ('b', '{0,1}')`);
    const pgml = await PostgresML.connect(db);
    const matrix = await pgml.vector.loadMatrix<string>('keyed', 'v', { key: 'name' });
    expect([matrix.rows, matrix.dim]).toEqual([3, 2]);
    expect(matrix.keys).toEqual(['a', 'b', 'c']);
    expect(matrix.skippedKeys).toEqual(['gap', 'hole']);
    expect(matrix.skipped).toBe(2);
    const top = matrix.topK(new Float32Array([0, 1]), 2, 'dot');
    expect(top.keys).toEqual(['b', 'c']);
    expect(Array.from(top.scores)).toEqual([1, Math.fround(0.8)]);
    expect((await matrix.topKAsync(new Float32Array([1, 0]), 1, 'cosine')).keys).toEqual(['a']);
    matrix.close();
    // Without a key NULL vectors are skipped too, and counted.
    const unkeyed = await pgml.vector.loadMatrix('keyed', 'v');
    expect([unkeyed.rows, unkeyed.skipped]).toEqual([3, 2]);
    unkeyed.close();
    await db.query(`INSERT INTO keyed VALUES ('a', '{0,0}')`);
    await expect(pgml.vector.loadMatrix('keyed', 'v', { key: 'name' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'key column "name" has the value "a" twice: keys must identify rows',
    });
    await expect(pgml.vector.loadMatrix('keyed', 'v', { key: 'nope' })).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
    await pgml.close();
  });
});
