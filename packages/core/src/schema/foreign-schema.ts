/**
 * A `pgml` schema that pgml-ts did not create: PostgresML 1.0's or 2.x's own tables. Creating ours on top would
 * fail half-way ("relation projects already exists") or, worse, mix two layouts, so opening such a database stops
 * with `MIGRATION_REQUIRED` naming the command that moves it over — before anything is written.
 */
import type { Db } from '../db.js';
import { PgmlError } from '../errors.js';

export type ForeignSchema = 'postgresml-1' | 'postgresml-2' | 'unknown';

/**
 * What occupies schema `pgml` when it has tables but no `pgml.schema_migrations` (ours); undefined when nothing
 * does. Read from information_schema, which sees what other sessions committed since this transaction's catalog
 * cache was filled (a session that waited for another's migration would otherwise miss our own schema_migrations).
 */
export async function foreignSchema(db: Db): Promise<ForeignSchema | undefined> {
  const found = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'pgml' AND table_name IN ('schema_migrations', 'projects', 'models', 'deployments', 'snapshots', 'files')`,
  );
  if (found.rows.length === 0 || found.rows.some((r) => r.table_name === 'schema_migrations')) return undefined;
  const has = (table: string, column: string) => found.rows.some((r) => r.table_name === table && r.column_name === column);
  if (has('models', 'algorithm_name')) return 'postgresml-1';
  if (has('models', 'algorithm') && has('projects', 'task')) return 'postgresml-2';
  return 'unknown';
}

export class MigrationRequired extends PgmlError {
  constructor(found: ForeignSchema) {
    const what = {
      'postgresml-1': {
        found: "PostgresML 1.0's pgml schema (models.algorithm_name, pickled estimators)",
        run: 'pgml migrate --from URL --allow-pickle (see "Migrating from PostgresML 1.0")',
      },
      'postgresml-2': {
        found: "PostgresML 2.x's pgml schema (the pgml extension's projects, snapshots, models, deployments and files)",
        run: 'pgml migrate --from-v2 --from URL --allow-pickle (see "Migrating from PostgresML 2.x")',
      },
      unknown: {
        found: 'a pgml schema with tables pgml-ts did not create',
        run: 'a database without a pgml schema, or rename that schema first (ALTER SCHEMA pgml RENAME TO …)',
      },
    }[found];
    super(
      'MIGRATION_REQUIRED',
      `this database already has ${what.found}; pgml-ts changed nothing. To use it here, run ${what.run}`,
      { found },
    );
  }
}
