/**
 * Copies a 1.0 snapshot table (`<v1 schema>."snapshot_<id>"`) to `pgml."snapshot_<id>"`, keeping column order, types
 * and row order (`last` sampling and 1.0's unshuffled split depend on it). In one database this is one
 * `CREATE TABLE … AS TABLE …`; across databases the rows travel in batches as text, in physical (ctid) order, and are
 * cast back to their catalog types, so every value arrives exactly (float8 text is the shortest round trip).
 */
import { quoteIdent, type Db, type RelationInfo } from '@pgml-ts/core';

const BATCH_ROWS = 5000;

export async function copySnapshotTable(source: Db, relation: RelationInfo, target: Db, table: string, sameDatabase: boolean): Promise<number> {
  const destination = `pgml.${quoteIdent(table)}`;
  if (sameDatabase) {
    const created = await target.query(`CREATE TABLE ${destination} AS TABLE ${relation.qualified}`);
    return created.rowCount;
  }
  // Types come from the source catalog (format_type), quoted by PostgreSQL where needed.
  const columns = relation.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  await target.query(`CREATE TABLE ${destination} (${columns})`);
  const names = relation.columns.map((c) => quoteIdent(c.name));
  const aliases = relation.columns.map((_, i) => `c${i}`);
  const insert =
    `INSERT INTO ${destination} (${names.join(', ')}) ` +
    `SELECT ${relation.columns.map((c, i) => `u.c${i}::${c.type}`).join(', ')} ` +
    `FROM unnest(${aliases.map((_, i) => `$${i + 1}::text[]`).join(', ')}) WITH ORDINALITY AS u(${aliases.join(', ')}, n) ORDER BY u.n`;
  let after = '(0,0)';
  let copied = 0;
  for (;;) {
    const batch = await source.query<Record<string, string | null>>(
      `SELECT ctid::text AS ctid, ${names.map((n, i) => `${n}::text AS c${i}`).join(', ')}
         FROM ${relation.qualified} WHERE ctid > $1::tid ORDER BY ctid LIMIT ${BATCH_ROWS}`,
      [after],
    );
    if (batch.rows.length === 0) return copied;
    await target.query(insert, aliases.map((alias) => batch.rows.map((r) => r[alias] ?? null)));
    copied += batch.rows.length;
    after = batch.rows[batch.rows.length - 1]!.ctid!;
  }
}
