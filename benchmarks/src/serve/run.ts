/**
 * The serve benchmark: single-row predicts/s with deployments flipping every second, in-process serving (`auto`:
 * notified, no query per call) against the per-call lookup, measured side by side in one run; deploy commit →
 * first answer from the new model; N processes against one server; bytes allocated per predict. Nothing asserts
 * speed: the report carries the figures.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PostgresML, createPgDb } from '@pgml-ts/sdk';
import pg from 'pg';
import { createLoadFixture, type LoadFixture, type ModelSpec } from '../load/fixture.js';
import { summarize, type LatencySummary } from '../load/run.js';
import { allocationPerCall, type AllocationReport } from './allocation.js';
import { serveTraffic, sleep, type ServeMode, type TrafficSpec } from './traffic.js';

export const SERVE_MODELS: Record<string, [ModelSpec, ModelSpec]> = {
  linear: [
    { name: 'linear', algorithm: 'linear' },
    { name: 'ridge', algorithm: 'ridge', hyperparams: { alpha: 5000 } },
  ],
  random_forest: [
    { name: 'random_forest 100 trees, depth 8', algorithm: 'random_forest', hyperparams: { n_estimators: 100, max_depth: 8, random_state: 1 } },
    { name: 'random_forest 100 trees, depth 3', algorithm: 'random_forest', hyperparams: { n_estimators: 100, max_depth: 3, random_state: 2 } },
  ],
  xgboost: [
    { name: 'xgboost 100 rounds', algorithm: 'xgboost', hyperparams: { n_estimators: 100 } },
    { name: 'xgboost 10 rounds', algorithm: 'xgboost', hyperparams: { n_estimators: 10 } },
  ],
};

export interface ServeOptions {
  databaseUrl: string;
  /** Seconds of traffic per phase. */
  durationMs: number;
  clients: number;
  processes: number;
  deployEveryMs: number;
  algorithms: string[];
  progress?: (message: string) => void;
}

export interface PhaseReport {
  algorithm: string;
  mode: ServeMode;
  processes: number;
  clients: number;
  calls: number;
  callsPerS: number;
  latency: LatencySummary;
  errors: number;
  errorSamples: string[];
  /** Answers equal to neither model's: must be 0. */
  wrongAnswers: number;
  /**
   * Calls started after a deployment had committed (+ the notification bound) but answered by the previous model;
   * null where not measured (multi-process phases: the workers' clocks are checked for wrong answers only).
   */
  staleAnswers: number | null;
  deployments: number;
  /** Deploy commit → first answer from the new model, ms (in-process phases). */
  firstServed: LatencySummary | null;
  /** Deployment lookups the clients ran (database queries for predict), per second. */
  lookupsPerS: number;
}

export interface ServeReport {
  generatedAt: string;
  machine: { cpus: number; node: string };
  options: Omit<ServeOptions, 'databaseUrl' | 'progress'>;
  /** Staleness allowed in `staleAnswers` for `auto` (the README's documented bound), ms. */
  staleAllowanceMs: number;
  phases: PhaseReport[];
  allocation: AllocationReport;
}

/** In `auto` mode a call that starts within this long after a commit may still get the previous model. */
export const STALE_ALLOWANCE_MS = 250;

export async function runServe(options: ServeOptions): Promise<ServeReport> {
  const log = options.progress ?? (() => undefined);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 3 });
  pool.on('error', () => undefined);
  const deployer = await PostgresML.connect({ db: createPgDb(pool), serving: { mode: 'per-call' } });
  const phases: PhaseReport[] = [];
  let allocation: AllocationReport | undefined;
  try {
    for (const algorithm of options.algorithms) {
      const pair = SERVE_MODELS[algorithm];
      if (!pair) throw new Error(`no serve models for ${algorithm}: choose from ${Object.keys(SERVE_MODELS).join(', ')}`);
      log(`${algorithm}: training the two models`);
      const fixture = await createLoadFixture(deployer, { models: pair, inputs: 64 });
      try {
        for (const mode of ['per-call', 'auto'] as const) {
          const phase = await inProcessPhase(deployer, fixture, algorithm, mode, options);
          log(`${algorithm} ${mode}: ${phase.callsPerS} calls/s, p99 ${phase.latency.p99Ms} ms, first served p99 ${phase.firstServed?.p99Ms ?? '—'} ms`);
          phases.push(phase);
        }
        if (algorithm === 'linear') {
          for (const mode of ['per-call', 'auto'] as const) {
            const phase = await multiProcessPhase(deployer, fixture, algorithm, mode, options);
            log(`${algorithm} ${mode} × ${options.processes} processes: ${phase.callsPerS} calls/s`);
            phases.push(phase);
          }
          allocation = await allocationPerCall(options.databaseUrl, fixture);
        }
      } finally {
        await fixture.drop().catch(() => undefined);
      }
    }
  } finally {
    await deployer.close();
    await pool.end();
  }
  const { databaseUrl: _url, progress: _progress, ...shown } = options;
  return {
    generatedAt: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).availableParallelism(), node: process.version },
    options: shown,
    staleAllowanceMs: STALE_ALLOWANCE_MS,
    phases,
    allocation: allocation ?? { note: 'linear not run' },
  };
}

function trafficSpec(options: ServeOptions, fixture: LoadFixture, mode: ServeMode): TrafficSpec {
  return {
    databaseUrl: options.databaseUrl,
    project: fixture.project,
    mode,
    clients: options.clients,
    durationMs: options.durationMs,
    inputs: fixture.inputs.map((x) => Float64Array.from(x)),
    expected: [fixture.models[0].single, fixture.models[1].single],
  };
}

interface Flip {
  /** When the deploy call began (the previous deployment is live until then at least). */
  startedAt: number;
  /** When it returned (committed by then). */
  committedAt: number;
  model: number;
}

/** Alternates the deployed model until `done` says stop; commit times on the `performance.timeOrigin` clock. */
async function flipDeployments(deployer: PostgresML, fixture: LoadFixture, everyMs: number, done: () => boolean): Promise<Flip[]> {
  const flips: Flip[] = [];
  let model = 0;
  while (!done()) {
    await sleep(everyMs);
    if (done()) break;
    model = 1 - model;
    const startedAt = performance.timeOrigin + performance.now();
    await deployer.deploy(fixture.models[model]!.modelId);
    flips.push({ startedAt, committedAt: performance.timeOrigin + performance.now(), model });
  }
  // Leave the first model deployed for the next phase.
  if (model !== 0) await deployer.deploy(fixture.models[0]!.modelId);
  return flips;
}

async function inProcessPhase(deployer: PostgresML, fixture: LoadFixture, algorithm: string, mode: ServeMode, options: ServeOptions): Promise<PhaseReport> {
  let warm = false;
  let finished = false;
  const traffic = serveTraffic(trafficSpec(options, fixture, mode), () => (warm = true)).finally(() => (finished = true));
  while (!warm && !finished) await sleep(10);
  const flips = flipDeployments(deployer, fixture, options.deployEveryMs, () => finished);
  const result = await traffic;
  const deployments = await flips;
  const served: number[] = [];
  let stale = 0;
  const allowance = mode === 'auto' ? STALE_ALLOWANCE_MS : 0;
  const { startedAt, endedAt, model } = result.answers;
  deployments.forEach((flip, k) => {
    // Until the next deploy call begins, this deployment is the live one.
    const next = deployments[k + 1]?.startedAt ?? Infinity;
    let first = Infinity;
    for (let i = 0; i < startedAt.length; i++) {
      if (startedAt[i]! < flip.committedAt || startedAt[i]! >= next) continue;
      if (model[i] === flip.model) first = Math.min(first, endedAt[i]!);
      else if (model[i]! >= 0 && startedAt[i]! - flip.committedAt > allowance) stale++;
    }
    if (first < Infinity) served.push(Math.max(0, first - flip.committedAt));
  });
  const seconds = options.durationMs / 1000;
  return {
    algorithm,
    mode,
    processes: 1,
    clients: options.clients,
    calls: result.calls,
    callsPerS: Math.round(result.calls / seconds),
    latency: summarize(Array.from(result.latencies), 4),
    errors: result.errors,
    errorSamples: result.errorSamples,
    wrongAnswers: result.wrongAnswers,
    staleAnswers: stale,
    deployments: deployments.length,
    firstServed: served.length ? summarize(served) : null,
    lookupsPerS: Math.round(result.serving.lookups / seconds),
  };
}

interface WorkerSummary {
  calls: number;
  errors: number;
  errorSamples: string[];
  wrongAnswers: number;
  latency: LatencySummary;
  lookups: number;
}

async function multiProcessPhase(deployer: PostgresML, fixture: LoadFixture, algorithm: string, mode: ServeMode, options: ServeOptions): Promise<PhaseReport> {
  const spec = trafficSpec(options, fixture, mode);
  const payload = JSON.stringify({ ...spec, inputs: spec.inputs.map((x) => Array.from(x)) });
  const script = fileURLToPath(new URL('./worker.js', import.meta.url));
  let warm = 0;
  let finished = 0;
  const workers = Array.from({ length: options.processes }, () =>
    new Promise<WorkerSummary>((resolve, reject) => {
      const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.startsWith('warm\n') && !out.slice(5).length) warm++;
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        finished++;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (code === 0 && line) resolve(JSON.parse(line) as WorkerSummary);
        else reject(new Error(`serve worker exited with ${code}`));
      });
      child.stdin.end(payload);
    }),
  );
  while (warm < options.processes && finished === 0) await sleep(10);
  const flips = flipDeployments(deployer, fixture, options.deployEveryMs, () => finished === options.processes);
  const results = await Promise.all(workers);
  const deployments = await flips;
  const seconds = options.durationMs / 1000;
  const calls = results.reduce((sum, r) => sum + r.calls, 0);
  return {
    algorithm,
    mode,
    processes: options.processes,
    clients: options.clients * options.processes,
    calls,
    callsPerS: Math.round(calls / seconds),
    // The slowest process's figures: a combined percentile needs every sample.
    latency: results.reduce((worst, r) => (r.latency.p99Ms > worst.p99Ms ? r.latency : worst), results[0]!.latency),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 5),
    wrongAnswers: results.reduce((sum, r) => sum + r.wrongAnswers, 0),
    staleAnswers: null,
    deployments: deployments.length,
    firstServed: null,
    lookupsPerS: Math.round(results.reduce((sum, r) => sum + r.lookups, 0) / seconds),
  };
}
