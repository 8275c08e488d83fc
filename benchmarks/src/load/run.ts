/**
 * The load run: N concurrent clients over one pg pool of N connections, each looping single-row predicts and batch
 * predicts for a fixed time, while a deployer alternates the project's live model (deploy the other model, then
 * roll back). Every answer is checked against the two models' known outputs; every deployment is timed from its
 * commit to the first answer the new model gave. Nothing here asserts speed: the report carries the figures.
 */
import { defaultModelCache, PostgresML, createPgDb, type ServingStats } from '@pgml-ts/sdk';
import pg from 'pg';
import { createLoadFixture, whichModel, type LoadFixture } from './fixture.js';

export interface LoadOptions {
  databaseUrl: string;
  clients?: number;
  durationMs?: number;
  /** Rows per batch predict (default 16). */
  batchRows?: number;
  /** Share of calls that are batch predicts (default 0.3). */
  batchShare?: number;
  /** Pause between deployments (default 1000 ms); 0 turns the deployer off. */
  deployEveryMs?: number;
  /**
   * How the clients learn deployments: `per-call` (one lookup query per call; default) or `auto` (in-process
   * serving, notified). Deployments are made by a second client on its own connections, as another process would.
   */
  serving?: 'per-call' | 'auto';
  /**
   * A call that started within this many ms after a deployment committed may still be answered by the previous
   * model (the notification's delivery; default 0 for per-call, which has no such window).
   */
  staleAllowanceMs?: number;
  /** Terminates the serving client's listening connection this often (0: never; default 0). */
  killListenerEveryMs?: number;
  progress?: (message: string) => void;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface DeploymentTiming {
  strategy: 'most_recent' | 'rollback';
  to: string;
  /** ms from the deploy call's commit to the first answer from the new model (null: no answer came back before the run ended). */
  firstServedMs: number | null;
}

export interface LoadReport {
  clients: number;
  durationS: number;
  requests: number;
  rows: number;
  errors: number;
  errorSamples: string[];
  throughputPerS: number;
  rowsPerS: number;
  latency: { single: LatencySummary; batch: LatencySummary; all: LatencySummary };
  cache: { hits: number; misses: number; hitRate: number };
  /** Answers equal to neither model's known output (or a batch mixing both): must be 0. */
  incompleteModelAnswers: number;
  /**
   * Calls started after a deployment committed (more than `staleAllowanceMs` after) that were still answered by the
   * previous model: must be 0.
   */
  staleAfterCommit: number;
  staleAllowanceMs: number;
  /** The serving client's `servingStats()` at the end, and how often its listener was killed. */
  serving: ServingStats & { listenerKills: number };
  deployments: DeploymentTiming[];
  /** The slowest deploy-to-first-served time, ms. */
  maxFirstServedMs: number | null;
  answersByModel: Record<string, number>;
}

interface Live {
  /** Index (0/1) of the model deployed last. */
  model: number;
  /** Bumped when a deploy call starts and when it commits: a call that saw no bump ran against one deployment. */
  epoch: number;
  deploying: boolean;
  /** performance.now() of the last deployment's commit. */
  committedAt: number;
  pending?: { timing: DeploymentTiming; committedAt: number; model: number };
}

interface CallStart {
  model: number;
  epoch: number;
  deploying: boolean;
  began: number;
  committedAt: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const clients = options.clients ?? 50;
  const durationMs = options.durationMs ?? 10_000;
  const batchShare = options.batchShare ?? 0.3;
  const deployEveryMs = options.deployEveryMs ?? 1000;
  const log = options.progress ?? (() => undefined);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: clients + 2 });
  pool.on('error', () => undefined);
  const serving = options.serving ?? 'per-call';
  const pgml = await PostgresML.connect({ db: createPgDb(pool), serving: { mode: serving } });
  const deployerPool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  deployerPool.on('error', () => undefined);
  const deployerClient = await PostgresML.connect({ db: createPgDb(deployerPool), serving: { mode: 'per-call' } });
  let fixture: LoadFixture | undefined;
  try {
    fixture = await createLoadFixture(deployerClient, options.batchRows ? { batchRows: options.batchRows } : {});
    log(`project ${JSON.stringify(fixture.project)}: models ${fixture.models.map((m) => `${m.modelId} (${m.algorithm})`).join(', ')}`);
    // Open every connection before the clock starts, so the first second does not measure connection setup.
    await Promise.all(Array.from({ length: clients }, () => pgml.predict(fixture!.project, fixture!.inputs[0]!)));
    const cacheBefore = defaultModelCache.stats();
    const staleAllowanceMs = options.staleAllowanceMs ?? 0;
    const killListenerEveryMs = options.killListenerEveryMs ?? 0;
    return await drive(pgml, deployerClient, fixture, { clients, durationMs, batchShare, deployEveryMs, log, cacheBefore, staleAllowanceMs, killListenerEveryMs });
  } finally {
    await fixture?.drop().catch(() => undefined);
    await pgml.close();
    await deployerClient.close();
    await pool.end();
    await deployerPool.end();
  }
}

interface DriveOptions {
  clients: number;
  durationMs: number;
  batchShare: number;
  deployEveryMs: number;
  log: (m: string) => void;
  cacheBefore: { hits: number; misses: number };
  staleAllowanceMs: number;
  killListenerEveryMs: number;
}

async function drive(pgml: PostgresML, deployerClient: PostgresML, fixture: LoadFixture, o: DriveOptions): Promise<LoadReport> {
  const single: number[] = [];
  const batch: number[] = [];
  const errorSamples: string[] = [];
  const answersByModel: Record<string, number> = {};
  let errors = 0;
  let rows = 0;
  let incomplete = 0;
  let stale = 0;
  const live: Live = { model: 0, epoch: 0, deploying: false, committedAt: -Infinity };
  let listenerKills = 0;
  const deployments: DeploymentTiming[] = [];
  const start = performance.now();
  const deadline = start + o.durationMs;

  const record = (model: number, call: CallStart): void => {
    if (model < 0) {
      incomplete++;
      return;
    }
    const name = fixture.models[model]!.algorithm;
    answersByModel[name] = (answersByModel[name] ?? 0) + 1;
    // No deployment started or committed while this call ran, yet it was not answered by the one live when it
    // started: a committed deployment was not seen (or an old one came back).
    // In-process serving may answer from the previous model until the notification arrives: calls that began within
    // the allowance after a commit are not counted.
    if (!call.deploying && call.epoch === live.epoch && model !== call.model && call.began - call.committedAt > o.staleAllowanceMs) stale++;
    const pending = live.pending;
    if (pending && model === pending.model && pending.timing.firstServedMs === null) {
      pending.timing.firstServedMs = performance.now() - pending.committedAt;
    }
  };

  const client = async (id: number): Promise<void> => {
    let n = id;
    while (performance.now() < deadline) {
      n = (n * 1103515245 + 12345) >>> 0;
      const isBatch = (n % 1000) / 1000 < o.batchShare;
      const began = performance.now();
      const call: CallStart = { model: live.model, epoch: live.epoch, deploying: live.deploying, began, committedAt: live.committedAt };
      try {
        if (isBatch) {
          const b = n % fixture.batches.length;
          const out = await pgml.predictBatch(fixture.project, fixture.batches[b]!);
          batch.push(performance.now() - began);
          rows += out.rows;
          record(whichModel(fixture.models.map((m) => m.batches[b]!), out.predictions as Float64Array), call);
        } else {
          const i = n % fixture.inputs.length;
          const out = Number(await pgml.predict(fixture.project, fixture.inputs[i]!));
          single.push(performance.now() - began);
          rows++;
          record(whichModel(fixture.models.map((m) => [m.single[i]!]), [out]), call);
        }
      } catch (error) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(String((error as Error).message ?? error));
      }
    }
  };

  const deployer = async (): Promise<void> => {
    if (o.deployEveryMs <= 0) return;
    let rollback = false;
    while (performance.now() + o.deployEveryMs < deadline) {
      await sleep(o.deployEveryMs);
      const target = 1 - live.model;
      const strategy = rollback ? 'rollback' : 'most_recent';
      live.deploying = true;
      live.epoch++;
      try {
        const result = rollback
          ? await deployerClient.deploy(fixture.project, { strategy: 'rollback' })
          : await deployerClient.deploy(fixture.project, { strategy: 'most_recent', algorithm: fixture.models[target]!.algorithm });
        // deploy() resolved: its transaction has committed.
        const committedAt = performance.now();
        live.committedAt = committedAt;
        const model = fixture.models.findIndex((m) => m.modelId === result.modelId);
        const timing: DeploymentTiming = { strategy, to: fixture.models[model]?.algorithm ?? String(result.modelId), firstServedMs: null };
        deployments.push(timing);
        live.pending = { timing, committedAt, model };
        live.model = model;
      } catch (error) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`deploy: ${String((error as Error).message ?? error)}`);
      } finally {
        live.deploying = false;
        live.epoch++;
      }
      rollback = !rollback;
    }
  };

  // The serving client's LISTEN connection, terminated by the server as a crash or an admin would.
  const killer = async (): Promise<void> => {
    if (o.killListenerEveryMs <= 0) return;
    while (performance.now() + o.killListenerEveryMs < deadline) {
      await sleep(o.killListenerEveryMs);
      const pid = pgml.servingStats().listenerPid;
      if (pid === null) continue;
      await deployerClient.db.query('SELECT pg_terminate_backend($1)', [pid]);
      listenerKills++;
    }
  };

  const ticker = setInterval(() => o.log(`${((performance.now() - start) / 1000).toFixed(0)} s: ${single.length + batch.length} calls, ${errors} errors`), 5000);
  try {
    await Promise.all([...Array.from({ length: o.clients }, (_, i) => client(i + 1)), deployer(), killer()]);
  } finally {
    clearInterval(ticker);
  }
  const elapsedS = (performance.now() - start) / 1000;
  const cache = defaultModelCache.stats();
  const hits = cache.hits - o.cacheBefore.hits;
  const misses = cache.misses - o.cacheBefore.misses;
  const served = deployments.map((d) => d.firstServedMs).filter((v): v is number => v !== null);
  return {
    clients: o.clients,
    durationS: round(elapsedS, 2),
    requests: single.length + batch.length,
    rows,
    errors,
    errorSamples,
    throughputPerS: round((single.length + batch.length) / elapsedS, 1),
    rowsPerS: round(rows / elapsedS, 1),
    latency: { single: summarize(single), batch: summarize(batch), all: summarize([...single, ...batch]) },
    cache: { hits, misses, hitRate: hits + misses === 0 ? 0 : round(hits / (hits + misses), 4) },
    incompleteModelAnswers: incomplete,
    staleAfterCommit: stale,
    staleAllowanceMs: o.staleAllowanceMs,
    serving: { ...pgml.servingStats(), listenerKills },
    deployments,
    maxFirstServedMs: served.length ? round(Math.max(...served), 2) : null,
    answersByModel,
  };
}

/** Count, p50, p99 and max of `samples` (ms), rounded to `digits` decimals. */
export function summarize(samples: number[], digits = 2): LatencySummary {
  if (samples.length === 0) return { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { count: sorted.length, p50Ms: round(at(0.5), digits), p99Ms: round(at(0.99), digits), maxMs: round(sorted[sorted.length - 1]!, digits) };
}

/** One line per figure, for test output and the bench's stderr. */
export function loadSummaryLines(r: LoadReport): string[] {
  return [
    `clients ${r.clients}, ${r.durationS} s: ${r.requests} calls (${r.rows} rows), errors ${r.errors}`,
    `throughput ${r.throughputPerS} calls/s, ${r.rowsPerS} rows/s`,
    `latency single p50 ${r.latency.single.p50Ms} ms / p99 ${r.latency.single.p99Ms} ms; batch p50 ${r.latency.batch.p50Ms} ms / p99 ${r.latency.batch.p99Ms} ms`,
    `model cache: ${r.cache.hits} hits, ${r.cache.misses} misses (hit rate ${(r.cache.hitRate * 100).toFixed(2)} %)`,
    `serving: ${r.serving.mode}, ${r.serving.hits} in-process hits, ${r.serving.lookups} lookups, ${r.serving.invalidations} invalidations, ` +
      `listener connected ${r.serving.connects}× (killed ${r.serving.listenerKills}×)`,
    `deployments during traffic: ${r.deployments.length}, first served after commit ≤ ${r.maxFirstServedMs ?? '—'} ms; ` +
      `incomplete-model answers ${r.incompleteModelAnswers}, stale after commit ${r.staleAfterCommit}`,
  ];
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
