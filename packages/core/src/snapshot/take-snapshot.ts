// PostgresML's standalone `pgml.snapshot(relation_name, y_column_name, test_size, test_sampling, preprocess)`:
// records (and by default materializes) a relation as a snapshot without training, in one transaction. Defaults are
// 2.10's: test_size 0.25, test_sampling stratified (since 2.7.13; `last` before).
import type { Db } from '../db.js';
import { quoteIdent, resolveRelation } from '../db/identifiers.js';
import { InvalidArgument } from '../errors.js';
import { TEST_SAMPLINGS, testRowCount, type TestSampling } from '../ml/split.js';
import { ensureSchema } from '../schema/ensure-schema.js';
import { createSnapshot, recordAnalysis, snapshotColumnStatistics, snapshotTableName, type Snapshot } from './snapshot.js';

export interface SnapshotOptions {
  relationName: string;
  yColumnName: string | string[];
  testSize?: number;
  /** Default `stratified`, as PostgresML 2.10. */
  testSampling?: TestSampling;
  preprocess?: Record<string, unknown>;
  /** PostgresML's `pgml.snapshot` always materializes; `false` records the snapshot over the live relation. */
  materialize?: boolean;
}

export interface SnapshotResult extends Snapshot {
  rows: number;
  trainRows: number;
  testRows: number;
}

export async function takeSnapshot(db: Db, options: SnapshotOptions): Promise<SnapshotResult> {
  const testSampling = options.testSampling ?? 'stratified';
  if (!TEST_SAMPLINGS.includes(testSampling)) {
    throw new InvalidArgument(`unknown testSampling ${JSON.stringify(testSampling)}; expected one of ${TEST_SAMPLINGS.join(', ')}`);
  }
  const yColumnNames = typeof options.yColumnName === 'string' ? [options.yColumnName] : [...options.yColumnName];
  await ensureSchema(db);
  return db.transaction(async (tx) => {
    const snapshot = await createSnapshot(tx, {
      relationName: options.relationName,
      yColumnNames,
      testSize: options.testSize ?? 0.25,
      testSampling,
      preprocess: options.preprocess ?? {},
      materialize: options.materialize ?? true,
    });
    const source = snapshot.materialized
      ? `pgml.${quoteIdent(snapshotTableName(snapshot.id))}`
      : (await resolveRelation(tx, snapshot.relationName)).qualified;
    const counted = await tx.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${source}`);
    const rows = Number(counted.rows[0]?.n ?? 0);
    // The same row-count rules train applies (empty relation, test size ≥ rows or ≤ 0) fail here, rolling back.
    const testRows = testRowCount(rows, snapshot.testSize);
    const statistics = await snapshotColumnStatistics(tx, snapshot);
    await recordAnalysis(tx, snapshot.id, { rows, train_rows: rows - testRows, test_rows: testRows, column_statistics: statistics });
    return { ...snapshot, rows, trainRows: rows - testRows, testRows };
  });
}
