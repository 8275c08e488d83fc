// The vector benchmark: PostgresML 2.0's dot-product table on a real PostgreSQL, reproduced and compared with
// our paths (cold fetch + parse + compute, warm native matrix, kernel-only), all measured in one run.
import os from 'node:os';
import pg from 'pg';
import { collectCopy, parseCopyFloatArrays as parseCopyInJs } from '@pgml-ts/core';
import * as native from '@pgml-ts/native';
import { createPgDb } from '@pgml-ts/sdk';
import { measure, type Timing } from '../timing.js';
import { IN_DATABASE_VARIANTS, installVariants, rankingQuery } from './in-database.js';
import { jsTopDot } from './kernels-js.js';
import { EMBEDDINGS_TABLE, queryVector, seedEmbeddings } from './seed.js';

export type VectorGroup = 'in-database' | 'cold (fetch + compute)' | 'cold parts' | 'warm' | 'kernel only';

export interface VectorRow extends Timing {
  id: string;
  label: string;
  group: VectorGroup;
  /** SQL's median divided by this row's median: how many times faster than pure SQL. */
  speedupVsSql?: number;
}

export interface VectorTarget {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface VectorReport {
  benchmark: 'vector';
  createdAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; postgres: string; native: unknown };
  rows: number;
  dim: number;
  runs: number;
  results: VectorRow[];
  unavailable: Record<string, string>;
  targets: VectorTarget[];
}

export interface VectorOptions {
  databaseUrl: string;
  rows?: number;
  dim?: number;
  runs?: number;
  progress?: (message: string) => void;
}

export async function runVectorBenchmark(options: VectorOptions): Promise<VectorReport> {
  const { databaseUrl, rows = 10_000, dim = 128, runs = 9 } = options;
  const progress = options.progress ?? (() => {});
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const db = createPgDb(databaseUrl);
  const results: VectorRow[] = [];
  const add = (id: string, label: string, group: VectorGroup, timing: Timing): void => {
    results.push({ id, label, group, ...timing });
    progress(`${label}: ${timing.medianMs.toFixed(3)} ms`);
  };
  try {
    progress(`seeding ${rows} × ${dim} FLOAT4[] embeddings`);
    await seedEmbeddings(client, rows, dim);
    const unavailable = Object.fromEntries(await installVariants(client));
    const query = queryVector(dim);
    const queryParam = Array.from(query);
    const postgres = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? 'unknown';

    // In-database rows are slow (~100 ms each): fewer warm-ups, the same number of timed runs.
    for (const variant of IN_DATABASE_VARIANTS) {
      if (unavailable[variant.id]) continue;
      const sql = rankingQuery(variant, EMBEDDINGS_TABLE);
      add(variant.id, variant.label, 'in-database', await measure(() => client.query(sql, [queryParam]), { warmup: 1, runs }));
    }

    const copySql = `SELECT vector FROM ${EMBEDDINGS_TABLE}`;
    const copy = await collectCopy(db, copySql);
    const parsedInJs = parseCopyInJs(copy);
    const matrix = float4Data(native.parseCopyFloatArrays(copy));
    checkSameMatrix(parsedInJs.data, matrix);

    add('fetch', 'binary COPY fetch (pg)', 'cold parts', await measure(() => collectCopy(db, copySql), { runs }));
    add('parse-js', 'parse COPY in JS', 'cold parts', await measure(() => parseCopyInJs(copy), { runs }));
    add('parse-rust', 'parse COPY in Rust', 'cold parts', await measure(() => native.parseCopyFloatArrays(copy), { runs }));
    add('cold-js-parse', 'fetch + JS parse + top-1', 'cold (fetch + compute)', await measure(async () => {
      return native.topK(query, float4Data(parseCopyInJs(await collectCopy(db, copySql))), dim, 1, 'dot');
    }, { runs }));
    add('cold-rust-parse', 'fetch + Rust parse + top-1', 'cold (fetch + compute)', await measure(async () => {
      return native.topK(query, float4Data(native.parseCopyFloatArrays(await collectCopy(db, copySql))), dim, 1, 'dot');
    }, { runs }));

    const warm = native.NativeMatrix.fromCopy(copy);
    try {
      add('warm-topk', 'warm NativeMatrix top-1', 'warm', await measure(() => warm.topK(query, 1, 'dot'), { runs }));
    } finally {
      warm.free();
    }

    add('kernel-js', 'JS loop (dot scan)', 'kernel only', await measure(() => jsTopDot(query, matrix, dim), { runs }));
    add('kernel-native', 'native scoreRows (dot scan)', 'kernel only', await measure(() => native.scoreRows(query, matrix, dim, 'dot'), { runs }));
    add('kernel-native-topk', 'native topK (scan + top-1)', 'kernel only', await measure(() => native.topK(query, matrix, dim, 1, 'dot'), { runs }));
    add('kernel-blas', 'OpenBLAS sgemv', 'kernel only', await measure(() => native.blasSgemv(matrix, dim, query), { runs }));

    const sql = results.find((r) => r.id === 'sql');
    if (sql) for (const row of results) row.speedupVsSql = sql.medianMs / row.medianMs;

    return {
      benchmark: 'vector',
      createdAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        postgres,
        native: native.nativeInfo(),
      },
      rows,
      dim,
      runs,
      results,
      unavailable,
      targets: evaluateTargets(results),
    };
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${EMBEDDINGS_TABLE}`).catch(() => {});
    await client.end();
    await db.close();
  }
}

/** The seed table is FLOAT4[], so both parsers must hand back a Float32Array. */
function float4Data(parsed: { data: Float32Array | Float64Array }): Float32Array {
  if (!(parsed.data instanceof Float32Array)) throw new Error('expected a FLOAT4[] column to parse into a Float32Array');
  return parsed.data;
}

function checkSameMatrix(a: Float32Array | Float64Array, b: Float32Array): void {
  if (a.length !== b.length) throw new Error(`JS and Rust COPY parsers disagree on length: ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) throw new Error(`JS and Rust COPY parsers disagree at element ${i}: ${a[i]} vs ${b[i]}`);
  }
}

function evaluateTargets(results: readonly VectorRow[]): VectorTarget[] {
  const ms = (id: string): number | undefined => results.find((r) => r.id === id)?.medianMs;
  const targets: VectorTarget[] = [];
  const ratio = (name: string, target: string, value: number | undefined, met: (v: number) => boolean, fmt: (v: number) => string): void => {
    if (value === undefined || !Number.isFinite(value)) return;
    targets.push({ name, target, measured: fmt(value), met: met(value) });
  };
  const nativeKernel = ms('kernel-native');
  const blas = ms('kernel-blas');
  ratio('native kernel vs OpenBLAS sgemv', '≤ 1.0× (time ratio)', nativeKernel && blas ? nativeKernel / blas : undefined, (v) => v <= 1, (v) => `${v.toFixed(2)}×`);
  const parseJs = ms('parse-js');
  const parseRust = ms('parse-rust');
  ratio('Rust COPY parse vs JS parse', '≥ 4× faster', parseJs && parseRust ? parseJs / parseRust : undefined, (v) => v >= 4, (v) => `${v.toFixed(1)}× faster`);
  const inDb = results.filter((r) => r.group === 'in-database');
  const fastestInDb = Math.min(...inDb.map((r) => r.medianMs));
  const cold = ms('cold-rust-parse');
  ratio('cold end-to-end vs fastest in-database variant', 'faster than every in-database variant', cold !== undefined && inDb.length ? fastestInDb / cold : undefined, (v) => v > 1, (v) => `${v.toFixed(1)}× faster`);
  const sql = ms('sql');
  const warm = ms('warm-topk');
  ratio('warm query vs in-database SQL', '≥ 1000× faster', sql && warm ? sql / warm : undefined, (v) => v >= 1000, (v) => `${v.toFixed(0)}× faster`);
  return targets;
}
