/**
 * Reading a table in several ctid ranges at once: a binary COPY keeps one server backend busy (it is the floor of a
 * single read), so a large table is split into page ranges, each copied by its own pooled connection in a
 * REPEATABLE READ transaction that imports the caller's snapshot (`pg_export_snapshot`) — every range sees the same
 * rows, as one COPY would, and the ranges in order give the table's physical order. Views, small tables, PGlite
 * (one connection) and servers that refuse to export a snapshot read as one stream.
 */
import type { CopySink, Db } from '../db.js';

export interface ParallelRead {
  /** A pooled handle on the same database, not in the caller's transaction. */
  pool: Db;
}

/**
 * Concurrent ranges (`PGML_READ_STREAMS`, default 2) and the smallest table split into them (`PGML_READ_MIN_PAGES`,
 * default 2048 pages of 8 KiB: below that one stream is as fast — setting up the others costs what they save).
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): { streams: number; minPages: number } {
  const setting = (name: string, fallback: number, max: number): number => {
    const n = Number(env[name]);
    return env[name] !== undefined && Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
  };
  return { streams: setting('PGML_READ_STREAMS', 2, 16), minPages: setting('PGML_READ_MIN_PAGES', 2048, 2 ** 31) };
}

/** The WHERE clauses of the ranges, and the snapshot they import; undefined when the read should be one stream. */
async function plan(db: Db, qualified: string, parallel: ParallelRead | undefined): Promise<{ ranges: string[]; snapshot: string } | undefined> {
  const { streams, minPages } = readSettings();
  if (!parallel?.pool.pooled || streams < 2) return undefined;
  const found = await db.query<{ pages: number | string | null }>(
    `SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int8) AS pages
       FROM pg_class c WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'm')`,
    [qualified],
  );
  const pages = Number(found.rows[0]?.pages ?? 0);
  if (pages < minPages) return undefined;
  let snapshot: string;
  try {
    snapshot = String((await db.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id);
  } catch {
    return undefined;
  }
  // A snapshot id is the server's own text (e.g. 00000003-0000001B-1); SET TRANSACTION SNAPSHOT takes no parameter.
  if (!/^[0-9A-Fa-f-]+$/.test(snapshot)) return undefined;
  const bounds = Array.from({ length: streams + 1 }, (_, i) => Math.round((pages * i) / streams));
  const ranges = bounds.slice(0, -1).map((from, i) =>
    i === streams - 1 ? `ctid >= '(${from},0)'::tid` : `ctid >= '(${from},0)'::tid AND ctid < '(${bounds[i + 1]},0)'::tid`,
  );
  return { ranges, snapshot };
}

export interface CopyHandles {
  /** A handle whose transaction stays open for the whole read: ranges import its snapshot. */
  snapshot: Db;
  /** Where the read runs when it is one stream. */
  reader: Db;
  parallel?: ParallelRead;
}

/**
 * Runs `COPY (select [WHERE range]) …` for each range at once (or once) into `sinkFor(i)`; returns the number of
 * ranges, in table order. `select` must end with its FROM clause.
 */
export async function copyRanges(
  handles: CopyHandles,
  qualified: string,
  select: string,
  sinkFor: (range: number, ranges: number) => CopySink,
): Promise<number> {
  const { parallel } = handles;
  const ranges = await plan(handles.snapshot, qualified, parallel);
  if (!ranges) {
    await handles.reader.copyOut(select, sinkFor(0, 1));
    return 1;
  }
  const n = ranges.ranges.length;
  await Promise.all(
    ranges.ranges.map((where, i) =>
      parallel!.pool.transaction(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await tx.query(`SET TRANSACTION SNAPSHOT '${ranges.snapshot}'`);
        await tx.copyOut(`${select} WHERE ${where}`, sinkFor(i, n));
      }),
    ),
  );
  return n;
}
