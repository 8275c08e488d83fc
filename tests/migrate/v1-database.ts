/**
 * PostgresML 1.0 databases for the migration tests, built at test time: make_v1_database.py fits and pickles the
 * models with the real scikit-learn / XGBoost; this file creates a fresh database and lays the rows out in one of
 * the two 1.0 schemas (postgresml's pgml_extension/sql/install/schema.sql: early with projects.objective and
 * models.pickle, final with projects.task and pgml.files).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const PYTHON = process.env.PGML_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../packages/python-compat/test/fixtures/make_v1_database.py', import.meta.url));

export type Layout = 'early' | 'final';

export interface FixtureModel {
  id: number;
  project_id: number;
  snapshot_id: number;
  algorithm_name: string;
  hyperparams: Record<string, unknown>;
  status: string;
  metrics: Record<string, number>;
  created_at: number;
  pickle: string;
  /** The estimator's own output on every snapshot row (null for the corrupt and the hostile pickle). */
  expected: { predictions: number[]; shape: number[]; proba?: number[]; classes?: number[] } | null;
}

export interface V1Fixture {
  layout: Layout;
  /** The file the hostile pickle would create if it ever ran. */
  marker: string;
  relations: Array<{ name: string; columns: Array<[string, string]>; rows: unknown[][] }>;
  projects: Array<{ id: number; name: string; task: string }>;
  snapshots: Array<{ id: number; relation: string; y: string[]; test_size: number; test_sampling: string; status: string }>;
  models: FixtureModel[];
  deployments: Array<{ id: number; project_id: number; model_id: number; strategy: string; created_at: number }>;
}

export async function makeFixture(layout: Layout, markerDir: string): Promise<V1Fixture> {
  const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, '-', layout, markerDir], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as V1Fixture;
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database on the test server; returns its URL and a dropper. */
export async function createDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const TIMESTAMPS = `created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp(),
  updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp()`;

function schema(layout: Layout): string[] {
  return [
    'CREATE SCHEMA pgml',
    `CREATE FUNCTION pgml.set_updated_at() RETURNS TRIGGER AS $$ BEGIN
       IF (NEW IS DISTINCT FROM OLD AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at) THEN
         NEW.updated_at := clock_timestamp(); END IF; RETURN NEW; END; $$ LANGUAGE plpgsql`,
    `CREATE TABLE pgml.projects(id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL,
       ${layout === 'early' ? 'objective' : 'task'} TEXT NOT NULL, ${TIMESTAMPS})`,
    'CREATE TRIGGER projects_auto_updated_at BEFORE UPDATE ON pgml.projects FOR EACH ROW EXECUTE PROCEDURE pgml.set_updated_at()',
    'CREATE UNIQUE INDEX projects_name_idx ON pgml.projects(name)',
    `CREATE TABLE pgml.snapshots(id BIGSERIAL PRIMARY KEY, relation_name TEXT NOT NULL, y_column_name TEXT[] NOT NULL,
       test_size FLOAT4 NOT NULL, test_sampling TEXT NOT NULL, status TEXT NOT NULL, columns JSONB, analysis JSONB, ${TIMESTAMPS})`,
    `CREATE TABLE pgml.models(id BIGSERIAL PRIMARY KEY, project_id BIGINT NOT NULL, snapshot_id BIGINT NOT NULL,
       algorithm_name TEXT NOT NULL, hyperparams JSONB NOT NULL, status TEXT NOT NULL, search TEXT,
       search_params JSONB NOT NULL, search_args JSONB NOT NULL, ${TIMESTAMPS}, metrics JSONB,
       ${layout === 'early' ? 'pickle BYTEA,' : ''}
       CONSTRAINT project_id_fk FOREIGN KEY(project_id) REFERENCES pgml.projects(id),
       CONSTRAINT snapshot_id_fk FOREIGN KEY(snapshot_id) REFERENCES pgml.snapshots(id))`,
    `CREATE TABLE pgml.deployments(id BIGSERIAL PRIMARY KEY, project_id BIGINT NOT NULL, model_id BIGINT NOT NULL,
       strategy TEXT NOT NULL, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp(),
       CONSTRAINT project_id_fk FOREIGN KEY(project_id) REFERENCES pgml.projects(id),
       CONSTRAINT model_id_fk FOREIGN KEY(model_id) REFERENCES pgml.models(id))`,
    ...(layout === 'final'
      ? [
          `CREATE TABLE pgml.files(id BIGSERIAL PRIMARY KEY, model_id BIGINT NOT NULL, path TEXT NOT NULL, part INTEGER NOT NULL,
             ${TIMESTAMPS}, data BYTEA NOT NULL, CONSTRAINT model_id_fk FOREIGN KEY(model_id) REFERENCES pgml.models(id) ON DELETE CASCADE)`,
          'CREATE UNIQUE INDEX files_model_id_path_part_idx ON pgml.files(model_id, path, part)',
        ]
      : []),
  ];
}

const at = (seconds: number): string => new Date(Date.UTC(2022, 5, 1, 12) + seconds * 1000).toISOString().replace('Z', '');

/** Lays the fixture out as a 1.0 database at `url` (which must be empty). */
export async function buildV1Database(url: string, fixture: V1Fixture): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const relation of fixture.relations) {
      await client.query(`CREATE TABLE ${relation.name} (${relation.columns.map(([n, t]) => `"${n}" ${t}`).join(', ')})`);
      const width = relation.columns.length;
      const values = relation.rows.map((_, r) => `(${relation.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
      await client.query(`INSERT INTO ${relation.name} VALUES ${values.join(', ')}`, relation.rows.flat());
    }
    for (const statement of schema(fixture.layout)) await client.query(statement);
    const taskColumn = fixture.layout === 'early' ? 'objective' : 'task';
    for (const p of fixture.projects) {
      await client.query(`INSERT INTO pgml.projects (id, name, ${taskColumn}) VALUES ($1, $2, $3)`, [p.id, p.name, p.task]);
    }
    for (const s of fixture.snapshots) {
      const relation = fixture.relations.find((r) => r.name === s.relation)!;
      await client.query(
        `INSERT INTO pgml.snapshots (id, relation_name, y_column_name, test_size, test_sampling, status, columns, analysis)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [s.id, s.relation, s.y, s.test_size, s.test_sampling, s.status, JSON.stringify(Object.fromEntries(relation.columns)), JSON.stringify({ samples: relation.rows.length })],
      );
      await client.query(`CREATE TABLE pgml."snapshot_${s.id}" AS SELECT * FROM ${s.relation}`);
    }
    for (const m of fixture.models) {
      const pickle = Buffer.from(m.pickle, 'base64');
      await client.query(
        `INSERT INTO pgml.models (id, project_id, snapshot_id, algorithm_name, hyperparams, status, search_params, search_args,
                                  metrics, created_at, updated_at ${fixture.layout === 'early' ? ', pickle' : ''})
         VALUES ($1, $2, $3, $4, $5, $6, '{}', '{}', $7, $8, $8 ${fixture.layout === 'early' ? ', $9' : ''})`,
        [m.id, m.project_id, m.snapshot_id, m.algorithm_name, JSON.stringify(m.hyperparams), m.status, JSON.stringify(m.metrics), at(m.created_at), ...(fixture.layout === 'early' ? [pickle] : [])],
      );
      if (fixture.layout === 'final') {
        // The random forest is stored in two parts, as 1.x did for large files.
        const parts = m.algorithm_name === 'random_forest' ? [pickle.subarray(0, 1000), pickle.subarray(1000)] : [pickle];
        for (const [part, data] of parts.entries()) {
          await client.query('INSERT INTO pgml.files (model_id, path, part, data) VALUES ($1, $2, $3, $4)', [
            m.id,
            `/tmp/postgresml/models/${m.id}/algorithm.pickle`,
            part,
            data,
          ]);
        }
      }
    }
    for (const d of fixture.deployments) {
      await client.query('INSERT INTO pgml.deployments (id, project_id, model_id, strategy, created_at) VALUES ($1, $2, $3, $4, $5)', [
        d.id,
        d.project_id,
        d.model_id,
        d.strategy,
        at(d.created_at),
      ]);
    }
    for (const table of ['projects', 'snapshots', 'models', 'deployments', ...(fixture.layout === 'final' ? ['files'] : [])]) {
      await client.query(`SELECT setval(pg_get_serial_sequence('pgml.${table}', 'id'), (SELECT max(id) FROM pgml.${table}))`);
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

/**
 * A fingerprint of every table in `schemas` (names, column types, row count and a hash of the rows), plus sequence
 * positions: equal fingerprints mean nothing in those schemas changed.
 */
export async function fingerprint(url: string, schemas: string[]): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ schema: string; name: string; columns: string }>(
      `SELECT c.table_schema AS schema, c.table_name AS name, string_agg(c.column_name || ' ' || c.data_type, ', ' ORDER BY c.ordinal_position) AS columns
         FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = ANY($1) AND t.table_type = 'BASE TABLE' GROUP BY 1, 2 ORDER BY 1, 2`,
      [schemas],
    );
    const out: Record<string, string> = {};
    for (const t of tables.rows) {
      const rows = await client.query<{ n: string; hash: string | null }>(
        `SELECT count(*) AS n, md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS hash FROM "${t.schema}"."${t.name}" x`,
      );
      out[`${t.schema}.${t.name}`] = `${t.columns} | ${rows.rows[0]!.n} rows | ${rows.rows[0]!.hash}`;
    }
    const sequences = await client.query<{ name: string; last: string | null }>(
      `SELECT schemaname || '.' || sequencename AS name, last_value::text AS last FROM pg_sequences WHERE schemaname = ANY($1)`,
      [schemas],
    );
    for (const s of sequences.rows) out[`sequence ${s.name}`] = String(s.last);
    const namespaces = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' ORDER BY 1`);
    out.schemas = namespaces.rows.map((r) => r.nspname).join(',');
    return out;
  } finally {
    await client.end();
  }
}
