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
  /** Runs one statement with `$1…$n` parameters bound as values (never interpolated). */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs `fn` inside BEGIN/COMMIT on one connection; ROLLBACK when `fn` throws, and rethrows. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Runs `COPY (<selectSql>) TO … WITH (FORMAT binary)` and returns the whole PostgreSQL binary COPY stream.
   * This is the bulk path: numbers arrive as their exact binary values, with no per-row JS objects.
   */
  copyBinary(selectSql: string): Promise<Uint8Array>;
  /** Releases connections (pool) or the embedded database. Idempotent. */
  close(): Promise<void>;
}
