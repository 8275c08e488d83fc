import type { Db, LoadedDataset } from '@pgml-ts/core';
import { loadDataset } from '@pgml-ts/core';
import { createPgDb } from './drivers/pg.js';
import { createPgliteDb, defaultDataDir } from './drivers/pglite.js';
import { createVectorApi, loadNative, type NativeModule, type VectorApi } from './vector.js';

export interface ConnectOptions {
  /** `postgres://…` for a PostgreSQL server (node-postgres pool). */
  url?: string;
  /** Directory of the embedded PGlite database (default `PGML_DATA_DIR` or `./.pgml`); `memory://` for tests. */
  dataDir?: string;
  /** An existing `Db`; `close()` then leaves it open. */
  db?: Db;
}

function isDb(value: unknown): value is Db {
  const v = value as Partial<Db> | undefined;
  return typeof v?.query === 'function' && typeof v.transaction === 'function' && typeof v.copyBinary === 'function';
}

/** PostgresML's API next to your data: in PostgreSQL via `pg`, or embedded via PGlite. */
export class PostgresML {
  #vector: VectorApi | undefined;
  readonly #db: Db;
  readonly #ownsDb: boolean;
  /** The native module, or why it could not be loaded (reported when `vector` is first used). */
  readonly #native: NativeModule | Error;

  private constructor(db: Db, ownsDb: boolean, native: NativeModule | Error) {
    this.#db = db;
    this.#ownsDb = ownsDb;
    this.#native = native;
  }

  /** The database handle, for queries of your own. */
  get db(): Db {
    return this.#db;
  }

  /**
   * No argument: embedded PGlite in `PGML_DATA_DIR` or `./.pgml`. A `postgres://` URL: node-postgres pool.
   * A `Db`: used as is.
   */
  static async connect(target?: string | ConnectOptions | Db): Promise<PostgresML> {
    // A missing native build must not stop connect, loadDataset or train on the python runtime.
    const native = await loadNative().catch((error: Error) => error);
    if (isDb(target)) return new PostgresML(target, false, native);
    const options: ConnectOptions = typeof target === 'string' ? { url: target } : (target ?? {});
    if (options.db) return new PostgresML(options.db, false, native);
    const db = options.url ? createPgDb(options.url) : await createPgliteDb(options.dataDir ?? defaultDataDir());
    return new PostgresML(db, true, native);
  }

  /** PostgresML's `pgml.load_dataset(name)`: one of breast_cancer, diabetes, digits, iris, linnerud, wine. */
  loadDataset(name: string): Promise<LoadedDataset> {
    return loadDataset(this.#db, name);
  }

  /** PostgresML's vector functions over the native kernels; `NATIVE_UNAVAILABLE` when the native build is missing. */
  get vector(): VectorApi {
    if (this.#native instanceof Error) throw this.#native;
    this.#vector ??= createVectorApi(this.#native, this.#db);
    return this.#vector;
  }

  /** Closes the database when `connect` opened it. Idempotent. */
  async close(): Promise<void> {
    if (this.#ownsDb) await this.#db.close();
  }
}
