import { describe, expect, it } from 'vitest';
import { PostgresML } from '../src/index.js';
import { describeEachDb } from './databases.js';

describeEachDb('PostgresML#snapshot', (get) => {
  const counts = async (pgml: PostgresML) => {
    const r = await pgml.db.query<{ n: string | number }>('SELECT count(*) AS n FROM pgml.snapshots');
    return Number(r.rows[0]!.n);
  };

  it('materializes a relation with its split settings, without training', async () => {
    const pgml = await PostgresML.connect({ db: get().db });
    await pgml.loadDataset('iris');
    const snap = await pgml.snapshot({ relationName: 'pgml.iris', yColumnName: 'target', testSize: 0.2, testSampling: 'stratified' });
    expect(snap).toMatchObject({ rows: 150, testRows: 30, trainRows: 120, materialized: true, yColumnNames: ['target'] });
    const copied = await pgml.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM pgml."snapshot_${snap.id}"`);
    expect(Number(copied.rows[0]!.n)).toBe(150);
    const row = await pgml.db.query<{ status: string; analysis: { rows: number } }>('SELECT status, analysis FROM pgml.snapshots WHERE id = $1', [snap.id]);
    expect(row.rows[0]).toMatchObject({ status: 'snapshotted', analysis: { rows: 150, test_rows: 30 } });
    await pgml.close();
  });

  describe('bad input is a typed error and leaves no snapshot behind', () => {
    it.each([
      [{ relationName: 'pgml.nope', yColumnName: 'target' }, 'UNKNOWN_RELATION'],
      [{ relationName: 'pgml.iris', yColumnName: 'nope' }, 'UNKNOWN_COLUMN'],
      [{ relationName: 'pgml.iris', yColumnName: 'target', testSize: 150 }, 'INVALID_ARGUMENT'],
      [{ relationName: 'pgml.iris', yColumnName: 'target', testSampling: 'sideways' as never }, 'INVALID_ARGUMENT'],
      [{ relationName: 'pgml.iris; DROP TABLE pgml.iris', yColumnName: 'target' }, 'UNKNOWN_RELATION'],
    ])('%o → %s', async (options, code) => {
      const pgml = await PostgresML.connect({ db: get().db });
      await pgml.loadDataset('iris');
      const before = await counts(pgml).catch(() => 0);
      await expect(pgml.snapshot(options)).rejects.toMatchObject({ code });
      expect(await counts(pgml).catch(() => 0)).toBe(before);
      await pgml.close();
    });
  });
});
