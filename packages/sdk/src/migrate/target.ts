/**
 * Writes 1.0 rows into the 2.x-compatible `pgml` schema with their ids, the way PostgresML's own 1.0 → 2.0 script
 * does (explicit ids, then each sequence moved past the largest id). Every write checks what is already there, so a
 * second run adds nothing: a row with the same id and the same identity is "already migrated", a row with the same id
 * and another identity is a conflict (the project is not migrated).
 */
import { InvalidArgument, RECORDED_STRATEGIES, type Db, type RecordedStrategy, type SnapshotColumn, type StoredRuntimeName } from '@pgml-ts/core';
import type { V1Deployment, V1File, V1Model, V1Project, V1Snapshot } from './v1-source.js';

const TABLES = ['projects', 'snapshots', 'models', 'deployments', 'files'] as const;

function json(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Keeps the row's id: existing → 'exists'; the id belongs to another project/name → conflict error. */
export async function ensureProject(tx: Db, project: V1Project): Promise<'created' | 'exists'> {
  const found = await tx.query<{ id: string; name: string }>('SELECT id, name FROM pgml.projects WHERE id = $1 OR name = $2', [
    project.id,
    project.name,
  ]);
  const same = found.rows.find((r) => Number(r.id) === project.id && r.name === project.name);
  if (same) return 'exists';
  if (found.rows.length > 0) {
    const other = found.rows[0]!;
    throw new InvalidArgument(
      `the target already has project ${other.id} ${JSON.stringify(other.name)}, which conflicts with 1.0 project ${project.id} ${JSON.stringify(project.name)}`,
    );
  }
  await tx.query(
    `INSERT INTO pgml.projects (id, name, task, created_at, updated_at)
     VALUES ($1, $2, $3, COALESCE($4::timestamp, clock_timestamp()), COALESCE($5::timestamp, clock_timestamp()))`,
    [project.id, project.name, project.task, project.created_at ?? null, project.updated_at ?? null],
  );
  return 'created';
}

export async function snapshotExists(tx: Db, snapshot: V1Snapshot): Promise<boolean> {
  const found = await tx.query<{ relation_name: string }>('SELECT relation_name FROM pgml.snapshots WHERE id = $1', [snapshot.id]);
  const row = found.rows[0];
  if (row && row.relation_name !== snapshot.relation_name) {
    throw new InvalidArgument(`the target's snapshot ${snapshot.id} is of ${row.relation_name}, not ${snapshot.relation_name}`);
  }
  return row !== undefined;
}

/** 2.x knows random, last and stratified; 1.0's `first` has no equivalent and becomes `last`. */
export function testSampling(value: string): 'random' | 'last' | 'stratified' {
  return value === 'random' || value === 'stratified' ? value : 'last';
}

/**
 * `columns`: our snapshot columns when the table could be read (with the source's `preprocess` per column, 2.x's),
 * else the source's JSON kept as it was.
 */
export async function insertSnapshot(
  tx: Db,
  snapshot: V1Snapshot,
  columns: SnapshotColumn[] | undefined,
  materialized: boolean,
  preprocess: Record<string, unknown> = {},
): Promise<void> {
  await tx.query(
    `INSERT INTO pgml.snapshots (id, relation_name, y_column_name, test_size, test_sampling, status, columns, analysis,
                                 created_at, updated_at, materialized)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9::timestamp, clock_timestamp()), COALESCE($10::timestamp, clock_timestamp()), $11)`,
    [
      snapshot.id,
      snapshot.relation_name,
      snapshot.y_column_name ?? [],
      snapshot.test_size,
      testSampling(snapshot.test_sampling),
      snapshot.status,
      columns ? JSON.stringify(columns.map((c) => ({ ...c, preprocessor: preprocess[c.name] ?? {} }))) : json(snapshot.columns),
      json(snapshot.analysis),
      snapshot.created_at ?? null,
      snapshot.updated_at ?? null,
      materialized,
    ],
  );
}

export interface ExistingModel {
  /** The serving runtime (a stored `rust` is native). */
  runtime: 'python' | 'native';
}

export async function existingModel(tx: Db, model: V1Model): Promise<ExistingModel | undefined> {
  const found = await tx.query<{ project_id: string; runtime: StoredRuntimeName }>(
    'SELECT project_id, runtime FROM pgml.models WHERE id = $1',
    [model.id],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  if (Number(row.project_id) !== model.project_id) {
    throw new InvalidArgument(`the target's model ${model.id} belongs to project ${row.project_id}, not ${model.project_id}`);
  }
  return { runtime: row.runtime === 'python' ? 'python' : 'native' };
}

/** 1.0 misspelled one algorithm; PostgresML's own migration renames it too. */
function algorithmName(name: string): string {
  return name === 'orthoganl_matching_pursuit' ? 'orthogonal_matching_pursuit' : name;
}

export async function insertModel(tx: Db, model: V1Model, numFeatures: number, runtime: StoredRuntimeName): Promise<void> {
  await tx.query(
    `INSERT INTO pgml.models (id, project_id, snapshot_id, num_features, algorithm, runtime, hyperparams, status, metrics,
                              search, search_params, search_args, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
             COALESCE($13::timestamp, clock_timestamp()), COALESCE($14::timestamp, clock_timestamp()))`,
    [
      model.id,
      model.project_id,
      model.snapshot_id,
      numFeatures,
      algorithmName(model.algorithm_name),
      runtime,
      json(model.hyperparams) ?? '{}',
      model.status,
      json(model.metrics),
      model.search === 'grid' || model.search === 'random' ? model.search : null,
      json(model.search_params) ?? '{}',
      json(model.search_args) ?? '{}',
      model.created_at ?? null,
      model.updated_at ?? null,
    ],
  );
}

export async function setModelRuntime(tx: Db, modelId: number, runtime: 'python' | 'native'): Promise<void> {
  await tx.query('UPDATE pgml.models SET runtime = $2 WHERE id = $1', [modelId, runtime]);
}

/** Where the early layout's `models.pickle` is kept in `pgml.files`, so the 1.0 bytes stay next to the model. */
export const V1_PICKLE_PATH = 'pgml_v1/models.pickle';

/** The 1.0 model bytes, verbatim: final-layout rows keep their id where it is free, early pickles get one row. */
export async function copyV1Files(tx: Db, modelId: number, files: readonly V1File[], earlyPickle?: Uint8Array): Promise<void> {
  if (earlyPickle) {
    await tx.query('INSERT INTO pgml.files (model_id, path, part, data) VALUES ($1, $2, 0, $3)', [modelId, V1_PICKLE_PATH, earlyPickle]);
  }
  for (const file of files) {
    await tx.query(
      `INSERT INTO pgml.files (id, model_id, path, part, created_at, updated_at, data)
       SELECT $1::bigint, $2::bigint, $3::text, $4::int4, $5::timestamp, $6::timestamp, $7::bytea
        WHERE NOT EXISTS (SELECT 1 FROM pgml.files WHERE id = $1::bigint)`,
      [file.id, modelId, file.path, file.part, file.created_at, file.updated_at, file.data],
    );
    // The id was taken by another row: keep the bytes under a new id.
    await tx.query(
      `INSERT INTO pgml.files (model_id, path, part, created_at, updated_at, data)
       SELECT $1::bigint, $2::text, $3::int4, $4::timestamp, $5::timestamp, $6::bytea
        WHERE NOT EXISTS (SELECT 1 FROM pgml.files WHERE model_id = $1::bigint AND path = $2::text AND part = $3::int4)`,
      [modelId, file.path, file.part, file.created_at, file.updated_at, file.data],
    );
  }
}

/** Drops the model's 2.x envelope (before storing a re-encoded one). */
export async function deleteModelFile(tx: Db, modelId: number, path: string): Promise<void> {
  await tx.query('DELETE FROM pgml.files WHERE model_id = $1 AND path = $2', [modelId, path]);
}

/** The strategies PostgresML recorded (1.0's and 2.x's, `new_score` and `specific` included) are kept; others become most_recent. */
export function deployStrategy(source: string): RecordedStrategy {
  return (RECORDED_STRATEGIES as readonly string[]).includes(source) ? (source as RecordedStrategy) : 'most_recent';
}

export async function insertDeploymentIfMissing(tx: Db, deployment: V1Deployment): Promise<boolean> {
  const inserted = await tx.query(
    `INSERT INTO pgml.deployments (id, project_id, model_id, strategy, created_at)
     SELECT $1::bigint, $2::bigint, $3::bigint, $4::text, COALESCE($5::timestamp, clock_timestamp())
      WHERE NOT EXISTS (SELECT 1 FROM pgml.deployments WHERE id = $1::bigint)`,
    [deployment.id, deployment.project_id, deployment.model_id, deployStrategy(deployment.strategy), deployment.created_at ?? null],
  );
  return inserted.rowCount > 0;
}

export async function modelIdsIn(tx: Db, projectId: number): Promise<Set<number>> {
  const found = await tx.query<{ id: string }>('SELECT id FROM pgml.models WHERE project_id = $1', [projectId]);
  return new Set(found.rows.map((r) => Number(r.id)));
}

/** The model 2.x serves for the project now (its latest deployment), or null. */
export async function deployedAfter(db: Db, projectId: number): Promise<number | null> {
  const found = await db.query<{ model_id: string }>(
    'SELECT model_id FROM pgml.deployments WHERE project_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
    [projectId],
  );
  return found.rows[0] ? Number(found.rows[0].model_id) : null;
}

/** Numbers new `pgml.files` rows above `id`, so the 1.0 file rows copied later keep their ids. */
export async function reserveFileIds(tx: Db, id: number): Promise<void> {
  await tx.query(
    `SELECT setval(pg_get_serial_sequence('pgml.files', 'id'), GREATEST(COALESCE((SELECT max(id) FROM pgml.files), 0), $1::bigint) + 1, false)`,
    [id],
  );
}

/** Moves every id sequence past the largest id, so 2.x inserts never collide with migrated rows. */
export async function resetSequences(tx: Db): Promise<void> {
  for (const table of TABLES) {
    await tx.query(
      `SELECT setval(pg_get_serial_sequence('pgml.${table}', 'id'), COALESCE((SELECT max(id) FROM pgml.${table}), 0) + 1, false)`,
    );
  }
}
