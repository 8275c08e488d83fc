import { beforeAll, expect, it } from 'vitest';
import { readVectorColumn, resolveColumn, resolveRelation } from '@pgml-ts/core';
import { describeEachDb } from './databases.js';

describeEachDb('catalog-checked identifiers and readVectorColumn', (get) => {
  beforeAll(async () => {
    const { db } = get();
    await db.query('CREATE SCHEMA "Odd Schema"');
    await db.query('CREATE TABLE "Odd Schema"."Vec""tors" (id int, "Embedding" real[], label text)');
    await db.query(`INSERT INTO "Odd Schema"."Vec""tors" VALUES (1, '{1,2,3}', 'a'), (2, '{4,5,6.5}', 'b')`);
    await db.query('CREATE TABLE victim (v int)');
    await db.query('CREATE TABLE café (v int)');
  });

  it('resolves quoted, unquoted and unicode names through the catalog', async () => {
    const { db } = get();
    const relation = await resolveRelation(db, '"Odd Schema"."Vec""tors"');
    expect(relation).toMatchObject({ schema: 'Odd Schema', name: 'Vec"tors', qualified: '"Odd Schema"."Vec""tors"' });
    expect(relation.columns).toEqual([
      { name: 'id', type: 'integer', ordinal: 1 },
      { name: 'Embedding', type: 'real[]', ordinal: 2 },
      { name: 'label', type: 'text', ordinal: 3 },
    ]);
    expect((await resolveRelation(db, 'VICTIM')).qualified).toBe('"public"."victim"');
    expect((await resolveRelation(db, 'café')).name).toBe('café');
    expect(() => resolveColumn(relation, 'embedding')).toThrow(expect.objectContaining({ code: 'UNKNOWN_COLUMN' }));
  });

  it('reads a vector column', async () => {
    const { db } = get();
    const result = await readVectorColumn(db, '"Odd Schema"."Vec""tors"', 'Embedding');
    expect(result.rows).toBe(2);
    expect(result.dim).toBe(3);
    expect(Array.from(result.data).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6.5]);
    let called = 0;
    await readVectorColumn(db, '"Odd Schema"."Vec""tors"', 'Embedding', (bytes) => {
      called = bytes.length;
      return { data: new Float32Array(0), rows: 0, dim: 0 };
    });
    expect(called).toBeGreaterThan(19);
    await expect(readVectorColumn(db, '"Odd Schema"."Vec""tors"', 'label')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readVectorColumn(db, '"Odd Schema"."Vec""tors"', 'nope')).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
  });

  it('turns injection attempts into typed errors and leaves the database untouched', async () => {
    const { db } = get();
    const attempts = [
      'victim; DROP TABLE victim',
      "victim'; DROP TABLE victim; --",
      'victim"; DROP TABLE victim; --',
      '"victim"; DROP TABLE victim',
      'victim UNION SELECT 1',
      'pg_catalog.pg_class) TO PROGRAM',
      'vıctim',
      'x'.repeat(10_000),
      'victim\u0000',
      'a.b.c',
    ];
    for (const attempt of attempts) {
      await expect(resolveRelation(db, attempt), attempt).rejects.toMatchObject({ code: 'UNKNOWN_RELATION' });
      await expect(readVectorColumn(db, attempt, 'v'), attempt).rejects.toMatchObject({ code: 'UNKNOWN_RELATION' });
    }
    await expect(readVectorColumn(db, 'victim', 'v); DROP TABLE victim; --')).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
    expect((await db.query("SELECT to_regclass('victim') IS NOT NULL AS present")).rows[0]).toEqual({ present: true });
  });

  it('does not resolve indexes or sequences', async () => {
    const { db } = get();
    await db.query('CREATE SEQUENCE seq_not_a_table');
    await expect(resolveRelation(db, 'seq_not_a_table')).rejects.toMatchObject({ code: 'UNKNOWN_RELATION' });
  });
});
