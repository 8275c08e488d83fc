/**
 * The end-to-end benchmark: the job users run — train from a PostgreSQL table, score a table — timed whole, side by
 * side in one run, for each way of doing it: the `pgml` CLI (native and python runtimes), the Python client a user
 * would write (benchmarks/python/e2e_client.py), PostgresML 1.0's PL/Python inside the database, and the floor: a
 * bare `COPY (SELECT …) TO STDOUT (FORMAT binary)` of the same columns into /dev/null by psql. Every process is timed
 * from spawn to exit, with its peak RSS (GNU time).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { e2eTables, seedE2eTables, type E2eTable } from './tables.js';
import { installPlpython, PLPYTHON_TRAIN } from './plpython.js';

export type RunnerId = 'floor' | 'pgml-native' | 'pgml-python' | 'python-client' | 'plpython' | 'pgml';

export interface Measurement {
  runner: RunnerId;
  /** Wall seconds of the whole process (the in-database function: of its SQL call). */
  seconds: number;
  peakRssMb?: number;
  /** The runner's own breakdown (pgml: `timings`; Python: its stages). */
  stages?: Record<string, number>;
  /** r2 (regression) or f1 (classification) on the runner's own test split. */
  metric?: number;
  error?: string;
}

export interface E2eCase {
  id: string;
  label: string;
  kind: 'train' | 'score';
  table: string;
  rows: number;
  measurements: Measurement[];
}

export interface E2eTarget {
  name: string;
  wanted: string;
  measured: string;
  met: boolean;
}

export interface E2eReport {
  benchmark: 'e2e';
  createdAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; postgres: string; sharedBuffers: string };
  cases: E2eCase[];
  targets: E2eTarget[];
}

export interface E2eOptions {
  databaseUrl: string;
  psql: string;
  /** Table sizes relative to the issue's (1 = 1M rows); smaller for a quick look. */
  scale?: number;
  /** Only these case ids. */
  cases?: string[];
  progress?: (message: string) => void;
}

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO, 'packages/sdk/bin/pgml.js');
const CLIENT = join(REPO, 'benchmarks/python/e2e_client.py');
const PYTHON = process.env.PGML_PYTHON || '/usr/bin/python3';

interface CaseSpec {
  id: string;
  label: string;
  table: string;
  task: 'regression' | 'classification';
  algorithm: 'linear' | 'xgboost';
  runners: RunnerId[];
}

const CASES: CaseSpec[] = [
  { id: 'num_reg_linear', label: '1M × 20 float8, regression, linear', table: 'e2e_num_reg', task: 'regression', algorithm: 'linear', runners: ['floor', 'pgml-native', 'pgml-python', 'python-client', 'plpython'] },
  { id: 'num_reg_xgboost', label: '1M × 20 float8, regression, xgboost', table: 'e2e_num_reg', task: 'regression', algorithm: 'xgboost', runners: ['floor', 'pgml-native', 'pgml-python', 'python-client', 'plpython'] },
  { id: 'num_cls_linear', label: '1M × 20 float8, 3 classes, linear (logistic)', table: 'e2e_num_cls', task: 'classification', algorithm: 'linear', runners: ['floor', 'pgml-native', 'pgml-python', 'python-client', 'plpython'] },
  { id: 'embeddings_linear', label: '100k × real[256] embedding, 2 classes, linear (logistic)', table: 'e2e_embeddings', task: 'classification', algorithm: 'linear', runners: ['floor', 'pgml-native', 'pgml-python', 'python-client', 'plpython'] },
  { id: 'mixed_xgboost', label: '500k × 16 float8 + 2 text (one_hot), regression, xgboost', table: 'e2e_mixed', task: 'regression', algorithm: 'xgboost', runners: ['floor', 'pgml-native', 'pgml-python', 'python-client', 'plpython'] },
];

/** Runs `command` to completion under GNU time: wall seconds, peak RSS, stdout. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ seconds: number; peakRssMb: number; stdout: string; stderr: string; code: number }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'pgml-e2e-'));
  const rssFile = join(dir, 'rss');
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
      rmSync(dir, { recursive: true, force: true });
      resolve({ seconds, peakRssMb: kb / 1024, stdout, stderr, code: code ?? 1 });
    });
  });
}

function quoted(columns: readonly string[]): string {
  return columns.map((c) => `"${c}"`).join(', ');
}

async function floor(options: E2eOptions, table: E2eTable, columns: string[]): Promise<Measurement> {
  const copy = `\\copy (SELECT ${quoted(columns)} FROM ${table.name}) TO '/dev/null' WITH (FORMAT binary)`;
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await timed(options.psql, [options.databaseUrl, '-X', '-q', '-c', copy]));
  const failed = runs.find((r) => r.code !== 0);
  if (failed) return { runner: 'floor', seconds: Number.NaN, error: failed.stderr.trim() };
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return { runner: 'floor', seconds: sorted[1]!.seconds, peakRssMb: sorted[1]!.peakRssMb };
}

function metricOf(task: string, metrics: Record<string, number>): number {
  return task === 'regression' ? metrics.r2! : metrics.f1!;
}

async function pgmlTrain(options: E2eOptions, spec: CaseSpec, table: E2eTable, runtime: 'native' | 'python'): Promise<Measurement> {
  const runner: RunnerId = runtime === 'native' ? 'pgml-native' : 'pgml-python';
  const preprocess = table.categorical ? { preprocess: Object.fromEntries(table.categorical.map((c) => [c, { encode: 'one_hot' }])) } : {};
  const args = [
    CLI, 'train', '--database-url', options.databaseUrl, '--project', `e2e ${spec.id} ${runtime}`, '--task', spec.task,
    '--relation', table.name, '--y', table.label!, '--algorithm', spec.algorithm, '--runtime', runtime, '--json', '--quiet',
    ...('preprocess' in preprocess ? ['--preprocess', JSON.stringify(preprocess.preprocess)] : []),
  ];
  const run = await timed(process.execPath, args);
  if (run.code !== 0) return { runner, seconds: run.seconds, error: (run.stdout || run.stderr).trim().slice(0, 500) };
  const result = JSON.parse(run.stdout) as { metrics: Record<string, number>; timings: Record<string, number> };
  return { runner, seconds: run.seconds, peakRssMb: run.peakRssMb, stages: result.timings, metric: metricOf(spec.task, result.metrics) };
}

function clientArgs(table: E2eTable): string[] {
  const arrays = table.features.filter((f) => f === 'embedding');
  return ['--features', table.features.join(','), '--arrays', arrays.join(','), '--categorical', (table.categorical ?? []).join(',')];
}

async function pythonClientTrain(options: E2eOptions, spec: CaseSpec, table: E2eTable): Promise<Measurement> {
  const run = await timed(PYTHON, [
    CLIENT, 'train', '--dsn', options.databaseUrl, '--table', table.name, '--name', spec.id, ...clientArgs(table),
    '--label', table.label!, '--task', spec.task, '--algorithm', spec.algorithm,
  ]);
  if (run.code !== 0) return { runner: 'python-client', seconds: run.seconds, error: run.stderr.trim().slice(-500) };
  const result = JSON.parse(run.stdout) as { seconds: Record<string, number>; metric: number };
  return { runner: 'python-client', seconds: run.seconds, peakRssMb: run.peakRssMb, stages: result.seconds, metric: result.metric };
}

async function plpythonTrain(client: pg.Client, spec: CaseSpec, table: E2eTable): Promise<Measurement> {
  const start = performance.now();
  try {
    const arrays = table.features.filter((f) => f === 'embedding');
    const result = await client.query<{ r: string }>(`SELECT ${PLPYTHON_TRAIN}($1, $2, $3, $4, $5, $6, $7, $8) AS r`, [
      table.name, table.label, spec.task, spec.algorithm, table.features, arrays, table.categorical ?? [], spec.id,
    ]);
    const parsed = JSON.parse(result.rows[0]!.r) as { seconds: Record<string, number>; metric: number };
    return { runner: 'plpython', seconds: (performance.now() - start) / 1000, stages: parsed.seconds, metric: parsed.metric };
  } catch (error) {
    return { runner: 'plpython', seconds: (performance.now() - start) / 1000, error: (error as Error).message };
  }
}

async function scoreCase(options: E2eOptions, table: E2eTable): Promise<E2eCase> {
  const progress = options.progress ?? (() => {});
  const measurements: Measurement[] = [];
  progress(`score: floor`);
  measurements.push(await floor(options, table, [table.key!, ...table.features]));
  progress(`score: pgml predict --into`);
  const ours = await timed(process.execPath, [
    CLI, 'predict', '--database-url', options.databaseUrl, '--project', 'e2e num_reg_linear native', '--relation', table.name,
    '--key', table.key!, '--into', 'e2e_scores_pgml', '--replace', '--json', '--quiet',
  ]);
  measurements.push(
    ours.code === 0
      ? { runner: 'pgml', seconds: ours.seconds, peakRssMb: ours.peakRssMb, stages: { scoring: (JSON.parse(ours.stdout) as { seconds: number }).seconds } }
      : { runner: 'pgml', seconds: ours.seconds, error: ours.stdout.trim().slice(0, 500) },
  );
  progress(`score: python client`);
  const client = await timed(PYTHON, [
    CLIENT, 'score', '--dsn', options.databaseUrl, '--table', table.name, '--name', 'num_reg_linear', ...clientArgs(table),
    '--key', table.key!, '--into', 'e2e_scores_client',
  ]);
  measurements.push(
    client.code === 0
      ? { runner: 'python-client', seconds: client.seconds, peakRssMb: client.peakRssMb, stages: (JSON.parse(client.stdout) as { seconds: Record<string, number> }).seconds }
      : { runner: 'python-client', seconds: client.seconds, error: client.stderr.trim().slice(-500) },
  );
  return { id: 'score_1m', label: `score ${table.rows.toLocaleString('en')} rows into a table (linear model)`, kind: 'score', table: table.name, rows: table.rows, measurements };
}

export async function runE2eBenchmark(options: E2eOptions): Promise<E2eReport> {
  const progress = options.progress ?? (() => {});
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const tables = e2eTables(options.scale ?? 1);
    await seedE2eTables(client, tables, { progress });
    // A clean pgml schema: every train of this run starts from the same state.
    await client.query('DROP SCHEMA IF EXISTS pgml CASCADE');
    const plpythonUnavailable = await installPlpython(client);
    const postgres = (await client.query<{ v: string; b: string }>("SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS b")).rows[0]!;
    const cases: E2eCase[] = [];
    const wanted = (id: string) => !options.cases || options.cases.includes(id);
    for (const spec of CASES.filter((c) => wanted(c.id))) {
      const table = tables.find((t) => t.name === spec.table)!;
      const measurements: Measurement[] = [];
      for (const runner of spec.runners) {
        progress(`${spec.id}: ${runner}`);
        let m: Measurement;
        if (runner === 'floor') m = await floor(options, table, [...table.features, table.label!]);
        else if (runner === 'pgml-native' || runner === 'pgml-python') m = await pgmlTrain(options, spec, table, runner === 'pgml-native' ? 'native' : 'python');
        else if (runner === 'python-client') m = await pythonClientTrain(options, spec, table);
        else m = plpythonUnavailable ? { runner, seconds: Number.NaN, error: plpythonUnavailable } : await plpythonTrain(client, spec, table);
        progress(`${spec.id}: ${runner} ${m.error ? `failed: ${m.error}` : `${m.seconds.toFixed(2)} s`}`);
        measurements.push(m);
      }
      cases.push({ id: spec.id, label: spec.label, kind: 'train', table: table.name, rows: table.rows, measurements });
    }
    if (wanted('score_1m')) cases.push(await scoreCase(options, tables.find((t) => t.name === 'e2e_score')!));
    const cpus = os.cpus();
    return {
      benchmark: 'e2e',
      createdAt: new Date().toISOString(),
      machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: postgres.v, sharedBuffers: postgres.b },
      cases,
      targets: e2eTargets(cases),
    };
  } finally {
    await client.end();
  }
}

const seconds = (c: E2eCase | undefined, runner: RunnerId): number => c?.measurements.find((m) => m.runner === runner && !m.error)?.seconds ?? Number.NaN;
const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'not measured');

/** The issue's targets, each with the ratio this run measured. */
export function e2eTargets(cases: E2eCase[]): E2eTarget[] {
  const byId = (id: string) => cases.find((c) => c.id === id);
  const targets: E2eTarget[] = [];
  for (const id of ['num_reg_linear', 'num_cls_linear']) {
    const c = byId(id);
    if (!c) continue;
    const ours = seconds(c, 'pgml-native');
    const python = Math.min(seconds(c, 'python-client'), seconds(c, 'plpython'));
    targets.push({ name: `${c.label}: vs the faster Python`, wanted: '≥ 5× faster', measured: `${ratio(python, ours)} faster`, met: python / ours >= 5 });
    targets.push({ name: `${c.label}: vs the binary COPY floor`, wanted: '≤ 2× the floor', measured: `${ratio(ours, seconds(c, 'floor'))} the floor`, met: ours / seconds(c, 'floor') <= 2 });
  }
  const emb = byId('embeddings_linear');
  if (emb) {
    const r = seconds(emb, 'plpython') / seconds(emb, 'pgml-native');
    targets.push({ name: `${emb.label}: vs in-database PL/Python`, wanted: '≥ 5× faster', measured: `${ratio(seconds(emb, 'plpython'), seconds(emb, 'pgml-native'))} faster`, met: r >= 5 });
  }
  const xgb = byId('num_reg_xgboost');
  if (xgb) {
    const r = seconds(xgb, 'python-client') / seconds(xgb, 'pgml-native');
    targets.push({ name: `${xgb.label}: vs the Python client`, wanted: '≥ 3× faster', measured: `${ratio(seconds(xgb, 'python-client'), seconds(xgb, 'pgml-native'))} faster`, met: r >= 3 });
    const ours = xgb.measurements.find((m) => m.runner === 'pgml-native')?.metric ?? Number.NaN;
    const theirs = xgb.measurements.find((m) => m.runner === 'python-client')?.metric ?? Number.NaN;
    targets.push({ name: `${xgb.label}: quality`, wanted: 'r2 within 0.005 of the Python client', measured: `${ours.toFixed(4)} vs ${theirs.toFixed(4)}`, met: Math.abs(ours - theirs) <= 0.005 });
  }
  const score = byId('score_1m');
  if (score) {
    const r = seconds(score, 'python-client') / seconds(score, 'pgml');
    targets.push({ name: `${score.label}: vs the Python client`, wanted: '≥ 10× faster', measured: `${ratio(seconds(score, 'python-client'), seconds(score, 'pgml'))} faster`, met: r >= 10 });
  }
  const reg = byId('num_reg_linear');
  const rss = reg?.measurements.find((m) => m.runner === 'pgml-native')?.peakRssMb;
  if (reg && rss !== undefined) {
    const matrixMb = (reg.rows * 20 * 8) / 2 ** 20;
    targets.push({ name: `${reg.label}: peak RSS of the whole train process`, wanted: `≤ 2× the float64 matrix (${(2 * matrixMb).toFixed(0)} MiB)`, measured: `${rss.toFixed(0)} MiB (${(rss / matrixMb).toFixed(2)}×)`, met: rss <= 2 * matrixMb });
  }
  return targets;
}
