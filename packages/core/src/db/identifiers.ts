/**
 * User-supplied relation and column names (docs/architecture.md#db-interface): parsed here, looked up in the catalog
 * with the name bound as a parameter, and only then quoted into SQL. No user text is ever interpolated into a
 * statement.
 */
import type { Db } from '../db.js';
import { InvalidArgument, UnknownColumn, UnknownRelation } from '../errors.js';

/** PostgreSQL keeps identifiers up to NAMEDATALEN - 1 = 63 bytes and silently truncates longer ones; we refuse them. */
export const MAX_IDENTIFIER_BYTES = 63;

export interface ColumnInfo {
  name: string;
  /** `format_type(atttypid, atttypmod)`, e.g. `real`, `smallint[]`, `character varying(20)`. */
  type: string;
  /** 1-based position in the relation (`attnum`). */
  ordinal: number;
}

export interface RelationInfo {
  schema: string;
  name: string;
  /** `"schema"."name"`, safe to splice into SQL. */
  qualified: string;
  columns: ColumnInfo[];
}

/**
 * Quotes an identifier for SQL. Always double-quoted (embedded quotes doubled), which is valid for every name,
 * keeps case, and never collides with keywords. NUL and over-long names are rejected: PostgreSQL cannot store them.
 */
export function quoteIdent(name: string): string {
  checkIdentifier(name, 'identifier');
  return `"${name.replace(/"/g, '""')}"`;
}

function checkIdentifier(name: string, what: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidArgument(`${what} must be a non-empty string`);
  if (name.includes('\0')) throw new InvalidArgument(`${what} must not contain NUL characters`);
  const bytes = utf8Length(name);
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new InvalidArgument(`${what} is ${bytes} bytes long; PostgreSQL identifiers are at most 63 bytes`);
  }
}

const encoder = new TextEncoder();
function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

// An unquoted identifier: a letter (any non-ASCII character counts, as in PostgreSQL's scanner) or underscore,
// then letters, digits, underscores or dollar signs.
const UNQUOTED = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/;

/**
 * Splits `table`, `schema.table` or quoted forms (`"My Schema"."My Table"`) into parts the way PostgreSQL's parser
 * does: unquoted parts fold to lower case, quoted parts keep case and may contain anything but NUL.
 * Returns undefined for anything that is not one or two identifiers separated by a dot.
 */
export function parseQualifiedName(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let part = '';
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i];
        i++;
      }
      if (part.length === 0) return undefined;
      parts.push(part);
    } else {
      const match = UNQUOTED.exec(text.slice(i));
      if (!match) return undefined;
      // PostgreSQL folds only ASCII letters in unquoted identifiers.
      parts.push(match[0].replace(/[A-Z]+/g, (s) => s.toLowerCase()));
      i += match[0].length;
    }
    if (i === text.length) break;
    if (text[i] !== '.') return undefined;
    i++;
  }
  if (parts.length > 2 || parts.some((p) => p.includes('\0') || utf8Length(p) > MAX_IDENTIFIER_BYTES)) {
    return undefined;
  }
  return parts;
}

// Tables, views, materialized views, foreign and partitioned tables: everything one can SELECT rows from.
const SELECTABLE_KINDS = ['r', 'v', 'm', 'f', 'p'];

/** Resolves a user-supplied relation name against the catalog (search_path applies to unqualified names). */
export async function resolveRelation(db: Db, relationName: string): Promise<RelationInfo> {
  if (typeof relationName !== 'string') throw new InvalidArgument('relation name must be a string');
  const parts = parseQualifiedName(relationName);
  if (!parts) throw new UnknownRelation(relationName);
  // Re-quoting the parsed parts gives to_regclass exactly the name the user meant; it travels as a bound value.
  const canonical = parts.map((p) => `"${p.replace(/"/g, '""')}"`).join('.');
  const found = await db.query<{ schema: string; name: string; oid: number }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.oid::int8 AS oid
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = pg_catalog.to_regclass($1::text) AND c.relkind = ANY($2::"char"[])`,
    [canonical, SELECTABLE_KINDS],
  );
  const relation = found.rows[0];
  if (!relation) throw new UnknownRelation(relationName, await differentCase(db, parts));
  const columns = await db.query<{ name: string; type: string; ordinal: number }>(
    `SELECT attname AS name, pg_catalog.format_type(atttypid, atttypmod) AS type, attnum::int4 AS ordinal
       FROM pg_catalog.pg_attribute
      WHERE attrelid = pg_catalog.to_regclass($1::text) AND attnum > 0 AND NOT attisdropped
      ORDER BY attnum`,
    [canonical],
  );
  return {
    schema: relation.schema,
    name: relation.name,
    qualified: `${quoteIdent(relation.schema)}.${quoteIdent(relation.name)}`,
    columns: columns.rows.map((c) => ({ name: c.name, type: c.type, ordinal: Number(c.ordinal) })),
  };
}

/**
 * The one selectable relation whose name matches `parts` ignoring case (in the search path when unqualified), written
 * the way SQL must spell it: `MixedCase` is folded to `mixedcase`, while the table is `"MixedCase"`.
 */
async function differentCase(db: Db, parts: string[]): Promise<string | undefined> {
  const [schema, name] = parts.length === 2 ? parts : [null, parts[0]!];
  const found = await db.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE lower(c.relname) = lower($1) AND c.relkind = ANY($3::"char"[])
        AND CASE WHEN $2::text IS NULL THEN n.nspname = ANY (pg_catalog.current_schemas(false))
                 ELSE lower(n.nspname) = lower($2::text) END
      LIMIT 2`,
    [name, schema, SELECTABLE_KINDS],
  );
  if (found.rows.length !== 1) return undefined;
  const match = found.rows[0]!;
  return schema === null ? sqlName(match.name) : `${sqlName(match.schema)}.${sqlName(match.name)}`;
}

/** `schema.name`, each part quoted only when PostgreSQL would not read it back unquoted (what `relation_name` stores). */
export function canonicalName(relation: { schema: string; name: string }): string {
  return `${sqlName(relation.schema)}.${sqlName(relation.name)}`;
}

/** An identifier as SQL must spell it: bare when it reads back unchanged unquoted, else quoted. */
function sqlName(part: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(part) ? part : quoteIdent(part);
}

/** Finds a column by its exact (case-sensitive) name, as PostgresML matches `y_column_name`. */
export function resolveColumn(relation: RelationInfo, columnName: string): ColumnInfo & { quoted: string } {
  const column =
    typeof columnName === 'string' ? relation.columns.find((c) => c.name === columnName) : undefined;
  if (!column) throw new UnknownColumn(`${relation.schema}.${relation.name}`, String(columnName));
  return { ...column, quoted: quoteIdent(column.name) };
}
