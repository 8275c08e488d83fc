/**
 * The column statistics a snapshot records (count, missing, min, max, mean, stddev, histogram), on both databases:
 * against values computed here, with NULLs, booleans, text, a constant column, quoted names, and a relation wider
 * than one scan's select list.
 */
import { beforeAll, expect, it } from 'vitest';
import { takeSnapshot, type Db } from '@pgml-ts/sdk';
import { eachDatabase } from './harness.js';

interface Stats {
  count: number;
  missing: number;
  min?: number;
  max?: number;
  mean?: number;
  stddev?: number;
  histogram?: { edges: number[]; counts: number[] };
}

async function statistics(db: Db, snapshotId: number): Promise<Record<string, Stats>> {
  const found = await db.query<{ analysis: unknown }>('SELECT analysis FROM pgml.snapshots WHERE id = $1', [snapshotId]);
  const analysis = found.rows[0]!.analysis;
  return ((typeof analysis === 'string' ? JSON.parse(analysis) : analysis) as { column_statistics: Record<string, Stats> }).column_statistics;
}

eachDatabase((target) => {
  let db: Db;
  beforeAll(async () => {
    db = await target().open();
  });

  it('counts, extremes, moments and a histogram per numeric column; NULLs are missing, never binned', async () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, null, 5];
    await db.query('CREATE TABLE stats_small ("Odd Name" real, flag boolean, label text, constant integer, y integer)');
    for (const [i, v] of values.entries()) {
      await db.query('INSERT INTO stats_small VALUES ($1, $2, $3, 7, $4)', [v, i % 3 === 0, i % 2 ? 'a' : null, i % 2]);
    }
    const snapshot = await takeSnapshot(db, { relationName: 'stats_small', yColumnName: 'y', testSampling: 'last' });
    const stats = await statistics(db, snapshot.id);
    const present = values.filter((v): v is number => v !== null);
    const mean = present.reduce((a, b) => a + b, 0) / present.length;
    const odd = stats['Odd Name']!;
    expect(odd).toMatchObject({ count: 9, missing: 1, min: 1, max: 9 });
    expect(odd.mean).toBeCloseTo(mean, 6);
    expect(odd.stddev).toBeCloseTo(Math.sqrt(present.reduce((a, v) => a + (v - mean) ** 2, 0) / present.length), 6);
    expect(odd.histogram!.counts).toHaveLength(20);
    expect(odd.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(9);
    expect(odd.histogram!.counts[0]).toBe(2); // the two 1s
    expect(odd.histogram!.counts[19]).toBe(1); // the maximum, 9, in the last bin
    expect(stats.flag).toMatchObject({ count: 10, missing: 0, min: 0, max: 1, mean: 0.4 });
    expect(stats.label).toEqual({ count: 5, missing: 5 });
    expect(stats.constant!.histogram).toEqual({ edges: [7, 7], counts: [10] });
  });

  it('a relation wider than one select list is measured in several scans', async () => {
    const columns = Array.from({ length: 350 }, (_, i) => `c${i}`);
    await db.query(`CREATE TABLE stats_wide (${columns.map((c) => `${c} real`).join(', ')}, y integer)`);
    await db.query(`INSERT INTO stats_wide SELECT ${columns.map((_, i) => `g * ${i + 1}`).join(', ')}, g % 2 FROM generate_series(1, 8) AS g`);
    const snapshot = await takeSnapshot(db, { relationName: 'stats_wide', yColumnName: 'y', testSampling: 'last' });
    const stats = await statistics(db, snapshot.id);
    expect(Object.keys(stats)).toHaveLength(351);
    expect(stats.c349).toMatchObject({ count: 8, min: 350, max: 8 * 350 });
    expect(stats.c349!.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(8);
  });
});
