/**
 * PostgresML 2.x databases for the migration tests, built at test time: make_v2_database.py fits the models and
 * writes their bytes as 2.x stores them; this file creates the 2.x schema and inserts the rows the way 2.x's code
 * does. The schema follows pgml-extension/sql/schema.sql (2.7+: nullable y_column_name and snapshot_id) with the
 * enums pgrx generates from src/orm/{task,sampling,runtime,strategy,algorithm,status}.rs; left out are its two
 * `SELECT pgml.validate_…()` checks (functions of the compiled extension) and the `snowflake.nextval()` id
 * defaults (the separate snowflake extension; ids then come from the BIGSERIAL sequences, as before 2.7).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const PYTHON = process.env.PGML_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./fixtures/make_v2_database.py', import.meta.url));

export interface V2FixtureModel {
  id: number;
  project_id: number;
  snapshot_id: number;
  algorithm: string;
  runtime: 'python' | 'rust';
  task: 'regression' | 'classification';
  hyperparams: Record<string, unknown>;
  metrics: Record<string, number>;
  data: string;
  /** What 2.x predicted for every snapshot row (null for models it could not or would not serve here). */
  expected: { predictions: number[]; proba?: number[] } | null;
}

export interface V2Fixture {
  marker: string;
  relations: Array<{ name: string; columns: Array<[string, string]>; rows: unknown[][] }>;
  projects: Array<{ id: number; name: string; task: string }>;
  snapshots: Array<{ id: number; relation: string; y: string[]; test_size: number; test_sampling: string; columns: unknown[] }>;
  models: V2FixtureModel[];
  deployments: Array<{ id: number; project_id: number; model_id: number; strategy: string }>;
}

export async function makeV2Fixture(markerDir: string): Promise<V2Fixture> {
  const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, markerDir], { maxBuffer: 64 * 1024 * 1024 });
  return { ...(JSON.parse(stdout) as Omit<V2Fixture, 'marker'>), marker: `${markerDir}/v2_pwned` };
}

const enumType = (name: string, values: string[]) => `CREATE TYPE pgml.${name} AS ENUM (${values.map((v) => `'${v}'`).join(', ')})`;
const TIMESTAMPS = `created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp(),
  updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp()`;

/** PostgresML 2.x's pgml schema, as its extension creates it (see the file comment). */
export const V2_SCHEMA: readonly string[] = [
  'CREATE SCHEMA pgml',
  enumType('task', ['regression', 'classification', 'decomposition', 'clustering', 'question_answering', 'summarization', 'translation',
    'text_classification', 'text_generation', 'text2text', 'embedding', 'text_pair_classification', 'conversation']),
  enumType('sampling', ['random', 'last', 'stratified']),
  enumType('runtime', ['python', 'rust', 'openai']),
  enumType('strategy', ['new_score', 'best_score', 'most_recent', 'rollback', 'specific']),
  enumType('status', ['in_progress', 'successful', 'failed']),
  enumType('algorithm', ['linear', 'xgboost', 'xgboost_random_forest', 'svm', 'lasso', 'elastic_net', 'ridge', 'kmeans', 'dbscan', 'knn',
    'random_forest', 'least_angle', 'lasso_least_angle', 'orthogonal_matching_pursuit', 'bayesian_ridge', 'automatic_relevance_determination',
    'stochastic_gradient_descent', 'perceptron', 'passive_aggressive', 'ransac', 'theil_sen', 'huber', 'quantile', 'kernel_ridge',
    'gaussian_process', 'nu_svm', 'ada_boost', 'bagging', 'extra_trees', 'gradient_boosting_trees', 'hist_gradient_boosting', 'linear_svm',
    'lightgbm', 'transformers', 'affinity_propagation', 'birch', 'feature_agglomeration', 'mini_batch_kmeans', 'mean_shift', 'optics',
    'spectral', 'spectral_bi', 'spectral_co', 'catboost', 'pca']),
  `CREATE FUNCTION pgml.set_updated_at() RETURNS TRIGGER AS $$ BEGIN
     IF (NEW IS DISTINCT FROM OLD AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at) THEN
       NEW.updated_at := clock_timestamp(); END IF; RETURN NEW; END; $$ LANGUAGE plpgsql`,
  `CREATE TABLE pgml.projects(id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, task pgml.task NOT NULL, ${TIMESTAMPS})`,
  'CREATE UNIQUE INDEX projects_name_idx ON pgml.projects(name)',
  `CREATE TABLE pgml.snapshots(id BIGSERIAL PRIMARY KEY, relation_name TEXT NOT NULL, y_column_name TEXT[], test_size FLOAT4 NOT NULL,
     test_sampling pgml.sampling NOT NULL, status TEXT NOT NULL, columns JSONB, analysis JSONB, ${TIMESTAMPS},
     materialized BOOLEAN DEFAULT false)`,
  `CREATE TABLE pgml.models(id BIGSERIAL PRIMARY KEY, project_id BIGINT NOT NULL, snapshot_id BIGINT, num_features INT NOT NULL,
     algorithm TEXT NOT NULL, runtime pgml.runtime DEFAULT 'python'::pgml.runtime, hyperparams JSONB NOT NULL, status TEXT NOT NULL,
     metrics JSONB, search TEXT, search_params JSONB NOT NULL, search_args JSONB NOT NULL, ${TIMESTAMPS},
     CONSTRAINT project_id_fk FOREIGN KEY(project_id) REFERENCES pgml.projects(id) ON DELETE CASCADE,
     CONSTRAINT snapshot_id_fk FOREIGN KEY(snapshot_id) REFERENCES pgml.snapshots(id) ON DELETE SET NULL)`,
  'CREATE INDEX models_project_id_idx ON pgml.models(project_id)',
  'CREATE INDEX models_snapshot_id_idx ON pgml.models(snapshot_id)',
  `CREATE TABLE pgml.deployments(id BIGSERIAL PRIMARY KEY, project_id BIGINT NOT NULL, model_id BIGINT NOT NULL,
     strategy pgml.strategy NOT NULL, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp(),
     CONSTRAINT project_id_fk FOREIGN KEY(project_id) REFERENCES pgml.projects(id) ON DELETE CASCADE,
     CONSTRAINT model_id_fk FOREIGN KEY(model_id) REFERENCES pgml.models(id) ON DELETE CASCADE)`,
  'CREATE INDEX deployments_project_id_created_at_idx ON pgml.deployments(project_id)',
  'CREATE INDEX deployments_model_id_created_at_idx ON pgml.deployments(model_id)',
  `CREATE TABLE pgml.files(id BIGSERIAL PRIMARY KEY, model_id BIGINT NOT NULL, path TEXT NOT NULL, part INTEGER NOT NULL, ${TIMESTAMPS},
     data BYTEA NOT NULL, CONSTRAINT model_id_fk FOREIGN KEY(model_id) REFERENCES pgml.models(id) ON DELETE CASCADE)`,
  'CREATE UNIQUE INDEX files_model_id_path_part_idx ON pgml.files(model_id, path, part)',
  ...['projects', 'snapshots', 'models', 'deployments', 'files'].map(
    (t) => `CREATE TRIGGER ${t}_auto_updated_at BEFORE UPDATE ON pgml.${t} FOR EACH ROW EXECUTE PROCEDURE pgml.set_updated_at()`,
  ),
  `CREATE VIEW pgml.deployed_models AS SELECT m.id, p.name, p.task, m.algorithm, m.runtime, d.created_at AS deployed_at
     FROM pgml.projects p
     JOIN (SELECT DISTINCT ON(project_id) project_id, model_id, created_at FROM pgml.deployments ORDER BY project_id, created_at DESC) d
       ON d.project_id = p.id
     JOIN pgml.models m ON m.id = d.model_id ORDER BY p.name ASC`,
];

/** Lays the fixture out in `url`'s database as 2.x's own code writes it (Project::create, Snapshot::create, Model::create/fit, deploy). */
export async function loadV2Database(url: string, fixture: V2Fixture): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const statement of V2_SCHEMA) await client.query(statement);
    for (const r of fixture.relations) {
      await client.query(`CREATE TABLE ${r.name} (${r.columns.map(([n, t]) => `"${n}" ${t}`).join(', ')})`);
      for (const row of r.rows) {
        await client.query(`INSERT INTO ${r.name} VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, row);
      }
    }
    for (const p of fixture.projects) {
      await client.query('INSERT INTO pgml.projects (id, name, task) VALUES ($1, $2, $3::pgml.task)', [p.id, p.name, p.task]);
    }
    for (const s of fixture.snapshots) {
      await client.query(
        `INSERT INTO pgml.snapshots (id, relation_name, y_column_name, test_size, test_sampling, status, columns, materialized)
         VALUES ($1, $2, $3, $4, $5::pgml.sampling, $6::pgml.status, $7, true)`,
        [s.id, s.relation, s.y, s.test_size, s.test_sampling, 'successful', JSON.stringify(s.columns)],
      );
      // The materialized snapshot: the relation's rows with the test rows last (the fixture's table order).
      await client.query(`CREATE TABLE "pgml"."snapshot_${s.id}" AS SELECT * FROM ${s.relation}`);
    }
    for (const m of fixture.models) {
      const snapshot = fixture.snapshots.find((s) => s.id === m.snapshot_id)!;
      const numFeatures = (snapshot.columns as Array<{ label: boolean }>).filter((c) => !c.label).length;
      await client.query(
        `INSERT INTO pgml.models (id, project_id, snapshot_id, algorithm, runtime, hyperparams, status, search, search_params, search_args, num_features)
         VALUES ($1, $2, $3, cast($4 AS pgml.algorithm), cast($5 AS pgml.runtime), $6, cast($7 AS pgml.status), NULL, '{}', '{}', $8)`,
        [m.id, m.project_id, m.snapshot_id, m.algorithm, m.runtime, JSON.stringify(m.hyperparams), 'in_progress', numFeatures],
      );
      await client.query('UPDATE pgml.models SET hyperparams = $1, metrics = $2 WHERE id = $3', [
        JSON.stringify(m.hyperparams),
        JSON.stringify({ ...m.metrics, fit_time: 0.01, score_time: 0.001 }),
        m.id,
      ]);
      await client.query("INSERT INTO pgml.files (model_id, path, part, data) VALUES ($1, 'estimator.rmp', 0, $2)", [m.id, Buffer.from(m.data, 'base64')]);
      await client.query('UPDATE pgml.models SET status = $1::pgml.status WHERE id = $2', ['successful', m.id]);
    }
    for (const d of fixture.deployments) {
      await client.query('INSERT INTO pgml.deployments (id, project_id, model_id, strategy) VALUES ($1, $2, $3, $4::pgml.strategy)', [
        d.id,
        d.project_id,
        d.model_id,
        d.strategy,
      ]);
    }
    for (const table of ['projects', 'snapshots', 'models', 'deployments', 'files']) {
      await client.query(`SELECT setval(pg_get_serial_sequence('pgml.${table}', 'id'), (SELECT max(id) FROM pgml.${table}))`);
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
