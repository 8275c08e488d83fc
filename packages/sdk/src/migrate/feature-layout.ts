/**
 * The 2.x feature layout of a 1.0 model: what `predict` needs to turn a user's features into the matrix the pickle
 * was fitted on. 1.0 had no preprocessing, so the preprocessor is the identity (encode native, impute error, scale
 * preserve): a NULL feature is an error, as it was for scikit-learn under 1.0.
 */
import {
  classifyColumn,
  identityPreprocessor,
  InvalidArgument,
  quoteIdent,
  type Db,
  type FeatureLayout,
  type Matrix,
  type RelationInfo,
  type SnapshotColumn,
} from '@pgml-ts/core';

/** The snapshot table's columns in table order, classified like a 2.x snapshot, with array widths measured. */
export async function snapshotColumns(db: Db, relation: RelationInfo, yColumns: readonly string[]): Promise<SnapshotColumn[]> {
  for (const y of yColumns) {
    if (!relation.columns.some((c) => c.name === y)) {
      throw new InvalidArgument(`y column ${JSON.stringify(y)} is not in ${relation.schema}.${relation.name}`);
    }
  }
  const columns = relation.columns.map((c, i) => classifyColumn(c, i, yColumns.includes(c.name)));
  for (const column of columns.filter((c) => c.kind === 'array' && !c.label)) {
    const found = await db.query<{ n: number | null }>(
      `SELECT cardinality(${quoteIdent(column.name)}) AS n FROM ${relation.qualified}
        WHERE ${quoteIdent(column.name)} IS NOT NULL LIMIT 1`,
    );
    column.size = Number(found.rows[0]?.n ?? 0);
    if (column.size < 1) throw new InvalidArgument(`array column ${JSON.stringify(column.name)} has no values to size it`);
  }
  return columns;
}

const PREPROCESS_KIND = { number: 'numeric', boolean: 'bool', array: 'array' } as const;

/** The features in 1.0's order (`table`, or `sorted` by name for the early layout) with an identity preprocessor. */
export function v1FeatureLayout(columns: readonly SnapshotColumn[], order: 'table' | 'sorted'): FeatureLayout {
  const features = columns.filter((c) => !c.label);
  if (order === 'sorted') features.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const text = features.find((c) => c.kind === 'text');
  if (text) {
    throw new InvalidArgument(`feature ${JSON.stringify(text.name)} is ${text.pg_type}: PostgresML 1.0 could not have fitted on text`);
  }
  if (features.length === 0) throw new InvalidArgument('the snapshot has no feature columns');
  const preprocessor = identityPreprocessor(
    features.map((c) => ({
      name: c.name,
      kind: PREPROCESS_KIND[c.kind as keyof typeof PREPROCESS_KIND],
      ...(c.kind === 'array' ? { arrayLength: c.size } : {}),
    })),
  );
  return { columns: features.map(({ name, pg_type, kind, size }) => ({ name, pg_type, kind, size })), preprocessor };
}

function elementsOf(column: FeatureLayout['columns'][number]): string {
  const q = quoteIdent(column.name);
  switch (column.kind) {
    case 'boolean':
      return `ARRAY[${q}::int4::float8]`;
    case 'array':
      return column.pg_type.startsWith('boolean')
        ? `ARRAY(SELECT e::int4::float8 FROM unnest(${q}) e)`
        : `ARRAY(SELECT e::float8 FROM unnest(${q}) e)`;
    default:
      return `ARRAY[${q}::float8]`;
  }
}

export interface FeatureRows {
  /** Rows × raw width in the layout's order: exactly what 1.0 passed to the estimator. */
  matrix: Matrix;
  /** Rows left out because a feature is NULL (1.0 could not predict them either). */
  skipped: number;
}

/** Up to `limit` rows of `relation` as the model's raw input, one float8[] per row (exact: shortest-round-trip text). */
export async function readFeatureRows(db: Db, relation: RelationInfo, layout: FeatureLayout, limit: number): Promise<FeatureRows> {
  const width = layout.columns.reduce((n, c) => n + c.size, 0);
  const select = layout.columns.map(elementsOf).join(' || ');
  const found = await db.query<{ x: Array<number | null> }>(`SELECT ${select} AS x FROM ${relation.qualified} LIMIT $1`, [limit]);
  const complete = found.rows.filter((r) => r.x.length === width && r.x.every((v) => v !== null && Number.isFinite(v)));
  const data = new Float64Array(complete.length * width);
  complete.forEach((r, i) => data.set(r.x as number[], i * width));
  return { matrix: { data, rows: complete.length, cols: width }, skipped: found.rows.length - complete.length };
}
