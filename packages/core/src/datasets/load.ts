import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Db } from '../db.js';
import { InvalidArgument, PgmlError } from '../errors.js';
import { quoteIdent } from '../db/identifiers.js';
import { DATASET_NAMES, DATASETS, type DatasetName, type DatasetSpec } from './catalog.js';

export interface LoadedDataset {
  /** `pgml.<name>`, as PostgresML's `load_dataset` reports it. */
  table: string;
  rows: number;
  columns: string[];
}

// src/datasets/ and dist/datasets/ are both two levels below the package root, where datasets/ is published.
const DATA_DIR = new URL('../../datasets/', import.meta.url);

export function isDatasetName(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}

/** The dataset's table contents, column by column, as the exact text PostgreSQL will parse. */
export async function readDatasetColumns(spec: DatasetSpec): Promise<string[][]> {
  const csv = gunzipSync(await readFile(new URL(`${spec.name}.csv.gz`, DATA_DIR))).toString('utf8');
  const lines = csv.split('\n').filter((line) => line.length > 0);
  const fieldsPerRow = spec.columns.reduce((n, c) => n + (c.shape ?? [1]).reduce((a, b) => a * b, 1), 0);
  const rows = lines.slice(1).map((line) => line.split(','));
  if (rows.length !== spec.rows || rows.some((r) => r.length !== fieldsPerRow)) {
    throw new PgmlError('DATA_ERROR', `dataset file ${spec.name}.csv.gz does not match its table layout`);
  }
  const columns: string[][] = spec.columns.map(() => []);
  for (const fields of rows) {
    let f = 0;
    spec.columns.forEach((column, c) => {
      if (column.shape) {
        columns[c]!.push(arrayLiteral(fields, f, column.shape));
        f += column.shape.reduce((a, b) => a * b, 1);
      } else {
        columns[c]!.push(fields[f++]!);
      }
    });
  }
  return columns;
}

/** `{{a,b},{c,d}}` from row-major fields. */
function arrayLiteral(fields: string[], start: number, shape: readonly number[]): string {
  const [outer = 0, ...inner] = shape;
  const step = inner.reduce((a, b) => a * b, 1);
  const parts: string[] = [];
  for (let i = 0; i < outer; i++) {
    parts.push(inner.length ? arrayLiteral(fields, start + i * step, inner) : fields[start + i]!);
  }
  return `{${parts.join(',')}}`;
}

export interface LoadDatasetOptions {
  /** Load only the first `limit` rows, as PostgresML 2.x's `pgml.load_dataset(source, limit => n)`. */
  limit?: number;
}

/**
 * PostgresML's `pgml.load_dataset(name, limit)`: (re)creates `pgml.<name>` and fills it, in one transaction.
 * All rows go in one INSERT … SELECT FROM unnest(text[] per column): one round trip, values bound, never spliced.
 */
export async function loadDataset(db: Db, name: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  if (typeof name !== 'string' || !isDatasetName(name)) {
    throw new PgmlError(
      'UNKNOWN_DATASET',
      `unknown dataset ${JSON.stringify(name)}; valid names are ${DATASET_NAMES.join(', ')}`,
      { dataset: name, valid: DATASET_NAMES },
    );
  }
  const { limit } = options;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0)) {
    throw new InvalidArgument(`limit must be a non-negative integer, got ${String(limit)}`, { limit });
  }
  const spec = DATASETS[name];
  const values = (await readDatasetColumns(spec)).map((column) => (limit === undefined ? column : column.slice(0, limit)));
  const table = `${quoteIdent('pgml')}.${quoteIdent(spec.name)}`;
  const definitions = spec.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  const names = spec.columns.map((c) => quoteIdent(c.name)).join(', ');
  const aliases = spec.columns.map((_, i) => `c${i}`);
  const casts = spec.columns.map((c, i) => `${aliases[i]}::${c.type}`).join(', ');
  const unnest = spec.columns.map((_, i) => `$${i + 1}::text[]`).join(', ');

  const inserted = await db.transaction(async (tx) => {
    await tx.query('CREATE SCHEMA IF NOT EXISTS pgml');
    await tx.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    await tx.query(`CREATE TABLE ${table} (${definitions})`);
    const result = await tx.query(
      `INSERT INTO ${table} (${names}) SELECT ${casts} FROM unnest(${unnest}) AS u(${aliases.join(', ')})`,
      values,
    );
    return result.rowCount;
  });
  return { table: `pgml.${spec.name}`, rows: inserted, columns: spec.columns.map((c) => c.name) };
}
