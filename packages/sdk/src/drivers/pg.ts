/**
 * The node-postgres driver for core's `Db`: a pool (`pg.Pool`, or any `PgPoolLike`), transactions on one pooled
 * client, binary COPY through pg-copy-streams.
 *
 * Numbers: node-postgres returns `real`/`double precision` as JS numbers parsed from text (PostgreSQL 12+ prints the
 * shortest exact decimal, so float8 round-trips; a float4 arrives as the double nearest its decimal, which is not
 * always its float32 value), `bigint` and `numeric` as strings. Core reads training data through `copyOut`,
 * which carries the exact binary values, so these text parsers are left as they are.
 */
import type { ChannelEvents, ChannelSubscription, CopySink, Db, QueryResult } from '@pgml-ts/core';
import { ConnectionFailed, DatabaseError, maskSecrets, PgmlError } from '@pgml-ts/core';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { describeServer, parseConnectionUrl } from './connection-url.js';
import { CLOSED_MESSAGE, toDatabaseError } from './errors.js';
import { CopyWireQuery } from './pg-copy-wire.js';
import { listenOnPg } from './pg-listener.js';

interface PgQueryResultLike {
  rows: unknown[];
  rowCount: number | null;
}

/**
 * The parts of a node-postgres pool this driver uses — described here, as kysely describes its `PostgresPool`, so
 * that any pool of that shape works (`pg.Pool`, pg-pool, a wrapper that adds metrics or tracing).
 */
export interface PgPoolLike {
  connect(): Promise<PgPoolClientLike>;
  query(sql: string, values?: unknown[]): Promise<PgQueryResultLike>;
  end(): Promise<void>;
  /**
   * Connection settings (`pg.Pool` has them): in-process serving opens its own listening client with them; a pool
   * without them is polled instead (see `serving.maxStalenessMs`). `max` bounds the retries on dead connections.
   */
  readonly options?: pg.ClientConfig & { max?: number };
}

/** A client checked out of a `PgPoolLike` (`pg.PoolClient`'s shape). */
export interface PgPoolClientLike {
  query(sql: string, values?: unknown[]): Promise<PgQueryResultLike>;
  /** A pg `Submittable` (COPY streams). */
  query<T extends pg.Submittable>(submittable: T): T;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
  release(destroy?: boolean | Error): void;
}

type Queryable = PgPoolLike | PgPoolClientLike;

const READ_ONLY = /^\s*(SELECT|VALUES|SHOW)\b/i;

/** The connection died (admin/crash shutdown, socket closed), as opposed to the statement failing. */
function connectionLost(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return /^(57P0[12]|08\d\d\d|ECONNRESET|EPIPE)$/.test(code);
  return typeof message === 'string' && /^Connection terminated/.test(message);
}

export interface PgDbOptions {
  /** Pool size (default 10). */
  max?: number;
}

/** Creates a `Db` over a new pool for `url`, or over a pool you own (then `close()` leaves it open). */
export function createPgDb(urlOrPool: string | PgPoolLike, options: PgDbOptions = {}): Db {
  if (typeof urlOrPool === 'string') {
    const server = describeServer(parseConnectionUrl(urlOrPool));
    const pool = new pg.Pool({ connectionString: urlOrPool, max: options.max ?? 10 });
    // An idle client that loses its connection emits on the pool; without a listener that would crash the process.
    pool.on('error', () => {});
    return new PgDb(pool, pool, true, server);
  }
  return new PgDb(urlOrPool, urlOrPool, false, 'the PostgreSQL pool');
}

/**
 * `createPgDb` that also logs in once, so an unreachable server, a wrong password or a missing database fails here
 * as `CONNECTION_FAILED` rather than later as the first query's error.
 */
export async function connectPgDb(url: string, options: PgDbOptions = {}): Promise<Db> {
  const server = describeServer(parseConnectionUrl(url));
  const db = createPgDb(url, options);
  try {
    await db.query('SELECT 1');
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    const details = error instanceof PgmlError ? error.details : {};
    const reason = error instanceof Error ? error.message.replace(/^query failed( \([^)]*\))?: /, '') : String(error);
    throw new ConnectionFailed(`could not connect to ${server}: ${maskSecrets(reason)}`, { ...details, server }, { cause: error });
  }
}

class PgDb implements Db {
  readonly engine = 'postgres' as const;
  readonly pooled = true;
  #closed = false;

  constructor(
    private readonly pool: PgPoolLike,
    /** The pool, or inside a transaction the one client that holds it. */
    private readonly target: Queryable,
    private readonly ownsPool: boolean,
    /** Where we connect, password masked, for connection errors. */
    private readonly server: string,
  ) {}

  /** The rule both drivers follow: after `close()`, every call on the handle fails with the same DatabaseError. */
  #open(): void {
    if (this.#closed) throw new DatabaseError(CLOSED_MESSAGE);
  }

  /**
   * Whether a statement that failed with `error` on its `attempt`-th connection may run again on another: only when
   * the connection itself was lost, outside a transaction, and at most once per pooled connection (every idle one
   * may be dead at once).
   */
  #retriable(error: unknown, attempt: number): boolean {
    return this.target === this.pool && attempt <= (this.pool.options?.max ?? 10) && connectionLost(error);
  }

  #fail(error: unknown, context: string): Error {
    // Errors without a SQLSTATE come from the socket or the handshake: say which server we tried.
    const sqlstate = typeof (error as { code?: unknown })?.code === 'string' && /^[0-9A-Z]{5}$/.test((error as { code: string }).code);
    return toDatabaseError(error, sqlstate ? context : `${context} (${this.server})`);
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    this.#open();
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.target.query(sql, params as unknown[]);
        return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
      } catch (error) {
        // A pooled connection the server has just closed (restart, pg_terminate_backend) is only noticed when the
        // next statement is sent on it. Outside a transaction a read-only statement is safe to run again, on
        // another connection, so predict survives a server-side disconnect instead of failing once per dead
        // pooled connection (every idle one may be dead at once). Writes and transactions are never retried.
        if (READ_ONLY.test(sql) && this.#retriable(error, attempt)) continue;
        throw this.#fail(error, 'query failed');
      }
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    // Already inside a transaction: run on the same client, so the work commits or rolls back with the outer one.
    if (this.target !== this.pool) return fn(this);
    this.#open();
    const client = await this.#begin();
    let broken = false;
    // pg-pool drops its 'error' listener while a client is checked out: a connection that dies mid-transaction
    // (server crash, pg_terminate_backend) would emit an unhandled 'error' and end the process. The statement in
    // flight rejects anyway; the event only marks the client broken so the pool discards it.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      const result = await fn(new PgDb(this.pool, client, false, this.server));
      await this.#run(client, 'COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is unusable; release it as broken so the pool discards it
      }
      throw error; // the callback's own error, or a DatabaseError from our statements, unchanged
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /**
   * A pooled client with a transaction begun. A pooled connection the server closed while it sat idle is only
   * noticed when BEGIN is sent on it; nothing has run yet, so BEGIN is tried again on another connection (as
   * `query` does for reads) rather than failing the caller's train or deploy.
   */
  async #begin(): Promise<PgPoolClientLike> {
    for (let attempt = 1; ; attempt++) {
      let client: PgPoolClientLike;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw this.#fail(error, 'could not connect');
      }
      const onError = (): void => {}; // a dead socket's late 'error' must not end the process (see transaction)
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        return client;
      } catch (error) {
        client.release(true);
        if (this.#retriable(error, attempt)) continue;
        throw this.#fail(error, 'BEGIN failed');
      } finally {
        client.removeListener('error', onError);
      }
    }
  }

  async #run(client: PgPoolClientLike, sql: string): Promise<void> {
    try {
      await client.query(sql);
    } catch (error) {
      throw this.#fail(error, `${sql} failed`);
    }
  }

  async copyOut(selectSql: string, sink: CopySink): Promise<void> {
    this.#open();
    const text = `COPY (${selectSql}) TO STDOUT WITH (FORMAT binary)`;
    let received = false;
    const work = async (client: PgPoolClientLike): Promise<void> => {
      if (sink.wire) {
        const wire = sink.wire.bind(sink);
        const query = new CopyWireQuery(text, {
          wire: (bytes) => {
            received = true;
            return wire(bytes);
          },
        });
        client.query(query as unknown as pg.Submittable);
        return query.done;
      }
      const stream = client.query(copyTo(text));
      // Iterating pauses the socket while a chunk is being handled: a slow consumer slows the server, nothing piles up.
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        received = true;
        const handled = sink.data(chunk);
        if (handled) await handled;
      }
    };
    // A dead pooled connection is retried elsewhere only while the sink has seen nothing.
    await this.#onClient('COPY failed', work, () => !received);
  }

  async copyIn(target: string, data: Uint8Array): Promise<number> {
    this.#open();
    return this.#onClient('COPY failed', async (client) => {
      const stream = client.query(copyFrom(`COPY ${target} FROM STDIN WITH (FORMAT binary)`));
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(data);
      });
      return stream.rowCount ?? 0;
    });
  }

  /**
   * Runs `work` on this transaction's client, or on a pooled one released afterwards (broken if its socket died).
   * Outside a transaction, a connection found dead (see `query`) is replaced and `work` run again while `retryable()`.
   */
  async #onClient<T>(context: string, work: (client: PgPoolClientLike) => Promise<T>, retryable: () => boolean = () => false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (this.target !== this.pool) return await work(this.target as PgPoolClientLike);
        const client = await this.pool.connect();
        let broken = false;
        const onError = (): void => {
          broken = true; // as in transaction(): no unhandled 'error' while checked out
        };
        client.on('error', onError);
        try {
          return await work(client);
        } catch (error) {
          // A COPY interrupted mid-stream leaves the protocol in an unknown state: never reuse the connection.
          broken = true;
          throw error;
        } finally {
          client.removeListener('error', onError);
          client.release(broken);
        }
      } catch (error) {
        if (error instanceof PgmlError) throw error;
        if (this.#retriable(error, attempt) && retryable()) continue;
        throw this.#fail(error, context);
      }
    }
  }

  /** LISTEN on a dedicated client with the pool's connection settings (see pg-listener.ts). */
  listen(channel: string, events: ChannelEvents): ChannelSubscription {
    this.#open();
    const config = this.pool.options;
    if (!config) {
      events.unavailable('the pool given to createPgDb has no connection options to open a listening client with');
      return { close: async () => undefined };
    }
    return listenOnPg(config, channel, events);
  }

  async close(): Promise<void> {
    if (this.#closed || this.target !== this.pool) return;
    this.#closed = true;
    // A pool passed in by the caller stays open (theirs to end); this handle is closed either way.
    if (this.ownsPool) await this.pool.end();
  }
}
