/**
 * Reads a relation through ONE binary COPY (one consistent row order, which `last` sampling depends on), decoded by
 * the native data path as the chunks arrive: numbers keep their exact binary values, text is dictionary-encoded,
 * arrays of any dimension are flattened, and no row ever becomes a JS object. The server does no more work than a
 * plain COPY of the same columns (only numeric and char-like types are cast).
 */
import type { DecodedTable, TableColumn, TableDecoder, TableEngine } from '../data/table-engine.js';
import type { Db } from '../db.js';
import { quoteIdent } from '../db/index.js';
import { PgmlError } from '../errors.js';
import { columnRead, type SnapshotColumn } from './columns.js';
import { copyRanges, type ParallelRead } from './parallel-copy.js';

export interface ReadColumn {
  column: SnapshotColumn;
  role: TableColumn['role'];
}

/** Rows decoded so far, and the planner's estimate of the total (absent when the relation was never analyzed). */
export interface ReadProgress {
  rows: number;
  expectedRows?: number;
}

/** Progress at most this often: a callback per chunk would cost more than the decoding. */
const PROGRESS_EVERY_MS = 100;

/**
 * Each array column's element count, from its first non-NULL value (one cheap indexed-or-early-stopping query per
 * column); the decoder then checks every row against it. `qualified` is a catalog-resolved, quoted relation name.
 */
export async function measureArrays(db: Db, qualified: string, columns: readonly SnapshotColumn[]): Promise<SnapshotColumn[]> {
  const arrays = columns.filter((c) => c.kind === 'array');
  if (arrays.length === 0) return [...columns];
  const probes = arrays.map((c, i) => {
    const q = quoteIdent(c.name);
    return `(SELECT cardinality(${q}) FROM ${qualified} WHERE ${q} IS NOT NULL LIMIT 1) AS a${i}`;
  });
  const found = await db.query<Record<string, number | string | null>>(`SELECT ${probes.join(', ')}`);
  const sizes = new Map(arrays.map((c, i) => [c.name, Number(found.rows[0]?.[`a${i}`] ?? 0)]));
  return columns.map((c) => {
    const size = sizes.get(c.name);
    if (size === undefined) return c;
    if (!(size > 0)) {
      throw new PgmlError('DATA_ERROR', `column ${JSON.stringify(c.name)} has no non-empty array values`, { column: c.name });
    }
    return { ...c, size };
  });
}

export interface ReadOptions {
  onProgress?: (progress: ReadProgress) => void;
  /** Read a large table in several ranges at once through this pool (see parallel-copy.ts). */
  parallel?: ParallelRead;
}

/** Decodes `columns` of `qualified` (array columns already measured) into a native table. */
export async function readTable(
  db: Db,
  engine: TableEngine,
  qualified: string,
  columns: readonly ReadColumn[],
  options: ReadOptions = {},
): Promise<DecodedTable> {
  const { onProgress } = options;
  const reads = columns.map(({ column }) => columnRead(column, quoteIdent(column.name)));
  const select = `SELECT ${reads.map((r) => r.expression).join(', ')} FROM ${qualified}`;
  const expectedRows = await estimatedRows(db, qualified);
  const specs = columns.map(({ column, role }, i) => ({
    name: column.name,
    type: reads[i]!.type,
    role,
    ...(reads[i]!.array ? { arrayLength: column.size } : {}),
  }));
  const decoders: TableDecoder[] = [];
  const rows: number[] = [];
  let reported = performance.now();
  const handles = { snapshot: db, reader: db, ...(options.parallel ? { parallel: options.parallel } : {}) };
  const ranges = await copyRanges(handles, qualified, select, (range, count) => {
    // Each range's decoder is sized for its share; the first one holds the whole table once the others append.
    const share = expectedRows === undefined ? {} : { expectedRows: range === 0 ? expectedRows : Math.ceil(expectedRows / count) };
    const decoder = (decoders[range] = engine.decoder(specs, share));
    rows[range] = 0;
    const report = (): void => {
      if (onProgress && performance.now() - reported >= PROGRESS_EVERY_MS) {
        reported = performance.now();
        rows[range] = decoder.rows;
        onProgress({ rows: rows.reduce((a, b) => a + b, 0), ...(expectedRows === undefined ? {} : { expectedRows }) });
      }
    };
    return {
      data: (chunk) => {
        decoder.push(chunk);
        report();
      },
      wire: (chunk) => {
        const end = decoder.pushWire(chunk);
        report();
        return end;
      },
    };
  });
  const tables = decoders.slice(0, ranges).map((d) => d.finish());
  const [table, ...rest] = tables;
  for (const other of rest) table!.append(other);
  onProgress?.({ rows: table!.rows, ...(expectedRows === undefined ? {} : { expectedRows }) });
  return table!;
}

/** pg_class's row estimate (kept fresh by autovacuum), to pre-size the decoder and show progress as a fraction. */
async function estimatedRows(db: Db, qualified: string): Promise<number | undefined> {
  const found = await db.query<{ n: number | string | null }>(
    `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1) AND relkind IN ('r', 'm', 'p')`,
    [qualified],
  );
  const n = Number(found.rows[0]?.n ?? -1);
  return n > 0 ? Math.round(n) : undefined;
}
