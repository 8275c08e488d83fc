// The four in-database variants of PostgresML's "Moving to Rust for 2.0" dot-product benchmark, reproduced as
// written there (SQL, PL/pgSQL, PL/Python loop, NumPy in PL/Python), run against a real PostgreSQL.
import type pg from 'pg';

export interface InDatabaseVariant {
  id: string;
  label: string;
  /** Function body DDL; `language` needs to exist in the server. */
  ddl: string;
  language: 'sql' | 'plpgsql' | 'plpython3u';
  fn: string;
}

export const IN_DATABASE_VARIANTS: readonly InDatabaseVariant[] = [
  {
    id: 'sql', label: 'SQL (unnest)', language: 'sql', fn: 'bench_dot_product_sql',
    ddl: `CREATE OR REPLACE FUNCTION bench_dot_product_sql(a FLOAT4[], b FLOAT4[]) RETURNS FLOAT4
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT SUM(multiplied.values) FROM (SELECT UNNEST(a) * UNNEST(b) AS values) AS multiplied; $$`,
  },
  {
    id: 'plpgsql', label: 'PL/pgSQL', language: 'plpgsql', fn: 'bench_dot_product_plpgsql',
    ddl: `CREATE OR REPLACE FUNCTION bench_dot_product_plpgsql(a FLOAT4[], b FLOAT4[]) RETURNS FLOAT4
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
        BEGIN RETURN SUM(multiplied.values) FROM (SELECT UNNEST(a) * UNNEST(b) AS values) AS multiplied; END $$`,
  },
  {
    id: 'plpython', label: 'PL/Python loop', language: 'plpython3u', fn: 'bench_dot_product_python',
    ddl: `CREATE OR REPLACE FUNCTION bench_dot_product_python(a FLOAT4[], b FLOAT4[]) RETURNS FLOAT4
      LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE AS $$
        return sum([a * b for a, b in zip(a, b)]) $$`,
  },
  {
    id: 'numpy', label: 'NumPy in PL/Python', language: 'plpython3u', fn: 'bench_dot_product_numpy',
    ddl: `CREATE OR REPLACE FUNCTION bench_dot_product_numpy(a FLOAT4[], b FLOAT4[]) RETURNS FLOAT4
      LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE AS $$
        import numpy
        return numpy.dot(a, b) $$`,
  },
];

/**
 * Creates the variants' functions. A language the server lacks (e.g. no plpython3u package or no superuser)
 * is reported back so the report can say why a row is missing instead of failing the whole benchmark.
 */
export async function installVariants(client: pg.Client): Promise<Map<string, string>> {
  const unavailable = new Map<string, string>();
  for (const variant of IN_DATABASE_VARIANTS) {
    try {
      if (variant.language === 'plpython3u') await client.query('CREATE EXTENSION IF NOT EXISTS plpython3u');
      await client.query(variant.ddl);
    } catch (error) {
      unavailable.set(variant.id, (error as Error).message);
    }
  }
  return unavailable;
}

/** The article's query shape, with the query vector bound as a parameter so every variant ranks the same vector. */
export function rankingQuery(variant: InDatabaseVariant, table: string): string {
  return `SELECT ${variant.fn}(t.vector, $1::float4[]) AS score FROM ${table} t ORDER BY 1 DESC LIMIT 1`;
}
