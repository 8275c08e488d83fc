/**
 * Reads a model's feature columns from a relation, for batch prediction over a table (`pgml predict --relation`),
 * like `SELECT pgml.predict(project, (a, b, c)) FROM relation` in PostgresML. The relation and every column are
 * checked against the catalog and quoted; the row limit travels as a parameter.
 */
import { resolveColumn, resolveRelation, type Db, type FeatureLayout } from '@pgml-ts/core';

type FeatureColumn = FeatureLayout['columns'][number];

/** Numbers read exactly as the snapshot read them (a REAL widens to its float32 value); booleans stay booleans. */
function selectExpression(column: FeatureColumn, quoted: string): string {
  switch (column.kind) {
    case 'number':
      return `${quoted}::float8`;
    case 'boolean':
      return `${quoted}::boolean`;
    case 'text':
      return `${quoted}::text`;
    case 'array':
      return column.pg_type.startsWith('boolean') ? `${quoted}::int4[]::float8[]` : `${quoted}::float8[]`;
  }
}

/** Row objects keyed by feature column name, ready for `predictBatch`; multi-dimensional arrays are flattened. */
export async function readFeatureRows(
  db: Db,
  relationName: string,
  features: readonly FeatureColumn[],
  limit?: number,
): Promise<Record<string, unknown>[]> {
  const relation = await resolveRelation(db, relationName);
  const select = features.map((f) => {
    const { quoted } = resolveColumn(relation, f.name);
    return `${selectExpression(f, quoted)} AS ${quoted}`;
  });
  const result = await db.query<Record<string, unknown>>(
    `SELECT ${select.join(', ')} FROM ${relation.qualified} LIMIT $1::int8`,
    [limit ?? null],
  );
  const arrays = features.filter((f) => f.kind === 'array').map((f) => f.name);
  for (const row of result.rows) {
    for (const name of arrays) if (Array.isArray(row[name])) row[name] = (row[name] as unknown[]).flat(Infinity);
  }
  return result.rows;
}
