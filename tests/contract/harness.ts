/**
 * The contract suite runs every case against each database of the repository's one list (`DATABASES`, shared with
 * the sdk's tests): embedded PGlite (memory://) and, when DATABASE_URL is set, a fresh PostgreSQL database per test
 * file (CREATE DATABASE, dropped afterwards). Without DATABASE_URL the PostgreSQL half is skipped visibly.
 */
import { loadNative, runtimeRegistry, type Db, type RuntimeName, type RuntimeRegistry } from '@pgml-ts/sdk';
import { PythonRuntime } from '@pgml-ts/python-compat';
import { describeEachDatabase, hasPostgres, type DatabaseKind, type FreshDatabase } from '../../packages/sdk/test/databases.js';

export { hasPostgres };

export interface Target {
  name: 'pglite' | 'postgres';
  /** Opens the test database (created on first call); every handle opened is closed by `dispose`. */
  open(): Promise<Db>;
  /** A second, independent handle on the same database (another pool); PGlite, which has one, returns it. */
  openAnother(): Promise<Db>;
  dispose(): Promise<void>;
}

function target(kind: DatabaseKind): Target {
  let database: Promise<FreshDatabase> | undefined;
  const created = (): Promise<FreshDatabase> => (database ??= kind.create());
  return {
    name: kind.engine,
    open: async () => (await created()).db,
    async openAnother() {
      const fresh = await created();
      return fresh.another?.() ?? fresh.db;
    },
    async dispose() {
      if (database) await (await database).drop();
    },
  };
}

/** Declares `suite` once per database; the PostgreSQL copy is skipped (and reported) without DATABASE_URL. */
export function eachDatabase(suite: (target: () => Target) => void): void {
  describeEachDatabase(
    (engine) => `${engine} [${RUNTIMES_UNDER_TEST.join(', ')}]`,
    (kind) => {
      const shared = target(kind);
      suite(() => shared);
    },
  );
}

/**
 * The runtimes under test: native and python by default, so `auto` trains what native implements natively and the
 * rest in scikit-learn — the product's own configuration. `PGML_CONTRACT_RUNTIMES=python` runs the suite on
 * scikit-learn alone (every case then goes through the worker).
 */
export const RUNTIMES_UNDER_TEST = (process.env.PGML_CONTRACT_RUNTIMES || 'native,python').split(',').map((name) => name.trim());

export const python = new PythonRuntime();
// The native data path (decoding relations, preprocessing) is used whichever runtimes are under test.
const native = await loadNative();

export function registry(): RuntimeRegistry {
  return runtimeRegistry(native, python, { runtimes: RUNTIMES_UNDER_TEST as RuntimeName[] });
}

export const PGML_TABLES = ['projects', 'snapshots', 'models', 'deployments', 'files'] as const;

/** Row counts of every pgml table plus the number of materialized snapshot tables. */
export async function pgmlCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of PGML_TABLES) {
    const r = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM pgml.${table}`);
    counts[table] = Number(r.rows[0]!.n);
  }
  const t = await db.query<{ n: string | number }>(
    `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'pgml' AND tablename LIKE 'snapshot\\_%'`,
  );
  counts.snapshot_tables = Number(t.rows[0]!.n);
  return counts;
}
