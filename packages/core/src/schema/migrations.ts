/**
 * The `pgml` schema as versioned migrations. Version 1 is PostgresML 2.x's layout (pgml-extension/sql/schema.sql):
 * same tables, column names and types, so SQL written for PostgresML reads our tables. Differences, on purpose:
 * - PostgresML's enum types (pgml.task, pgml.sampling, pgml.runtime, pgml.strategy, pgml.search) are TEXT with
 *   CHECK constraints: the same values, and no `ALTER TYPE … ADD VALUE` (not allowed in a transaction) later.
 * - Two additions: the snapshot's split `seed` (so the split can be recomputed exactly), and a per-database
 *   `pgml.instance` id that keys the in-process model cache. Class labels travel in the model file's header meta.
 * Version 3 adds the triggers that notify in-process serving of deployment changes (`../serving/deployments.ts`).
 * Version 4 adds `pgml.explanations` (one JSON explanation per model, measured at train time) in a table of its own,
 * so `pgml.models` stays PostgresML's.
 * A migration is a list of statements (PGlite runs one statement per query) applied in one transaction.
 */
/** The channel migration 3's triggers notify (kept here: a released migration never changes). */
export const DEPLOYMENTS_CHANNEL = 'pgml_deployments';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

const TIMESTAMPS = `created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp(),
  updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp()`;

export const TASKS = ['regression', 'classification', 'clustering', 'decomposition'] as const;
export const SAMPLINGS = ['random', 'last', 'stratified'] as const;
/** The strategies `deploy(project, { strategy })` takes. */
export const STRATEGIES = ['best_score', 'most_recent', 'rollback'] as const;
/**
 * Every strategy a deployment row may record: deploy()'s, plus PostgresML 2.x's `new_score` (train's automatic
 * deployment) and `specific` (deploy of one model id).
 */
export const RECORDED_STRATEGIES = [...STRATEGIES, 'new_score', 'specific'] as const;
export const SEARCHES = ['grid', 'random'] as const;
/** `rust`: a native model trained under PostgresML 2.x's name for its Rust runtime, recorded as 2.x would. */
export const RUNTIMES = ['native', 'python', 'rust'] as const;

// What version 1 created its CHECK constraints with: a released migration never changes.
const V1_STRATEGIES = ['best_score', 'most_recent', 'rollback'];
const V1_RUNTIMES = ['native', 'python'];

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

function updatedAtTrigger(table: string): string {
  return `CREATE TRIGGER ${table}_auto_updated_at BEFORE UPDATE ON pgml.${table}
    FOR EACH ROW EXECUTE FUNCTION pgml.set_updated_at()`;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'PostgresML 2.x tables: projects, snapshots, models, deployments, files',
    statements: [
      `CREATE TABLE pgml.instance (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp()
      )`,
      `INSERT INTO pgml.instance DEFAULT VALUES`,
      `CREATE OR REPLACE FUNCTION pgml.set_updated_at() RETURNS TRIGGER AS $$
      BEGIN
        IF (NEW IS DISTINCT FROM OLD AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at) THEN
          NEW.updated_at := clock_timestamp();
        END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql`,
      `CREATE TABLE pgml.projects (
        id BIGSERIAL PRIMARY KEY,
        name TEXT NOT NULL,
        task TEXT NOT NULL CHECK (task IN (${list(TASKS)})),
        ${TIMESTAMPS}
      )`,
      `CREATE UNIQUE INDEX projects_name_idx ON pgml.projects(name)`,
      updatedAtTrigger('projects'),
      `CREATE TABLE pgml.snapshots (
        id BIGSERIAL PRIMARY KEY,
        relation_name TEXT NOT NULL,
        y_column_name TEXT[] NOT NULL,
        test_size FLOAT4 NOT NULL,
        test_sampling TEXT NOT NULL CHECK (test_sampling IN (${list(SAMPLINGS)})),
        status TEXT NOT NULL,
        columns JSONB,
        analysis JSONB,
        ${TIMESTAMPS},
        materialized BOOLEAN DEFAULT false,
        seed BIGINT NOT NULL DEFAULT 0
      )`,
      updatedAtTrigger('snapshots'),
      `CREATE TABLE pgml.models (
        id BIGSERIAL PRIMARY KEY,
        project_id BIGINT NOT NULL,
        snapshot_id BIGINT,
        num_features INT NOT NULL,
        algorithm TEXT NOT NULL,
        runtime TEXT DEFAULT 'python' CHECK (runtime IN (${list(V1_RUNTIMES)})),
        hyperparams JSONB NOT NULL,
        status TEXT NOT NULL,
        metrics JSONB,
        search TEXT CHECK (search IN (${list(SEARCHES)})),
        search_params JSONB NOT NULL,
        search_args JSONB NOT NULL,
        ${TIMESTAMPS},
        CONSTRAINT project_id_fk FOREIGN KEY (project_id) REFERENCES pgml.projects(id) ON DELETE CASCADE,
        CONSTRAINT snapshot_id_fk FOREIGN KEY (snapshot_id) REFERENCES pgml.snapshots(id) ON DELETE SET NULL
      )`,
      `CREATE INDEX models_project_id_idx ON pgml.models(project_id)`,
      `CREATE INDEX models_snapshot_id_idx ON pgml.models(snapshot_id)`,
      updatedAtTrigger('models'),
      `CREATE TABLE pgml.deployments (
        id BIGSERIAL PRIMARY KEY,
        project_id BIGINT NOT NULL,
        model_id BIGINT NOT NULL,
        strategy TEXT NOT NULL CHECK (strategy IN (${list(V1_STRATEGIES)})),
        created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT project_id_fk FOREIGN KEY (project_id) REFERENCES pgml.projects(id) ON DELETE CASCADE,
        CONSTRAINT model_id_fk FOREIGN KEY (model_id) REFERENCES pgml.models(id) ON DELETE CASCADE
      )`,
      // predict's per-call lookup ("latest deployment of this project") is one scan of this index.
      `CREATE INDEX deployments_project_id_created_at_idx ON pgml.deployments(project_id, created_at DESC, id DESC)`,
      `CREATE INDEX deployments_model_id_created_at_idx ON pgml.deployments(model_id)`,
      `CREATE TABLE pgml.files (
        id BIGSERIAL PRIMARY KEY,
        model_id BIGINT NOT NULL,
        path TEXT NOT NULL,
        part INTEGER NOT NULL,
        ${TIMESTAMPS},
        data BYTEA NOT NULL,
        CONSTRAINT model_id_fk FOREIGN KEY (model_id) REFERENCES pgml.models(id) ON DELETE CASCADE
      )`,
      `CREATE UNIQUE INDEX files_model_id_path_part_idx ON pgml.files(model_id, path, part)`,
      updatedAtTrigger('files'),
      `CREATE VIEW pgml.deployed_models AS
        SELECT m.id, p.name, p.task, m.algorithm, m.runtime, d.created_at AS deployed_at
          FROM pgml.projects p
          JOIN (SELECT DISTINCT ON (project_id) project_id, model_id, created_at
                  FROM pgml.deployments ORDER BY project_id, created_at DESC, id DESC) d ON d.project_id = p.id
          JOIN pgml.models m ON m.id = d.model_id
         ORDER BY p.name ASC`,
      `CREATE VIEW pgml.trained_models AS
        SELECT m.id, p.name, p.task, m.algorithm, m.runtime, m.created_at, s.test_sampling, s.test_size,
               d.model_id IS NOT NULL AS deployed
          FROM pgml.projects p
          JOIN pgml.models m ON p.id = m.project_id
          JOIN pgml.snapshots s ON s.id = m.snapshot_id
          LEFT JOIN (SELECT DISTINCT ON (project_id) project_id, model_id, created_at
                       FROM pgml.deployments ORDER BY project_id, created_at DESC, id DESC) d ON d.model_id = m.id
         ORDER BY m.created_at DESC`,
      `CREATE VIEW pgml.overview AS
        SELECT p.name, d.created_at AS deployed_at, p.task, m.algorithm, m.runtime, s.relation_name,
               s.y_column_name, s.test_sampling, s.test_size
          FROM pgml.projects p
          JOIN pgml.models m ON p.id = m.project_id
          JOIN pgml.deployments d ON d.project_id = p.id AND d.model_id = m.id
          JOIN pgml.snapshots s ON s.id = m.snapshot_id
         ORDER BY d.created_at DESC`,
    ],
  },
  {
    version: 2,
    name: "PostgresML 2.x's recorded names: runtime rust, deployment strategies new_score and specific",
    statements: [
      `ALTER TABLE pgml.models DROP CONSTRAINT IF EXISTS models_runtime_check,
        ADD CONSTRAINT models_runtime_check CHECK (runtime IN (${list(RUNTIMES)}))`,
      `ALTER TABLE pgml.deployments DROP CONSTRAINT IF EXISTS deployments_strategy_check,
        ADD CONSTRAINT deployments_strategy_check CHECK (strategy IN (${list(RECORDED_STRATEGIES)}))`,
    ],
  },
  {
    version: 3,
    name: 'notify pgml_deployments on every change of deployments and model files (in-process serving)',
    statements: [
      // Sent from inside the changing transaction, delivered when it commits (never if it rolls back). A deployment
      // names its project and when the trigger ran (ms since the epoch: the listener reports the lag); a file change
      // names its model and nothing else, so a model's many parts collapse into one notification (PostgreSQL drops
      // a transaction's duplicate payloads); TRUNCATE says "everything".
      `CREATE OR REPLACE FUNCTION pgml.notify_deployments() RETURNS TRIGGER AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('${DEPLOYMENTS_CHANNEL}', '{"all":true}');
        ELSIF TG_TABLE_NAME = 'deployments' THEN
          PERFORM pg_notify('${DEPLOYMENTS_CHANNEL}', json_build_object(
            'project', CASE WHEN TG_OP = 'DELETE' THEN OLD.project_id ELSE NEW.project_id END,
            'at', floor(extract(epoch FROM clock_timestamp()) * 1000))::text);
        ELSE
          PERFORM pg_notify('${DEPLOYMENTS_CHANNEL}', json_build_object(
            'model', CASE WHEN TG_OP = 'DELETE' THEN OLD.model_id ELSE NEW.model_id END)::text);
        END IF;
        RETURN NULL;
      END;
      $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER deployments_notify AFTER INSERT OR UPDATE OR DELETE ON pgml.deployments
        FOR EACH ROW EXECUTE FUNCTION pgml.notify_deployments()`,
      `CREATE TRIGGER deployments_notify_truncate AFTER TRUNCATE ON pgml.deployments
        FOR EACH STATEMENT EXECUTE FUNCTION pgml.notify_deployments()`,
      `CREATE TRIGGER files_notify AFTER UPDATE OR DELETE ON pgml.files
        FOR EACH ROW EXECUTE FUNCTION pgml.notify_deployments()`,
      `CREATE TRIGGER files_notify_truncate AFTER TRUNCATE ON pgml.files
        FOR EACH STATEMENT EXECUTE FUNCTION pgml.notify_deployments()`,
    ],
  },
  {
    version: 4,
    name: 'model explanations',
    statements: [
      `CREATE TABLE pgml.explanations (
        model_id BIGINT PRIMARY KEY,
        explanation JSONB NOT NULL,
        ${TIMESTAMPS},
        CONSTRAINT model_id_fk FOREIGN KEY (model_id) REFERENCES pgml.models(id) ON DELETE CASCADE
      )`,
      updatedAtTrigger('explanations'),
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
