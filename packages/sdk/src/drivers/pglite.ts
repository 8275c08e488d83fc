/**
 * The embedded PGlite (PostgreSQL in WASM) driver for core's `Db`.
 *
 * PGlite has one connection. It serialises all work through a transaction mutex: `pglite.query()` waits while a
 * `pglite.transaction()` runs, so statements never interleave with a transaction; they queue behind it. That also
 * means a query on the main handle issued *from inside* a transaction callback would wait for the transaction that
 * is waiting for it: a deadlock. We detect that case (AsyncLocalStorage marks the transaction's async context) and
 * throw instead; use the `tx` handle passed to the callback.
 *
 * Bulk reads use `COPY (…) TO '/dev/blob' WITH (FORMAT binary)`, which PGlite returns as `result.blob` (so the stream
 * arrives as one chunk); bulk writes `COPY … FROM '/dev/blob'` with the data passed as a Blob.
 *
 * PGlite is single-process, so a data directory is locked (data-dir-lock.ts) before PGlite touches it — PGlite writes
 * as it opens — and unlocked after it is closed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChannelEvents, ChannelSubscription, CopySink, Db, QueryResult } from '@pgml-ts/core';
import { DatabaseError } from '@pgml-ts/core';
import type { PGlite, Results, Transaction } from '@electric-sql/pglite';
import { defaultLockTimeout, lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { CLOSED_MESSAGE, toDatabaseError } from './errors.js';

/** `PGML_DATA_DIR`, else `./.pgml`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PGML_DATA_DIR || './.pgml';
}

export interface PgliteOptions {
  /**
   * How long to wait (ms) for another process that has the data directory open; default `PGML_LOCK_TIMEOUT`, else 0:
   * fail at once with `DATABASE_LOCKED`.
   */
  lockTimeout?: number;
}

/**
 * Opens (creating if needed) a persistent PGlite database in `dataDir` (a path or `file://` path), holding the
 * directory's lock until `close()`; `memory://` keeps it in memory and takes no lock.
 */
export async function createPgliteDb(dataDir: string = defaultDataDir(), options: PgliteOptions = {}): Promise<Db> {
  // PGlite's other scheme URLs (memory://, idb://, …) pass through; a path is created if missing and locked.
  const path = dataDir.startsWith('file://') ? dataDir.slice('file://'.length) : dataDir.includes('://') ? undefined : dataDir;
  let lock: DataDirLock | undefined;
  if (path !== undefined) {
    const location = resolve(path);
    mkdirSync(location, { recursive: true });
    lock = await lockDataDir(location, options.lockTimeout ?? defaultLockTimeout());
  }
  try {
    // Loaded on first use: a process that talks to PostgreSQL never pays for the WASM engine's JavaScript.
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(lock ? lock.dataDir : dataDir);
    return new PgliteDb(pglite, lock);
  } catch (error) {
    lock?.release();
    throw toDatabaseError(error, `could not open the embedded database at ${dataDir}`);
  }
}

type Runner = Pick<Transaction, 'query'>;

class PgliteDb implements Db {
  readonly engine = 'pglite' as const;
  readonly pooled = false;
  readonly #insideTransaction = new AsyncLocalStorage<true>();
  #closed = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly lock: DataDirLock | undefined,
  ) {}

  // async: a closed handle or a main-handle call inside a transaction rejects, as every Db call does, never throws.
  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    return runQuery<Row>(this.#main(), sql, params);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.#main();
    let callbackFailed = false;
    try {
      return await this.pglite.transaction((tx) =>
        this.#insideTransaction.run(true, () =>
          fn(new PgliteTxDb(tx, this.pglite)).catch((error: unknown) => {
            callbackFailed = true;
            throw error;
          }),
        ),
      );
    } catch (error) {
      // The callback's own errors come back unchanged; BEGIN/COMMIT failures become DatabaseErrors.
      throw callbackFailed ? error : toDatabaseError(error, 'transaction failed');
    }
  }

  async copyOut(selectSql: string, sink: CopySink): Promise<void> {
    return copyOut(this.#main(), this.pglite, selectSql, sink);
  }

  async copyIn(target: string, data: Uint8Array): Promise<number> {
    return copyIn(this.#main(), target, data);
  }

  /**
   * PGlite runs in this process: a NOTIFY reaches the callback while the committing statement's result is read,
   * before that statement's promise resolves — an in-process event, with no connection that could drop.
   */
  listen(channel: string, events: ChannelEvents): ChannelSubscription {
    const unlisten = this.#main()
      .listen(channel, (payload) => events.notification(payload))
      .then(
        (stop) => {
          events.listening({ backendPid: null });
          return stop;
        },
        (error: unknown) => {
          events.unavailable(`LISTEN failed on the embedded database: ${(error as Error)?.message ?? String(error)}`);
          return undefined;
        },
      );
    return {
      close: async () => {
        const stop = await unlisten;
        if (stop && !this.#closed) await stop().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.pglite.close();
    } finally {
      this.lock?.release();
    }
  }

  #main(): PGlite {
    if (this.#closed) throw new DatabaseError(CLOSED_MESSAGE);
    if (this.#insideTransaction.getStore()) {
      throw new DatabaseError(
        'query on the main PGlite handle inside a transaction would deadlock; use the transaction handle passed to the callback',
      );
    }
    return this.pglite;
  }
}

/** The handle passed to transaction callbacks; nested `transaction` calls run inside the outer transaction. */
class PgliteTxDb implements Db {
  readonly engine = 'pglite' as const;
  readonly pooled = false;

  constructor(
    private readonly tx: Transaction,
    private readonly pglite: PGlite,
  ) {}

  query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    return runQuery<Row>(this.tx, sql, params);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }

  copyOut(selectSql: string, sink: CopySink): Promise<void> {
    return copyOut(this.tx, this.pglite, selectSql, sink);
  }

  copyIn(target: string, data: Uint8Array): Promise<number> {
    return copyIn(this.tx, target, data);
  }

  async close(): Promise<void> {}
}

async function runQuery<Row>(runner: Runner, sql: string, params: readonly unknown[]): Promise<QueryResult<Row>> {
  let result: Results<Row>;
  try {
    result = await runner.query<Row>(sql, params as unknown[]);
  } catch (error) {
    throw toDatabaseError(error, 'query failed');
  }
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}

/** PGlite's internal that hands over (and clears) what the last statement wrote to /dev/blob. */
interface BlobOwner {
  _getWrittenBlob?(): Promise<Blob | undefined>;
}

async function copyOut(runner: Runner, pglite: PGlite, selectSql: string, sink: CopySink): Promise<void> {
  let result: Results;
  try {
    result = await runner.query(`COPY (${selectSql}) TO '/dev/blob' WITH (FORMAT binary)`);
  } catch (error) {
    // PGlite (0.5) keeps what a COPY that failed midway wrote to /dev/blob and puts it in front of the next COPY's
    // blob, which then does not decode: dropped here.
    await (pglite as unknown as BlobOwner)._getWrittenBlob?.();
    throw toDatabaseError(error, 'COPY failed');
  }
  if (!result.blob) throw new DatabaseError('PGlite returned no blob for COPY TO /dev/blob');
  await sink.data(new Uint8Array(await result.blob.arrayBuffer()));
}

async function copyIn(runner: Runner, target: string, data: Uint8Array): Promise<number> {
  try {
    const result = await runner.query(`COPY ${target} FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob: new Blob([data]) });
    return result.affectedRows ?? 0;
  } catch (error) {
    throw toDatabaseError(error, 'COPY failed');
  }
}
