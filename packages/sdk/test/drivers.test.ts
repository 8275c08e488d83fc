import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectCopy, DatabaseError, PgmlError, parseCopyFloatArrays } from '@pgml-ts/core';
import { TableDecoder } from '@pgml-ts/native';
import pg from 'pg';
import { PostgresML } from '../src/client.js';
import { createPgDb, type PgPoolLike } from '../src/drivers/pg.js';
import { createPgliteDb } from '../src/drivers/pglite.js';
import { describeEachDatabase, describeEachDb } from './databases.js';

describeEachDb('Db driver contract', (get) => {
  it('binds parameters as values', async () => {
    const { db } = get();
    const evil = "'); DROP TABLE x; --";
    const r = await db.query<{ n: number; s: string; a: number[] }>('SELECT $1::int4 AS n, $2::text AS s, $3::float8[] AS a', [
      41,
      evil,
      [1.5, 2],
    ]);
    expect(r.rows).toEqual([{ n: 41, s: evil, a: [1.5, 2] }]);
    expect(r.rowCount).toBe(1);
  });

  it('reports rowCount for writes', async () => {
    const { db } = get();
    await db.query('CREATE TABLE counted (v int)');
    const r = await db.query('INSERT INTO counted SELECT generate_series(1, 5)');
    expect(r.rowCount).toBe(5);
  });

  it('commits a transaction, and nested calls run inside it', async () => {
    const { db } = get();
    const result = await db.transaction(async (tx) => {
      await tx.query('CREATE TABLE committed (v int)');
      await tx.transaction(async (inner) => inner.query('INSERT INTO committed VALUES (1), (2)'));
      return 'done';
    });
    expect(result).toBe('done');
    expect((await db.query('SELECT count(*)::int AS n FROM committed')).rows[0]).toEqual({ n: 2 });
  });

  it('rolls back and rethrows the callback error unchanged', async () => {
    const { db } = get();
    const failure = new Error('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('CREATE TABLE rolled_back (v int)');
        await tx.query('INSERT INTO rolled_back VALUES (1)');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await db.query("SELECT to_regclass('rolled_back') AS t")).rows[0]).toEqual({ t: null });
  });

  it('wraps SQL errors into DatabaseError with the SQLSTATE, and rolls back on them', async () => {
    const { db } = get();
    const error = await db.query('SELECT * FROM no_such_table').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as PgmlError).details.sqlstate).toBe('42P01');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('CREATE TABLE half_done (v int)');
        await tx.query('SELECT 1/0');
      }),
    ).rejects.toMatchObject({ code: 'DATABASE_ERROR', details: { sqlstate: '22012' } });
    expect((await db.query("SELECT to_regclass('half_done') AS t")).rows[0]).toEqual({ t: null });
  });

  it('copies float4[] as exact float32 values and float8[] exactly', async () => {
    const { db } = get();
    await db.query('CREATE TABLE vecs (id int, v4 real[], v8 double precision[])');
    await db.query(
      "INSERT INTO vecs VALUES (1, '{0.1,-2.5,3.4028235e38}', '{0.1,1e-300,-0}'), (2, '{1e-45,7,0.3333333}', '{1,2,3}')",
    );
    const f4 = parseCopyFloatArrays(await collectCopy(db, 'SELECT v4 FROM vecs ORDER BY id'));
    expect(f4.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f4.data)).toEqual([0.1, -2.5, 3.4028235e38, 1e-45, 7, 0.3333333].map(Math.fround));
    const f8 = parseCopyFloatArrays(await collectCopy(db, 'SELECT v8 FROM vecs ORDER BY id'));
    expect(f8.data).toBeInstanceOf(Float64Array);
    expect(Array.from(f8.data)).toEqual([0.1, 1e-300, -0, 1, 2, 3]);
    const decoder = new TableDecoder([
      { name: 'id', type: 'int4', role: 'label' },
      { name: 'v', type: 'float4', role: 'label' },
    ]);
    await db.copyOut('SELECT id, v4[1] FROM vecs ORDER BY id', { data: (chunk) => void decoder.push(chunk) });
    expect(Array.from(decoder.finish().takeLabel(1).values)).toEqual([Math.fround(0.1), Math.fround(1e-45)]);
  });

  it('streams a large copy to a sink that strips the wire protocol itself, or to its data path', async () => {
    const { db } = get();
    await db.query("CREATE TABLE wide AS SELECT g AS id, (g * 0.5)::float8 AS v, repeat('x', g % 7) AS pad FROM generate_series(1, 200000) g");
    // PostgreSQL interleaves NoticeResponses with the copy's messages when asked to; the framer skips them.
    await db.query(`CREATE FUNCTION noisy(n int) RETURNS int LANGUAGE plpgsql AS $$
      BEGIN IF n % 50000 = 0 THEN RAISE NOTICE 'row %', n; END IF; RETURN n; END $$`);
    for (const select of ['SELECT id, v FROM wide', 'SELECT noisy(id), v FROM wide']) {
      const decoder = new TableDecoder([
        { name: 'id', type: 'int4', role: 'label' },
        { name: 'v', type: 'float8', role: 'label' },
      ]);
      let wired = 0;
      await db.copyOut(select, {
        data: (chunk) => void decoder.push(chunk),
        wire: (chunk) => {
          wired += 1;
          return decoder.pushWire(chunk);
        },
      });
      const table = decoder.finish();
      expect(table.rows).toBe(200000);
      const ids = table.takeLabel(0).values;
      expect(ids.reduce((a, b) => a + b, 0)).toBe((200000 * 200001) / 2);
      expect(wired > 1).toBe(db.engine === 'postgres'); // PGlite has no wire to give: one data chunk
    }
    // The connection is handed back to the driver in step: the next statements run normally.
    expect((await db.query('SELECT count(*)::int AS n FROM wide')).rows[0]).toEqual({ n: 200000 });
  });

  it('fails a copy with the server error that ends it midway, and with the consumer error that stops it', async () => {
    const { db } = get();
    const sink = (fail?: number) => {
      const decoder = new TableDecoder([{ name: 'n', type: 'int4', role: 'label' }]);
      let chunks = 0;
      const check = () => {
        chunks += 1;
        if (fail !== undefined && chunks >= fail) throw new Error('consumer gave up');
      };
      return {
        data: (chunk: Uint8Array) => {
          decoder.push(chunk);
          check();
        },
        wire: (chunk: Uint8Array) => {
          const end = decoder.pushWire(chunk);
          check();
          return end;
        },
      };
    };
    const midway = 'SELECT 1 / (150000 - g) FROM generate_series(1, 200000) g';
    const giveUpAt = db.engine === 'postgres' ? 2 : 1; // after some of the copy was read; PGlite gives it in one chunk
    await expect(db.copyOut(midway, sink())).rejects.toMatchObject({ code: 'DATABASE_ERROR', details: { sqlstate: '22012' } });
    await expect(db.copyOut('SELECT g FROM generate_series(1, 200000) g', sink(giveUpAt))).rejects.toThrow('consumer gave up');
    // Inside a transaction the consumer's error is what the caller sees, and nothing the transaction did stays.
    await expect(
      db.transaction(async (tx) => {
        await tx.query('CREATE TABLE abandoned (v int)');
        await tx.copyOut('SELECT g FROM generate_series(1, 200000) g', sink(giveUpAt));
      }),
    ).rejects.toThrow('consumer gave up');
    expect((await db.query("SELECT to_regclass('abandoned') AS t")).rows[0]).toEqual({ t: null });
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('copies into a table with COPY FROM, and reports the rows', async () => {
    const { db } = get();
    await db.query('CREATE TABLE copied (id int, v double precision)');
    await db.query('CREATE TABLE source AS SELECT g AS id, (g * 0.5)::float8 AS v FROM generate_series(1, 3) g');
    const stream = await collectCopy(db, 'SELECT id, v FROM source ORDER BY id');
    expect(await db.copyIn('copied (id, v)', stream)).toBe(3);
    expect((await db.query('SELECT sum(v)::float8 AS s FROM copied')).rows[0]).toEqual({ s: 3 });
    await expect(db.copyIn('copied (id, v)', stream.subarray(0, 30))).rejects.toMatchObject({ code: 'DATABASE_ERROR' });
  });

  it('copies inside a transaction too', async () => {
    const { db } = get();
    const bytes = await db.transaction(async (tx) => {
      await tx.query('CREATE TABLE tx_vecs AS SELECT ARRAY[1,2]::real[] AS v');
      return collectCopy(tx, 'SELECT v FROM tx_vecs');
    });
    expect(parseCopyFloatArrays(bytes)).toMatchObject({ rows: 1, dim: 2 });
  });

  it('queues main-handle queries behind a running transaction', async () => {
    const { db } = get();
    await db.query('CREATE TABLE ordering (step int)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO ordering VALUES (1)');
      await gate;
      await t.query('INSERT INTO ordering VALUES (2)');
    });
    const outside = db.query('INSERT INTO ordering VALUES (3)');
    setTimeout(release, 50);
    await Promise.all([tx, outside]);
    const steps = (await db.query<{ step: number }>('SELECT step FROM ordering')).rows.map((r) => r.step);
    expect(steps.sort()).toEqual([1, 2, 3]);
  });
});

describeEachDatabase(
  (engine) => `a closed Db handle [${engine}]`,
  (kind) => {
    it('fails every call with the same DatabaseError, and closing again is a no-op', async () => {
      const fresh = await kind.create();
      try {
        const db = fresh.another?.() ?? fresh.db;
        await db.close();
        const calls: Record<string, () => Promise<unknown>> = {
          query: () => db.query('SELECT 1'),
          transaction: () => db.transaction(async () => undefined),
          copyOut: () => db.copyOut('SELECT 1', { data: () => undefined }),
          copyIn: () => db.copyIn('closed_target', new Uint8Array(0)),
        };
        for (const [name, call] of Object.entries(calls)) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, name).toBeInstanceOf(DatabaseError);
          expect((error as Error).message, name).toBe('the database handle is closed');
        }
        await db.close();
      } finally {
        await fresh.drop();
      }
    });
  },
);

describe('PGlite driver', () => {
  it('refuses a main-handle query from inside a transaction instead of deadlocking', async () => {
    const db = await createPgliteDb('memory://');
    try {
      await expect(db.transaction(async () => db.query('SELECT 1'))).rejects.toThrow(/would deadlock/);
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
      await db.close();
    }
  });

  it('persists in a data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgml-pglite-'));
    try {
      const first = await createPgliteDb(dir);
      await first.query('CREATE TABLE kept AS SELECT 42 AS answer');
      await first.close();
      const second = await createPgliteDb(dir);
      expect((await second.query('SELECT answer FROM kept')).rows).toEqual([{ answer: 42 }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pg driver', () => {
  it('names an unreachable server in errors without its password', async () => {
    const db = createPgDb('postgres://u:secret@127.0.0.1:1/x?password=secret');
    const error = await db.query('SELECT 1').catch((e: unknown) => e);
    await db.close();
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/^query failed \(postgres:\/\/u@127\.0\.0\.1:1\/x\): /);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('secret');
  });

  it.skipIf(!process.env.DATABASE_URL)('works over any pool shaped like pg.Pool; without connection options it serves by polling', async () => {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    let checkouts = 0;
    // A wrapper as a metrics or tracing layer would be: only the members PgPoolLike names, no `options`.
    const wrapped: PgPoolLike = {
      connect: () => {
        checkouts++;
        return pool.connect();
      },
      query: (sql, values) => pool.query(sql, values),
      end: () => pool.end(),
    };
    const db = createPgDb(wrapped);
    const pgml = await PostgresML.connect({ db });
    const table = `pool_like_${Date.now()}`;
    try {
      await db.query(`CREATE TABLE ${table} AS SELECT i::float8 AS x, (2 * i + 1)::float8 AS y FROM generate_series(1, 50) i`);
      await pgml.train('pool-like', { task: 'regression', relationName: table, yColumnName: 'y', algorithm: 'linear', runtime: 'native' });
      expect(checkouts).toBeGreaterThan(0); // transactions and COPY went through the wrapper
      expect(await pgml.predict('pool-like', [10])).toBeCloseTo(21, 9);
      expect(pgml.servingStats()).toMatchObject({ mode: 'polling', reason: expect.stringMatching(/no connection options/) });
    } finally {
      await db.query('DELETE FROM pgml.projects WHERE name = $1', ['pool-like']).catch(() => undefined);
      await db.query(`DROP TABLE IF EXISTS ${table}`);
      await pgml.close();
      await db.close();
      await pool.end();
    }
  });

  it('rejects a URL that is not postgres://', () => {
    expect(() => createPgDb('mysql://u:secret@h/x')).toThrow('not a PostgreSQL connection URL: its scheme is mysql://, expected postgres:// or postgresql://');
  });
});
