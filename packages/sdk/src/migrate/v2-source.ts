/**
 * Reading a PostgresML 2.x `pgml` schema (pgml-extension/sql/schema.sql, its enums from src/orm/*.rs): projects,
 * snapshots (columns JSON with each column's preprocessor and statistics), models (algorithm and runtime as enums),
 * deployments and files. Every model's bytes are `pgml.files` rows at path `estimator.rmp` (parts concatenated by
 * `part`): `pickle.dumps(estimator)` for the python runtime, XGBoost's saved model for rust xgboost, MessagePack
 * (`rmp_serde`) of linfa's fitted structs for the rust linear, logistic and svm models. Rows are read through
 * `to_jsonb`, so enums arrive as their text. The catalog takes 1.0's shape, which the writer already copies.
 */
import { InvalidArgument, quoteIdent, type Db } from '@pgml-ts/core';
import type { V1Catalog, V1File, V1Model, V1Project, V1Snapshot } from './v1-source.js';

export interface V2Model extends V1Model {
  /** `pgml.runtime`: which runtime trained and stored it. */
  runtime: 'python' | 'rust';
}

export interface V2Catalog extends Omit<V1Catalog, 'models'> {
  models: V2Model[];
}

/** The path 2.x stores every model's bytes under (`Model::fit`: `INSERT INTO pgml.files … 'estimator.rmp'`). */
export const V2_MODEL_PATH = 'estimator.rmp';

const TABLES = ['projects', 'snapshots', 'models', 'deployments', 'files'];

async function rows<T>(db: Db, sql: string): Promise<T[]> {
  const result = await db.query<{ row: T | string }>(sql);
  return result.rows.map((r) => (typeof r.row === 'string' ? (JSON.parse(r.row) as T) : r.row));
}

/**
 * Ids keep their values through migration; JavaScript numbers hold integers exactly up to 2^53 − 1. A 2.x database
 * whose ids come from `snowflake.nextval()` (its schema.sql sets that default where the snowflake extension is
 * installed) has larger ids: refused up front, before anything is read or written.
 */
async function checkIds(db: Db, schema: string): Promise<void> {
  for (const table of TABLES) {
    const found = await db.query<{ too_large: boolean }>(
      `SELECT COALESCE(max(id) > ${Number.MAX_SAFE_INTEGER}, false) AS too_large FROM ${quoteIdent(schema)}.${quoteIdent(table)}`,
    );
    if (found.rows[0]?.too_large) {
      throw new InvalidArgument(
        `${schema}.${table} has ids above 2^53 − 1 (snowflake ids?): the migration keeps ids, and larger ones cannot be kept exactly`,
        { table },
      );
    }
  }
}

export async function readV2Catalog(db: Db, schema: string): Promise<V2Catalog> {
  await checkIds(db, schema);
  const s = quoteIdent(schema);
  const projects = await rows<V1Project>(db, `SELECT to_jsonb(p) AS row FROM ${s}.projects p ORDER BY id`);
  const snapshots = await rows<V1Snapshot>(db, `SELECT to_jsonb(s) AS row FROM ${s}.snapshots s ORDER BY id`);
  const models = await rows<V2Model & { algorithm: string }>(
    db,
    `SELECT to_jsonb(m) || jsonb_build_object('algorithm_name', m.algorithm::text) AS row FROM ${s}.models m ORDER BY id`,
  );
  const deployments = await rows<V1Catalog['deployments'][number]>(db, `SELECT to_jsonb(d) AS row FROM ${s}.deployments d ORDER BY id`);
  const deployed = await db.query<{ project_id: string; model_id: string }>(
    `SELECT DISTINCT ON (project_id) project_id, model_id FROM ${s}.deployments ORDER BY project_id, created_at DESC, id DESC`,
  );
  const maxFileId = Number((await db.query<{ n: string | null }>(`SELECT max(id) AS n FROM ${s}.files`)).rows[0]?.n ?? 0);
  return {
    maxFileId,
    projects: projects.map((p) => ({ ...p, id: Number(p.id) })),
    snapshots: new Map(snapshots.map((snapshot) => [Number(snapshot.id), { ...snapshot, y_column_name: snapshot.y_column_name ?? [] }])),
    models: models.map((m) => ({ ...m, id: Number(m.id), project_id: Number(m.project_id), snapshot_id: Number(m.snapshot_id) })),
    deployments: deployments.map((d) => ({ ...d, id: Number(d.id), project_id: Number(d.project_id), model_id: Number(d.model_id) })),
    deployed: new Map(deployed.rows.map((r) => [Number(r.project_id), Number(r.model_id)])),
  };
}

export interface V2ModelBytes {
  /** The model bytes: `estimator.rmp`'s parts concatenated. */
  bytes: Uint8Array;
  /** The `pgml.files` rows as stored, copied verbatim so nothing of 2.x is lost. */
  files: V1File[];
}

export async function readV2ModelBytes(db: Db, schema: string, modelId: number): Promise<V2ModelBytes> {
  const found = await db.query<V1File>(
    `SELECT id, path, part, created_at::text AS created_at, updated_at::text AS updated_at, data
       FROM ${quoteIdent(schema)}.files WHERE model_id = $1 ORDER BY path, part`,
    [modelId],
  );
  const files = found.rows.map((f) => ({ ...f, id: Number(f.id), part: Number(f.part) }));
  const parts = files.filter((f) => f.path === V2_MODEL_PATH);
  if (parts.length === 0) {
    throw new InvalidArgument(
      files.length === 0
        ? `model ${modelId} has no rows in pgml.files`
        : `model ${modelId} has no ${V2_MODEL_PATH} (files: ${[...new Set(files.map((f) => f.path))].join(', ')}; e.g. a Hugging Face model)`,
    );
  }
  return { bytes: Buffer.concat(parts.map((f) => f.data)), files };
}
