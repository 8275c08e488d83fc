import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, DATASETS } from '../../src/datasets/catalog.js';
import { readDatasetColumns } from '../../src/datasets/load.js';

describe('shipped dataset files', () => {
  it.each(DATASET_NAMES)('%s matches its table layout', async (name) => {
    const spec = DATASETS[name];
    const columns = await readDatasetColumns(spec);
    expect(columns).toHaveLength(spec.columns.length);
    for (const column of columns) expect(column).toHaveLength(spec.rows);
  });

  it('keeps PostgresML values: iris, digits image, diabetes scaled, breast_cancer malignant', async () => {
    const iris = await readDatasetColumns(DATASETS.iris);
    expect(iris.map((c) => c[0])).toEqual(['5.1', '3.5', '1.4', '0.2', '0']);
    const digits = await readDatasetColumns(DATASETS.digits);
    expect(digits[0]![0]).toMatch(/^\{\{0,0,5,13,9,1,0,0\},\{0,0,13,15,10,15,5,0\},/);
    const diabetes = await readDatasetColumns(DATASETS.diabetes);
    expect(diabetes[0]![0]).toBe('0.038075905');
    expect(diabetes[10]![0]).toBe('151.0');
    const cancer = await readDatasetColumns(DATASETS.breast_cancer);
    expect(cancer[30]!.filter((v) => v === 'true')).toHaveLength(212);
  });
});
