import { afterAll, expect, it } from 'vitest';
import { ensureSchema, LATEST_SCHEMA_VERSION, schemaVersion } from '@pgml-ts/sdk';
import { eachDatabase } from './harness.js';

eachDatabase((target) => {
  afterAll(() => target().dispose());

  it('applies the migrations once, even when two connections race on first use', async () => {
    const db = await target().open();
    const other = (await target().openAnother?.()) ?? db;
    expect(await schemaVersion(db)).toBe(0);
    await Promise.all([ensureSchema(db), ensureSchema(other), ensureSchema(db)]);
    expect(await schemaVersion(other)).toBe(LATEST_SCHEMA_VERSION);
    const applied = await db.query<{ version: number }>('SELECT version FROM pgml.schema_migrations ORDER BY version');
    expect(applied.rows.map((r) => Number(r.version))).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
    const instances = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM pgml.instance');
    expect(Number(instances.rows[0]!.n)).toBe(1);
    // PostgresML 2.x's column names are all there.
    const columns = await db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'pgml'`,
    );
    const has = (table: string, column: string) => columns.rows.some((c) => c.table_name === table && c.column_name === column);
    for (const [table, cols] of Object.entries({
      projects: ['id', 'name', 'task', 'created_at', 'updated_at'],
      snapshots: ['id', 'relation_name', 'y_column_name', 'test_size', 'test_sampling', 'status', 'columns', 'analysis', 'materialized'],
      models: ['id', 'project_id', 'snapshot_id', 'num_features', 'algorithm', 'runtime', 'hyperparams', 'status', 'metrics', 'search', 'search_params', 'search_args'],
      deployments: ['id', 'project_id', 'model_id', 'strategy', 'created_at'],
      files: ['id', 'model_id', 'path', 'part', 'data'],
      explanations: ['model_id', 'explanation', 'created_at', 'updated_at'],
    })) {
      for (const column of cols) expect(has(table, column), `${table}.${column}`).toBe(true);
    }
  });
});
