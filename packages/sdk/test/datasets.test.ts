import { expect, it } from 'vitest';
import { DATASET_NAMES, DATASETS, PgmlError, loadDataset, resolveRelation } from '@pgml-ts/core';
import { describeEachDb } from './databases.js';

describeEachDb('loadDataset', (get) => {
  it.each(DATASET_NAMES)('loads %s with PostgresML’s table layout', async (name) => {
    const { db } = get();
    const loaded = await loadDataset(db, name);
    const spec = DATASETS[name];
    expect(loaded).toEqual({ table: `pgml.${name}`, rows: spec.rows, columns: spec.columns.map((c) => c.name) });
    const relation = await resolveRelation(db, `pgml.${name}`);
    expect(relation.columns.map(({ name: n, type }) => ({ name: n, type }))).toEqual(
      spec.columns.map(({ name: n, type }) => ({ name: n, type })),
    );
    const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${relation.qualified}`);
    expect(count.rows[0]!.n).toBe(spec.rows);
  });

  it('stores spot values exactly', async () => {
    const { db } = get();
    const iris = await db.query('SELECT sepal_length, target FROM pgml.iris LIMIT 1');
    expect(iris.rows[0]).toEqual({ sepal_length: 5.1, target: 0 });
    const digits = await db.query<{ image: number[][]; target: number; dims: string }>(
      'SELECT image, target, array_dims(image) AS dims FROM pgml.digits LIMIT 1',
    );
    expect(digits.rows[0]!.dims).toBe('[1:8][1:8]');
    expect(digits.rows[0]!.image[0]).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    const diabetes = await db.query<{ age: number; exact: boolean }>(
      "SELECT age, age = '0.038075905'::real AS exact, target FROM pgml.diabetes LIMIT 1",
    );
    expect(diabetes.rows[0]).toMatchObject({ exact: true, target: 151 });
    const cancer = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pgml.breast_cancer WHERE malignant');
    expect(cancer.rows[0]!.n).toBe(212);
    const wine = await db.query('SELECT hue, color_intensity FROM pgml.wine LIMIT 1');
    expect(wine.rows[0]).toEqual({ hue: 5.64, color_intensity: 1.04 });
    const linnerud = await db.query('SELECT * FROM pgml.linnerud LIMIT 1');
    expect(linnerud.rows[0]).toEqual({ chins: 5, situps: 162, jumps: 60, weight: 191, waist: 36, pulse: 50 });
  });

  it('reloads in place', async () => {
    const { db } = get();
    await loadDataset(db, 'digits');
    const again = await loadDataset(db, 'digits');
    expect(again.rows).toBe(1797);
    expect((await db.query('SELECT count(*)::int AS n FROM pgml.digits')).rows[0]).toEqual({ n: 1797 });
  });

  it('rejects unknown datasets, listing the valid names', async () => {
    const { db } = get();
    const error = await loadDataset(db, 'mnist').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgmlError);
    expect(error).toMatchObject({ code: 'UNKNOWN_DATASET' });
    expect((error as Error).message).toContain('breast_cancer, diabetes, digits, iris, linnerud, wine');
  });
});
