/**
 * The smallest structural database interface that pgml-ts needs (the kysely way): `core` never imports a driver.
 * The `pg` and PGlite adapters live in `@pgml-ts/sdk`; the same SQL runs on both.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
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
   * Runs `COPY (<selectSql>) TO … WITH (FORMAT binary)` and hands the PostgreSQL binary COPY stream to `onChunk` as
   * it arrives (awaited: a slow consumer pauses the stream; PGlite delivers it in one chunk). This is the bulk path:
   * numbers arrive as their exact binary values, with no per-row JS objects. `collectCopy` gathers it whole.
   */
  copyOut(selectSql: string, onChunk: (chunk: Uint8Array) => void | Promise<void>): Promise<void>;
  /**
   * Runs `COPY <target> FROM … WITH (FORMAT binary)` with `data`, one whole binary COPY stream (header to trailer);
   * `target` is a quoted table name with its column list. Returns the rows copied.
   */
  copyIn(target: string, data: Uint8Array): Promise<number>;
  /** Releases connections (pool) or the embedded database. Idempotent. */
  close(): Promise<void>;
}
