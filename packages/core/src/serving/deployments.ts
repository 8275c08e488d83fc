/**
 * In-process serving: which model answers a project's predict, kept in this process instead of asked per call.
 *
 * Every change to `pgml.deployments` (deploy, rollback, the automatic deploy of train, deployModel, migration,
 * import, delete) and to `pgml.files` sends a notification on `DEPLOYMENTS_CHANNEL` from inside its transaction
 * (schema migration 3), delivered once it commits. The client LISTENs on one dedicated connection and drops the
 * entries a notification names; the next call looks the deployment up once and serves from memory again.
 *
 * Consistency rule: a call that starts after the notification arrived is answered by the new model. Modes:
 * - `listening`: notifications flow; a hit costs no query.
 * - `per-call`: the listener is not (yet, or no longer) connected: every call runs the deployment lookup, as without
 *   serving. When the listener is back, the map starts empty (a deploy during the outage cannot be missed).
 * - `polling`: the server cannot notify (a hot standby refuses LISTEN) or the `Db` cannot listen: an entry older
 *   than `maxStalenessMs` is looked up again before it answers, and a background poll re-checks every entry twice
 *   per bound, so an answer comes from a model that was deployed at most `maxStalenessMs` before the call.
 */
import type { ChannelSubscription, Db } from '../db.js';
import type { ModelCache } from '../model-cache.js';
import { checkTask, currentVersion, lookUpModel, type LoadedModel, type ModelLookup } from '../predict/deployed-model.js';
import type { RuntimeRegistry } from '../registry.js';
import { DEPLOYMENTS_CHANNEL } from '../schema/migrations.js';
import type { Task } from '../runtime.js';


export const DEFAULT_MAX_STALENESS_MS = 1000;

export interface ServingOptions {
  /**
   * `auto` (default): LISTEN for deployments where the database can notify, else poll; `per-call`: one lookup
   * query per predict (the behaviour without in-process serving).
   */
  mode?: 'auto' | 'per-call';
  /** Polling mode's bound on how old a deployment an answer may come from (default 1000 ms). */
  maxStalenessMs?: number;
}

export type ServingMode = 'listening' | 'polling' | 'per-call';

export interface ServingStats {
  mode: ServingMode;
  /** Why the mode is not `listening` (not connected yet, connection lost, hot standby, per-call chosen). */
  reason: string | null;
  /** Calls answered from the in-process map, without a query. */
  hits: number;
  /** Deployment lookup queries run (a miss, a stale entry, or every call in per-call mode); calls that miss while one is in flight share it. */
  lookups: number;
  /** Notifications (or polls) that dropped entries. */
  invalidations: number;
  /** Trigger in the committing transaction → notification handled here, ms, for the last one (null: none yet). */
  lastInvalidationLagMs: number | null;
  /** How often the listening connection was (re-)established. */
  connects: number;
  /** The listening connection's server process id (pg_terminate_backend ends it), or null. */
  listenerPid: number | null;
  /** Projects and model ids currently held. */
  entries: number;
  maxStalenessMs: number;
}

interface Entry {
  lookup: ModelLookup;
  /** performance.now() when the lookup that produced or last confirmed it started. */
  validatedAt: number;
}

export class DeploymentServing {
  readonly #db: Db;
  readonly #registry: RuntimeRegistry;
  readonly #cache: ModelCache<LoadedModel>;
  readonly #options: Required<ServingOptions>;
  readonly #entries = new Map<string | number, Entry>();
  /** Lookups in flight, shared by the calls that miss on the same key meanwhile. */
  readonly #pending = new Map<string | number, Promise<ModelLookup>>();
  /** Bumped by every invalidation: a lookup that started before one must not be stored. */
  #generation = 0;
  #mode: ServingMode = 'per-call';
  #reason: string | null = 'not started';
  #subscription: ChannelSubscription | undefined;
  #poller: ReturnType<typeof setInterval> | undefined;
  #started = false;
  #closed = false;
  readonly #stats = { hits: 0, lookups: 0, invalidations: 0, lastInvalidationLagMs: null as number | null, connects: 0, listenerPid: null as number | null };

  constructor(db: Db, registry: RuntimeRegistry, cache: ModelCache<LoadedModel>, options: ServingOptions = {}) {
    this.#db = db;
    this.#registry = registry;
    this.#cache = cache;
    this.#options = { mode: options.mode ?? 'auto', maxStalenessMs: options.maxStalenessMs ?? DEFAULT_MAX_STALENESS_MS };
    if (!(this.#options.maxStalenessMs > 0)) throw new RangeError(`maxStalenessMs must be > 0, got ${this.#options.maxStalenessMs}`);
    if (this.#options.mode === 'per-call') this.#reason = 'per-call mode chosen';
  }

  /**
   * The model `projectOrModelId` is served by: synchronously from memory on a hit (no allocation), else a promise
   * of one lookup. Starts listening on first use.
   */
  model(projectOrModelId: string | number, task: Task | undefined): LoadedModel | Promise<LoadedModel> {
    if (!this.#started) this.#start();
    const entry = this.#mode === 'per-call' ? undefined : this.#entries.get(projectOrModelId);
    if (entry && (this.#mode === 'listening' || performance.now() - entry.validatedAt <= this.#options.maxStalenessMs)) {
      this.#stats.hits++;
      return checkTask(entry.lookup.model, projectOrModelId, task);
    }
    return this.#lookUp(projectOrModelId).then((lookup) => checkTask(lookup.model, projectOrModelId, task));
  }

  /** Forgets every entry: this process just changed deployments itself and must not wait for its notification. */
  invalidateAll(): void {
    this.#generation++;
    this.#entries.clear();
    this.#pending.clear();
  }

  stats(): ServingStats {
    return { mode: this.#mode, reason: this.#reason, ...this.#stats, entries: this.#entries.size, maxStalenessMs: this.#options.maxStalenessMs };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#poller) clearInterval(this.#poller);
    this.invalidateAll();
    await this.#subscription?.close();
  }

  #lookUp(projectOrModelId: string | number): Promise<ModelLookup> {
    if (this.#mode === 'per-call') {
      this.#stats.lookups++;
      return lookUpModel(this.#db, this.#registry, projectOrModelId, this.#cache);
    }
    const pending = this.#pending.get(projectOrModelId);
    if (pending) return pending;
    this.#stats.lookups++;
    const generation = this.#generation;
    const startedAt = performance.now();
    const lookup = lookUpModel(this.#db, this.#registry, projectOrModelId, this.#cache).then(
      (found) => {
        if (this.#generation === generation) {
          this.#pending.delete(projectOrModelId);
          if (this.#mode !== 'per-call') this.#entries.set(projectOrModelId, { lookup: found, validatedAt: startedAt });
        }
        return found;
      },
      (error: unknown) => {
        if (this.#generation === generation) this.#pending.delete(projectOrModelId);
        throw error;
      },
    );
    this.#pending.set(projectOrModelId, lookup);
    return lookup;
  }

  #start(): void {
    this.#started = true;
    if (this.#options.mode === 'per-call' || this.#closed) return;
    if (!this.#db.listen) {
      this.#poll(`this ${this.#db.engine} connection cannot LISTEN`);
      return;
    }
    this.#reason = 'listener connecting';
    this.#subscription = this.#db.listen(DEPLOYMENTS_CHANNEL, {
      listening: ({ backendPid }) => {
        // Whatever was read before this point may predate a deploy made while nobody listened.
        this.invalidateAll();
        this.#stats.connects++;
        this.#stats.listenerPid = backendPid;
        this.#mode = 'listening';
        this.#reason = null;
      },
      notification: (payload) => this.#notified(payload),
      interrupted: (error) => {
        this.#mode = 'per-call';
        this.#reason = `listener connection lost (${error.message}); reconnecting`;
        this.#stats.listenerPid = null;
        this.invalidateAll();
      },
      unavailable: (reason) => {
        this.#stats.listenerPid = null;
        this.#poll(reason);
      },
    });
  }

  #notified(payload: string): void {
    let message: { project?: number; model?: number; all?: boolean; at?: number };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      message = { all: true }; // not ours to understand: forgetting everything is always safe
    }
    this.#stats.invalidations++;
    if (typeof message.at === 'number') this.#stats.lastInvalidationLagMs = Math.max(0, Date.now() - message.at);
    if (message.all || (message.project === undefined && message.model === undefined)) {
      this.invalidateAll();
      return;
    }
    this.#generation++;
    this.#pending.clear();
    for (const [key, { lookup }] of this.#entries) {
      if (lookup.projectId === message.project || lookup.model.modelId === message.model) this.#entries.delete(key);
    }
  }

  /** Polling mode: every half bound, each entry's deployment is looked up again (one query per held key). */
  #poll(reason: string): void {
    this.#mode = 'polling';
    this.#reason = reason;
    if (this.#poller || this.#closed) return;
    let running = false;
    this.#poller = setInterval(() => {
      if (running) return;
      running = true;
      // #revalidate never rejects: an entry whose lookup fails is dropped instead.
      void this.#revalidate().finally(() => (running = false));
    }, this.#options.maxStalenessMs / 2);
    this.#poller.unref();
  }

  async #revalidate(): Promise<void> {
    for (const [key, entry] of [...this.#entries]) {
      const startedAt = performance.now();
      const generation = this.#generation;
      const current = await currentVersion(this.#db, key).catch(() => undefined);
      if (this.#entries.get(key) !== entry || this.#generation !== generation) continue;
      if (current?.version === entry.lookup.version) {
        entry.validatedAt = startedAt;
      } else {
        this.#entries.delete(key);
        this.#stats.invalidations++;
      }
    }
  }
}
