/**
 * The end-to-end benchmark's tables, generated inside PostgreSQL (seeded, so every run trains on the same rows):
 * the four cases plus a mixed numeric/categorical table and a keyed table to score. Targets are functions of
 * the features plus noise, so every model has something to learn and quality can be compared across runners.
 */
import type pg from 'pg';

export interface E2eTable {
  name: string;
  /** What the table holds, for the report. */
  description: string;
  rows: number;
  /** Feature columns (the label and any key excluded), in table order. */
  features: string[];
  label?: string;
  /** A key column (scoring tables only): written next to each prediction. */
  key?: string;
  /** Categorical text columns, one_hot encoded by every runner. */
  categorical?: string[];
  create: string;
}

const range = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
/** Fixed, irregular weights: w_i = sin(1.7 i) — no two alike, some negative. */
const weight = (i: number): string => Math.sin(1.7 * (i + 1)).toFixed(6);
const linear = (columns: string[], offset = 0): string => columns.map((c, i) => `${weight(i + offset)} * ${c}`).join(' + ');

/** `x1 … xN` drawn uniformly from (-1, 1), one array per row (the correlated subquery runs once per row). */
const uniformArray = (n: number, rows: number): string =>
  `SELECT ARRAY(SELECT random() * 2 - 1 FROM generate_series(1, ${n}) WHERE g > 0) AS x FROM generate_series(1, ${rows}) g`;
const elements = (n: number, prefix: string): string => range(n, prefix).map((c, i) => `x[${i + 1}] AS ${c}`).join(', ');

export function e2eTables(scale = 1): E2eTable[] {
  const million = Math.round(1_000_000 * scale);
  const x20 = range(20, 'x');
  const x16 = range(16, 'x');
  return [
    {
      name: 'e2e_num_reg',
      description: `${million.toLocaleString('en')} rows × 20 float8, regression target`,
      rows: million,
      features: x20,
      label: 'y',
      create: `CREATE TABLE e2e_num_reg AS
        SELECT ${x20.join(', ')}, ${linear(x20)} + 0.5 * sin(3 * x1) + 0.3 * x2 * x3 + 0.1 * (random() - 0.5) AS y
          FROM (SELECT ${elements(20, 'x')} FROM (${uniformArray(20, million)}) s) t`,
    },
    {
      name: 'e2e_num_cls',
      description: `${million.toLocaleString('en')} rows × 20 float8, 3 classes`,
      rows: million,
      features: x20,
      label: 'class',
      create: `CREATE TABLE e2e_num_cls AS
        SELECT ${x20.join(', ')},
               CASE WHEN a >= b AND a >= c THEN 0 WHEN b >= c THEN 1 ELSE 2 END AS class
          FROM (SELECT ${x20.join(', ')}, ${linear(x20)} + 0.3 * random() AS a, ${linear(x20, 7)} + 0.3 * random() AS b,
                       ${linear(x20, 13)} + 0.3 * random() AS c
                  FROM (SELECT ${elements(20, 'x')} FROM (${uniformArray(20, million)}) s) t) u`,
    },
    {
      name: 'e2e_embeddings',
      description: `${Math.round(100_000 * scale).toLocaleString('en')} rows, one real[256] embedding + int label`,
      rows: Math.round(100_000 * scale),
      features: ['embedding'],
      label: 'label',
      create: `CREATE TABLE e2e_embeddings AS
        SELECT x::real[] AS embedding,
               (SELECT (sum(v * sin(1.7 * i)) + 0.5 * (random() - 0.5) > 0)::int FROM unnest(x) WITH ORDINALITY AS e(v, i)) AS label
          FROM (${uniformArray(256, Math.round(100_000 * scale))}) s`,
    },
    {
      name: 'e2e_mixed',
      description: `${Math.round(500_000 * scale).toLocaleString('en')} rows × 16 float8 + 2 text categories, regression target`,
      rows: Math.round(500_000 * scale),
      features: [...x16, 'color', 'city'],
      label: 'y',
      categorical: ['color', 'city'],
      create: `CREATE TABLE e2e_mixed AS
        SELECT ${x16.join(', ')}, color, city,
               ${linear(x16)} + CASE color WHEN 'red' THEN 1 WHEN 'green' THEN -0.5 WHEN 'blue' THEN 0.25 ELSE 0 END
                 + 0.02 * (ascii(right(city, 1)) - 70) + 0.1 * (random() - 0.5) AS y
          FROM (SELECT ${elements(16, 'x')},
                       (ARRAY['red', 'green', 'blue', 'yellow', 'black'])[1 + floor(random() * 5)::int] AS color,
                       'city_' || chr(65 + floor(random() * 40)::int) AS city
                  FROM (${uniformArray(16, Math.round(500_000 * scale))}) s) t`,
    },
    {
      name: 'e2e_score',
      description: `${million.toLocaleString('en')} rows × 20 float8 with a bigint key, to score with the regression model`,
      rows: million,
      features: x20,
      key: 'id',
      create: `CREATE TABLE e2e_score AS SELECT row_number() OVER () AS id, ${x20.join(', ')} FROM e2e_num_reg`,
    },
  ];
}

/** Creates the tables that are missing (or all of them with `replace`), seeded so each run sees the same rows. */
export async function seedE2eTables(client: pg.Client, tables: E2eTable[], options: { replace?: boolean; progress?: (m: string) => void } = {}): Promise<void> {
  for (const table of tables) {
    const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table.name]);
    if (exists.rows[0]!.present && !options.replace) {
      const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table.name}`);
      if (Number(count.rows[0]!.n) === table.rows) continue;
    }
    options.progress?.(`creating ${table.name}: ${table.description}`);
    await client.query(`DROP TABLE IF EXISTS ${table.name}`);
    await client.query('SELECT setseed(0.42)');
    await client.query(table.create);
    await client.query(`VACUUM ANALYZE ${table.name}`);
  }
}
