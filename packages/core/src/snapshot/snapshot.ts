/**
 * Snapshots (PostgresML's `pgml.snapshots`): which relation, which y columns, how to split. The relation and every
 * column are checked against the catalog first; features are all other columns in table order. A snapshot may be
 * materialized: the relation is copied into `pgml."snapshot_<id>"` and later re-training reads that frozen copy.
 * The split is recomputed from the stored test size, sampling and seed, so it is the same on every read.
 */
import { crc32 } from 'node:zlib';
import type { Db } from '../db.js';
import { canonicalName, quoteIdent, resolveColumn, resolveRelation, type RelationInfo } from '../db/index.js';
import { EmptyInput, InvalidArgument, PgmlError, UnknownColumn } from '../errors.js';
import { trainTestSplit, type SplitIndices, type TestSampling } from '../ml/split.js';
import type { Task } from '../runtime.js';
import type { DecodedTable, TableEngine } from '../data/table-engine.js';
import type { LabelValues } from '../train/labels.js';
import { classifyColumn, type SnapshotColumn } from './columns.js';
import { columnStatistics, type ColumnStatistics } from './column-statistics.js';
import { measureArrays, readTable, type ReadOptions } from './read.js';

export interface Snapshot {
  id: number;
  relationName: string;
  yColumnNames: string[];
  testSize: number;
  testSampling: TestSampling;
  seed: number;
  materialized: boolean;
  /** Every column of the relation, in table order; `label` marks the y columns. */
  columns: SnapshotColumn[];
  /** The `preprocess` argument the snapshot was taken with (column name → { encode, impute, scale }). */
  preprocess: Record<string, unknown>;
}

export interface CreateSnapshotInput {
  relationName: string;
  yColumnNames: string[];
  testSize: number;
  testSampling: TestSampling;
  preprocess: Record<string, unknown>;
  materialize: boolean;
}

export async function createSnapshot(tx: Db, input: CreateSnapshotInput): Promise<Snapshot> {
  const relation = await resolveRelation(tx, input.relationName);
  const yNames = input.yColumnNames.map((name) => resolveColumn(relation, name).name);
  if (new Set(yNames).size !== yNames.length) throw new InvalidArgument('yColumnName lists a column twice');
  const columns = relation.columns.map((c, i) => classifyColumn(c, i, yNames.includes(c.name)));
  if (!columns.some((c) => !c.label)) {
    throw new InvalidArgument(`${input.relationName} has no feature columns besides ${yNames.join(', ')}`);
  }
  for (const name of Object.keys(input.preprocess)) {
    const column = columns.find((c) => c.name === name);
    if (!column) throw new UnknownColumn(`${relation.schema}.${relation.name}`, name);
    if (column.label) throw new InvalidArgument(`preprocess names the y column ${JSON.stringify(name)}; only features are preprocessed`);
  }
  const seed = crc32(`${relation.schema}.${relation.name}\0${yNames.join('\0')}`);
  const inserted = await tx.query<{ id: string | number }>(
    `INSERT INTO pgml.snapshots (relation_name, y_column_name, test_size, test_sampling, status, columns, materialized, seed)
     VALUES ($1, $2, $3, $4, 'in_progress', $5, $6, $7) RETURNING id`,
    [
      canonicalName(relation),
      yNames,
      input.testSize,
      input.testSampling,
      JSON.stringify(columns.map((c) => ({ ...c, preprocessor: input.preprocess[c.name] ?? {} }))),
      input.materialize,
      seed,
    ],
  );
  const id = Number(inserted.rows[0]!.id);
  if (input.materialize) {
    await tx.query(`CREATE TABLE pgml.${quoteIdent(snapshotTableName(id))} AS SELECT * FROM ${relation.qualified}`);
  }
  return {
    id,
    relationName: canonicalName(relation),
    yColumnNames: yNames,
    // Stored as FLOAT4 like PostgresML: read back what the database keeps, so re-reads split identically.
    testSize: Math.fround(input.testSize),
    testSampling: input.testSampling,
    seed,
    materialized: input.materialize,
    columns,
    preprocess: input.preprocess,
  };
}

/** PostgresML's naming for a materialized snapshot. */
export function snapshotTableName(id: number): string {
  return `snapshot_${id}`;
}

const SNAPSHOT_COLUMNS = 's.id, s.relation_name, s.y_column_name, s.test_size, s.test_sampling, s.seed, s.materialized, s.columns';

/** The project's newest snapshot that a model was trained on (PostgresML's `Project::last_snapshot`). */
export async function lastSnapshot(db: Db, projectId: number): Promise<Snapshot | undefined> {
  const found = await db.query<Record<string, unknown>>(
    `SELECT ${SNAPSHOT_COLUMNS}
       FROM pgml.snapshots s JOIN pgml.models m ON m.snapshot_id = s.id AND m.project_id = $1
      ORDER BY s.id DESC LIMIT 1`,
    [projectId],
  );
  return found.rows[0] && snapshotFromRow(found.rows[0]);
}

export async function snapshotById(db: Db, id: number): Promise<Snapshot | undefined> {
  const found = await db.query<Record<string, unknown>>(`SELECT ${SNAPSHOT_COLUMNS} FROM pgml.snapshots s WHERE s.id = $1`, [id]);
  return found.rows[0] && snapshotFromRow(found.rows[0]);
}

function snapshotFromRow(row: Record<string, unknown>): Snapshot {
  const stored = (typeof row.columns === 'string' ? JSON.parse(row.columns) : row.columns) as Array<
    SnapshotColumn & { preprocessor?: Record<string, unknown> }
  >;
  const preprocess: Record<string, unknown> = {};
  for (const c of stored) if (c.preprocessor && Object.keys(c.preprocessor).length > 0) preprocess[c.name] = c.preprocessor;
  return {
    id: Number(row.id),
    relationName: row.relation_name as string,
    yColumnNames: row.y_column_name as string[],
    testSize: Number(row.test_size),
    testSampling: row.test_sampling as TestSampling,
    seed: Number(row.seed),
    materialized: Boolean(row.materialized),
    columns: stored.map(({ preprocessor: _preprocessor, ...column }) => column),
    preprocess,
  };
}

export interface SnapshotRows {
  /** The decoded rows: the raw feature matrix (labels already taken out). */
  table: DecodedTable;
  rows: number;
  /** Feature columns in table order, array columns with their measured size. */
  features: SnapshotColumn[];
  labels: SnapshotColumn[];
  labelValues: LabelValues[];
}

export interface SnapshotData extends SnapshotRows {
  split: SplitIndices;
}

/**
 * Reads the snapshot's rows through the native data path (the caller frees `table`). Features come in table order,
 * or in `featureOrder` (a model's layout, e.g. a migrated 1.0 model's sorted names).
 */
export async function readSnapshot(
  db: Db,
  engine: TableEngine,
  snapshot: Snapshot,
  options: ReadOptions & { featureOrder?: readonly string[] } = {},
): Promise<SnapshotRows> {
  const relation = await snapshotRelation(db, snapshot);
  // The relation may have changed since the snapshot (not materialized): the columns must still be there.
  for (const column of snapshot.columns) {
    const now = relation.columns.find((c) => c.name === column.name);
    if (!now) throw new UnknownColumn(snapshot.relationName, column.name);
    if (now.type !== column.pg_type) {
      throw new PgmlError('DATA_ERROR', `column ${JSON.stringify(column.name)} changed type from ${column.pg_type} to ${now.type} since snapshot ${snapshot.id}`);
    }
  }
  const columns = await measureArrays(db, relation.qualified, snapshot.columns);
  const inTableOrder = columns.filter((c) => !c.label);
  const features = options.featureOrder?.map((name) => {
    const column = inTableOrder.find((c) => c.name === name);
    if (!column) throw new UnknownColumn(snapshot.relationName, name);
    return column;
  }) ?? inTableOrder;
  const labels = snapshot.yColumnNames.map((name) => columns.find((c) => c.name === name)!);
  // Features in table order, then the labels in y order (their label index is their position among labels).
  const reads = [...features.map((column) => ({ column, role: 'feature' as const })), ...labels.map((column) => ({ column, role: 'label' as const }))];
  const table = await readTable(db, engine, relation.qualified, reads, options);
  if (table.rows === 0) {
    table.free();
    throw new EmptyInput(`relation ${snapshot.relationName}`);
  }
  return { table, rows: table.rows, features, labels, labelValues: labels.map((_, i) => table.takeLabel(i)) };
}

/**
 * The snapshot's train/test split of `rows`, recomputed from its stored settings and seed. `classIndexOf` gives the
 * class index of each row for stratified sampling. Only classification has classes: for the other tasks
 * `stratified` (PostgresML 2.10's default for every task) splits at random, which is what 2.10's own stratified
 * query amounts to there — it partitions the rows by every column, so continuous data forms no strata.
 */
export function splitSnapshot(
  snapshot: Snapshot,
  rows: SnapshotRows,
  task: Task | undefined,
  classIndexOf: () => ArrayLike<number>,
): SplitIndices {
  const stratify = snapshot.testSampling === 'stratified' && (task === undefined || task === 'classification');
  const sampling = snapshot.testSampling === 'stratified' && !stratify ? 'random' : snapshot.testSampling;
  return trainTestSplit({
    rows: rows.rows,
    testSize: snapshot.testSize,
    sampling,
    seed: snapshot.seed,
    labels: stratify ? classIndexOf() : undefined,
  });
}

async function snapshotRelation(db: Db, snapshot: Snapshot): Promise<RelationInfo> {
  return resolveRelation(db, snapshot.materialized ? `pgml.${snapshotTableName(snapshot.id)}` : snapshot.relationName);
}

/**
 * The snapshot's column statistics (column-statistics.ts), measured on its table or relation — or, with `sampleRows`,
 * on its first `sampleRows` rows in scan order: measuring every row of a 1M × 20 relation costs ~20 s in PostgreSQL,
 * many times the train it would describe.
 */
export async function snapshotColumnStatistics(
  db: Db,
  snapshot: Snapshot,
  sampleRows?: number,
): Promise<Record<string, ColumnStatistics>> {
  const { qualified } = await snapshotRelation(db, snapshot);
  const source = sampleRows === undefined ? qualified : `(SELECT * FROM ${qualified} LIMIT ${Math.trunc(sampleRows)}) AS sample`;
  return columnStatistics(db, source, snapshot.columns);
}

/** Stores what the snapshot saw: row counts, the split, class balance and per-feature statistics. */
export async function recordAnalysis(db: Db, snapshotId: number, analysis: Record<string, unknown>): Promise<void> {
  await db.query(`UPDATE pgml.snapshots SET status = 'snapshotted', analysis = $2 WHERE id = $1`, [
    snapshotId,
    JSON.stringify(analysis),
  ]);
}
