/**
 * Per-column statistics recorded in a snapshot's `analysis` (PostgresML records them too): for every column the
 * row count and missing values, for numbers and booleans also min, max, mean, standard deviation and a histogram of
 * `HISTOGRAM_BINS` equal-width bins. Two streaming scans of the relation (per 300 / 80 columns): one aggregate pass,
 * then one that bins every value once and counts the bins — no sort.
 */
import type { Db } from '../db.js';
import { quoteIdent } from '../db/identifiers.js';
import type { SnapshotColumn } from './columns.js';

export const HISTOGRAM_BINS = 20;
/** PostgreSQL allows 1664 entries in a select list: wide relations are measured this many columns per scan. */
const COLUMNS_PER_SCAN = 300;
const HISTOGRAMS_PER_SCAN = 80;

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export interface ColumnStatistics {
  count: number;
  missing: number;
  min?: number | null;
  max?: number | null;
  mean?: number | null;
  stddev?: number | null;
  /** `counts[i]` values in [edges[i], edges[i+1]) (the last bin includes its right edge). */
  histogram?: { edges: number[]; counts: number[] };
}

const numeric = (c: SnapshotColumn): boolean => c.kind === 'number' || c.kind === 'boolean';

/** The column as float8 (booleans as 0/1). */
function asFloat(c: SnapshotColumn): string {
  return c.kind === 'boolean' ? `${quoteIdent(c.name)}::int::float8` : `${quoteIdent(c.name)}::float8`;
}

const finite = (value: unknown): number | null => {
  const n = value === null || value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : null;
};

/** `relation` is a quoted, qualified name the caller resolved. */
export async function columnStatistics(db: Db, relation: string, columns: readonly SnapshotColumn[]): Promise<Record<string, ColumnStatistics>> {
  const stats: Record<string, ColumnStatistics> = {};
  for (const part of chunks(columns, COLUMNS_PER_SCAN)) Object.assign(stats, await measure(db, relation, part));
  return stats;
}

async function measure(db: Db, relation: string, columns: readonly SnapshotColumn[]): Promise<Record<string, ColumnStatistics>> {
  const parts = ['count(*) AS total'];
  columns.forEach((c, i) => {
    parts.push(`count(${quoteIdent(c.name)}) AS c${i}`);
    if (numeric(c)) {
      const x = asFloat(c);
      parts.push(`min(${x}) AS min${i}`, `max(${x}) AS max${i}`, `avg(${x}) AS mean${i}`, `stddev_pop(${x}) AS std${i}`);
    }
  });
  const row = (await db.query<Record<string, unknown>>(`SELECT ${parts.join(', ')} FROM ${relation}`)).rows[0]!;
  const total = Number(row.total);
  const stats: Record<string, ColumnStatistics> = {};
  const binned: Array<{ index: number; min: number; max: number }> = [];
  columns.forEach((c, i) => {
    const count = Number(row[`c${i}`]);
    const s: ColumnStatistics = { count, missing: total - count };
    if (numeric(c)) {
      Object.assign(s, { min: finite(row[`min${i}`]), max: finite(row[`max${i}`]), mean: finite(row[`mean${i}`]), stddev: finite(row[`std${i}`]) });
      if (s.min !== null && s.max !== null) binned.push({ index: i, min: s.min!, max: s.max! });
    }
    stats[c.name] = s;
  });
  for (const part of chunks(binned, HISTOGRAMS_PER_SCAN)) await addHistograms(db, relation, columns, part, stats);
  return stats;
}

async function addHistograms(
  db: Db,
  relation: string,
  columns: readonly SnapshotColumn[],
  binned: Array<{ index: number; min: number; max: number }>,
  stats: Record<string, ColumnStatistics>,
): Promise<void> {
  // Each value's bin is computed once (inner select), then counted per bin.
  const buckets: string[] = [];
  const counts: string[] = [];
  for (const { index, min, max } of binned) {
    const x = asFloat(columns[index]!);
    const bins = max > min ? HISTOGRAM_BINS : 1;
    // width_bucket puts the maximum in bin bins + 1: it belongs to the last bin. (least() skips NULLs: test first.)
    const bin = max > min ? `least(width_bucket(${x}, ${min}::float8, ${max}::float8, ${bins}), ${bins})` : '1';
    buckets.push(`CASE WHEN ${x} IS NOT NULL THEN ${bin} END AS b${index}`);
    for (let b = 1; b <= bins; b++) counts.push(`count(*) FILTER (WHERE b${index} = ${b}) AS h${index}_${b}`);
  }
  const row = (await db.query<Record<string, unknown>>(`SELECT ${counts.join(', ')} FROM (SELECT ${buckets.join(', ')} FROM ${relation}) AS binned`)).rows[0]!;
  for (const { index, min, max } of binned) {
    const bins = max > min ? HISTOGRAM_BINS : 1;
    const width = (max - min) / bins;
    stats[columns[index]!.name]!.histogram = {
      edges: Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width)),
      counts: Array.from({ length: bins }, (_, b) => Number(row[`h${index}_${b + 1}`])),
    };
  }
}
