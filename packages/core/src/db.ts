/**
 * The smallest structural database interface that pgml-ts needs (the kysely way): `core` never imports a driver.
 * The `pg` and PGlite adapters live in `@pgml-ts/sdk`; the same SQL runs on both.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** Where a driver hands over the part of the copy's bytes that belongs to it. */
export interface WireHandback {
  /** The driver's parser takes over at `offset` of the chunk just given… */
  offset: number;
  /** …after these bytes, the start of the same message that arrived in an earlier chunk (usually empty). */
  carried: Uint8Array;
}

/** The consumer of a `COPY … TO` stream. */
export interface CopySink {
  /** A piece of the binary COPY stream. A promise pauses the stream until it settles (a slow consumer slows the server). */
  data(chunk: Uint8Array): void | Promise<void>;
  /**
   * Optional, for consumers that strip PostgreSQL's wire protocol themselves (the native decoder): drivers that can
   * give their socket's bytes call this instead of `data`, saving the per-message parsing in JavaScript. Returns
   * undefined while the bytes belong to the copy, and at its end where the driver's own parser takes over.
   */
  wire?(chunk: Uint8Array): WireHandback | undefined | Promise<WireHandback | undefined>;
}

/** What a `Db.listen` subscription reports, in order. */
export interface ChannelEvents {
  /**
   * LISTEN is in place: every transaction committed from now on will be notified. Called again each time the
   * driver re-established its connection (notifications in between may have been missed).
   */
  listening(connection: { backendPid: number | null }): void;
  /** One notification's payload; notifications arrive in commit order. */
  notification(payload: string): void;
  /** The connection dropped: notifications may be missed until the next `listening`. The driver reconnects. */
  interrupted(error: Error): void;
  /** The server cannot deliver notifications at all (a hot standby refuses LISTEN); the driver stops trying. */
  unavailable(reason: string): void;
}

export interface ChannelSubscription {
  /** Stops listening and releases the connection. Idempotent. */
  close(): Promise<void>;
}

export interface Db {
  /** Which engine is behind this handle; only used for reporting, never to fork SQL. */
  readonly engine: 'postgres' | 'pglite';
  /**
   * Whether statements on this handle run concurrently with an open transaction of it (a pool of connections) or
   * queue behind it (one connection). Bulk work uses it to overlap reading with writing; the SQL is the same.
   */
  readonly pooled: boolean;
  /** Runs one statement with `$1…$n` parameters bound as values (never interpolated). */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs `fn` inside BEGIN/COMMIT on one connection; ROLLBACK when `fn` throws, and rethrows. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Runs `COPY (<selectSql>) TO … WITH (FORMAT binary)` and hands the PostgreSQL binary COPY stream to `sink` as it
   * arrives (PGlite delivers it in one chunk). This is the bulk path: numbers arrive as their exact binary values,
   * with no per-row JS objects. `collectCopy` gathers it whole.
   */
  copyOut(selectSql: string, sink: CopySink): Promise<void>;
  /**
   * Runs `COPY <target> FROM … WITH (FORMAT binary)` with `data`, one whole binary COPY stream (header to trailer);
   * `target` is a quoted table name with its column list. Returns the rows copied.
   */
  copyIn(target: string, data: Uint8Array): Promise<number>;
  /**
   * Optional: LISTEN on `channel` over a connection of its own (never a pooled one), reconnecting with backoff when
   * it drops. Without it, in-process serving polls instead (see `ServingOptions`).
   */
  listen?(channel: string, events: ChannelEvents): ChannelSubscription;
  /** Releases connections (pool) or the embedded database. Idempotent. */
  close(): Promise<void>;
}
