/**
 * Applies the `pgml` schema migrations, once. Safe under concurrent first use from several processes: every
 * migration run holds a transaction-scoped advisory lock, re-reads the applied versions inside the lock, and applies
 * only what is missing, all in one transaction (a failure leaves the schema as it was).
 */
import type { Db } from '../db.js';
import { DatabaseError, PgmlError } from '../errors.js';
import { foreignSchema, MigrationRequired } from './foreign-schema.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations.js';

/** An arbitrary constant (ASCII "pgmlts" as a number): the advisory lock every pgml-ts migrator takes. */
const MIGRATION_LOCK_KEY = 0x70676d6c7473;

// One settled check per Db handle: after it, entry points pay nothing.
const ready = new WeakMap<Db, Promise<void>>();

/** Creates or upgrades the `pgml` schema if needed. Cheap after the first call for a given `Db`. */
export function ensureSchema(db: Db): Promise<void> {
  let pending = ready.get(db);
  if (!pending) {
    pending = migrate(db);
    ready.set(db, pending);
    // A failed attempt must not poison the handle: the next call tries again.
    pending.catch(() => ready.delete(db));
  }
  return pending;
}

/** The highest applied migration version, or 0 when the schema does not exist yet. */
export async function schemaVersion(db: Db): Promise<number> {
  const exists = await db.query<{ present: boolean }>(
    `SELECT to_regclass('pgml.schema_migrations') IS NOT NULL AS present`,
  );
  if (!exists.rows[0]?.present) return 0;
  const version = await db.query<{ version: number | string | null }>(
    'SELECT max(version) AS version FROM pgml.schema_migrations',
  );
  return Number(version.rows[0]?.version ?? 0);
}

async function migrate(db: Db): Promise<void> {
  try {
    const version = await schemaVersion(db);
    if (version >= LATEST_SCHEMA_VERSION) return;
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::int8)', [MIGRATION_LOCK_KEY]);
      // Checked under the lock: another process may have created our schema since the version was read.
      if (version === 0) {
        const found = await foreignSchema(tx);
        if (found) throw new MigrationRequired(found);
      }
      await tx.query('CREATE SCHEMA IF NOT EXISTS pgml');
      await tx.query(`CREATE TABLE IF NOT EXISTS pgml.schema_migrations (
        version INT PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp()
      )`);
      const applied = new Set(
        (await tx.query<{ version: number }>('SELECT version FROM pgml.schema_migrations')).rows.map((r) =>
          Number(r.version),
        ),
      );
      for (const migration of MIGRATIONS) {
        if (!applied.has(migration.version)) await apply(tx, migration);
      }
    });
  } catch (error) {
    if (error instanceof PgmlError) throw error;
    throw new DatabaseError(`could not create or upgrade the pgml schema: ${(error as Error).message}`, {}, {
      cause: error,
    });
  }
}

async function apply(tx: Db, migration: Migration): Promise<void> {
  for (const statement of migration.statements) await tx.query(statement);
  await tx.query('INSERT INTO pgml.schema_migrations (version, name) VALUES ($1, $2)', [
    migration.version,
    migration.name,
  ]);
}
