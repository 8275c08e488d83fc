/**
 * Reading a PostgresML 1.0 schema (docs/architecture.md#migration). Two shapes exist, told apart by their columns:
 * - early: `projects.objective`, the pickle in `models.pickle BYTEA`;
 * - final: `projects.task`, the pickle in `pgml.files(model_id, path, part, data)`, parts concatenated by `part`.
 * Rows are read through `to_jsonb`, so a column one 1.x release lacked (e.g. `search_args`) is simply absent, and
 * timestamps keep their microseconds as text.
 */
import { InvalidArgument, quoteIdent, type Db } from '@pgml-ts/core';

export interface V1Layout {
  name: 'early' | 'final';
  taskColumn: 'objective' | 'task';
  modelBytes: 'pickle' | 'files';
  /**
   * How 1.0 ordered the feature columns. Its final `Snapshot.data` kept the snapshot table's column order; the early
   * one (the `objective` era) called `features.sort()`, so those models were fitted on the features sorted by name.
   */
  featureOrder: 'table' | 'sorted';
}

/** `v2`: pgml-ts's own schema (it has `schema_migrations`); `postgresml2`: the PostgresML 2.x extension's tables. */
export type SchemaKind =
  | { kind: 'v1'; layout: V1Layout }
  | { kind: 'v2' }
  | { kind: 'postgresml2' }
  | { kind: 'absent' }
  | { kind: 'other' };

export interface V1Project {
  id: number;
  name: string;
  task: string;
  created_at?: string;
  updated_at?: string;
}

export interface V1Snapshot {
  id: number;
  relation_name: string;
  y_column_name: string[];
  test_size: number;
  test_sampling: string;
  status: string;
  columns: unknown;
  analysis: unknown;
  created_at?: string;
  updated_at?: string;
}

export interface V1Model {
  id: number;
  project_id: number;
  snapshot_id: number;
  algorithm_name: string;
  hyperparams: unknown;
  status: string;
  metrics: unknown;
  search?: string | null;
  search_params?: unknown;
  search_args?: unknown;
  created_at?: string;
  updated_at?: string;
}

export interface V1Deployment {
  id: number;
  project_id: number;
  model_id: number;
  strategy: string;
  created_at?: string;
}

export interface V1File {
  id: number;
  path: string;
  part: number;
  created_at: string;
  updated_at: string;
  data: Uint8Array;
}

export interface V1Catalog {
  projects: V1Project[];
  snapshots: Map<number, V1Snapshot>;
  models: V1Model[];
  deployments: V1Deployment[];
  /** project id → the model its latest deployment points at (1.0's `find_deployed`). */
  deployed: Map<number, number>;
  /** The largest `pgml.files` id (0 for the early layout): 2.x files are numbered above it so 1.0 ids stay free. */
  maxFileId: number;
}

/** What lives in `schema` of `db`: a 1.0 layout, a 2.x-compatible one, nothing, or something else. */
export async function describeSchema(db: Db, schema: string): Promise<SchemaKind> {
  const found = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = $1 AND table_name IN ('projects', 'models', 'files', 'schema_migrations')`,
    [schema],
  );
  if (found.rows.length === 0) return { kind: 'absent' };
  const has = (table: string, column?: string): boolean =>
    found.rows.some((r) => r.table_name === table && (column === undefined || r.column_name === column));
  if (has('schema_migrations')) return { kind: 'v2' };
  if (has('models', 'algorithm') && has('models', 'runtime') && has('files')) return { kind: 'postgresml2' };
  if (!has('models', 'algorithm_name')) return { kind: 'other' };
  const taskColumn = has('projects', 'objective') ? 'objective' : 'task';
  const modelBytes = has('models', 'pickle') ? 'pickle' : 'files';
  if (modelBytes === 'files' && !has('files')) return { kind: 'other' };
  return {
    kind: 'v1',
    layout: {
      name: taskColumn === 'objective' ? 'early' : 'final',
      taskColumn,
      modelBytes,
      featureOrder: taskColumn === 'objective' ? 'sorted' : 'table',
    },
  };
}

async function rows<T>(db: Db, sql: string): Promise<T[]> {
  const result = await db.query<{ row: T | string }>(sql);
  return result.rows.map((r) => (typeof r.row === 'string' ? (JSON.parse(r.row) as T) : r.row));
}

export async function readCatalog(db: Db, schema: string, layout: V1Layout): Promise<V1Catalog> {
  const s = quoteIdent(schema);
  const projects = await rows<Record<string, unknown>>(db, `SELECT to_jsonb(p) AS row FROM ${s}.projects p ORDER BY id`);
  const snapshots = await rows<V1Snapshot>(db, `SELECT to_jsonb(s) AS row FROM ${s}.snapshots s ORDER BY id`);
  const models = await rows<V1Model>(db, `SELECT to_jsonb(m) - 'pickle' AS row FROM ${s}.models m ORDER BY id`);
  const deployments = await rows<V1Deployment>(db, `SELECT to_jsonb(d) AS row FROM ${s}.deployments d ORDER BY id`);
  const deployed = await db.query<{ project_id: string; model_id: string }>(
    `SELECT DISTINCT ON (project_id) project_id, model_id FROM ${s}.deployments
      ORDER BY project_id, created_at DESC, id DESC`,
  );
  const maxFileId =
    layout.modelBytes === 'files'
      ? Number((await db.query<{ n: string | null }>(`SELECT max(id) AS n FROM ${s}.files`)).rows[0]?.n ?? 0)
      : 0;
  return {
    maxFileId,
    projects: projects.map((p) => ({ ...(p as object), task: String(p[layout.taskColumn]) }) as V1Project),
    snapshots: new Map(snapshots.map((snapshot) => [Number(snapshot.id), snapshot])),
    models,
    deployments,
    deployed: new Map(deployed.rows.map((r) => [Number(r.project_id), Number(r.model_id)])),
  };
}

/** 1.0 stored the pickle at `<model dir>/algorithm.pickle` (`Model.pickle_path`). */
const PICKLE_FILE = /(^|\/)algorithm\.pickle$/;

export interface V1ModelBytes {
  pickle: Uint8Array;
  /** The `pgml.files` rows as stored (final layout), copied verbatim so nothing of 1.0 is lost. */
  files: V1File[];
}

/** The model's pickle; InvalidArgument when there is none or it is not a scikit-learn pickle (e.g. transformers). */
export async function readModelBytes(db: Db, schema: string, layout: V1Layout, modelId: number): Promise<V1ModelBytes> {
  const s = quoteIdent(schema);
  if (layout.modelBytes === 'pickle') {
    const found = await db.query<{ pickle: Uint8Array | null }>(`SELECT pickle FROM ${s}.models WHERE id = $1`, [modelId]);
    const pickle = found.rows[0]?.pickle;
    if (!pickle) throw new InvalidArgument(`model ${modelId} has no pickle (models.pickle is NULL)`);
    return { pickle, files: [] };
  }
  const found = await db.query<V1File>(
    `SELECT id, path, part, created_at::text AS created_at, updated_at::text AS updated_at, data
       FROM ${s}.files WHERE model_id = $1 ORDER BY path, part`,
    [modelId],
  );
  const files = found.rows.map((f) => ({ ...f, id: Number(f.id), part: Number(f.part) }));
  const paths = [...new Set(files.map((f) => f.path))];
  const path = paths.find((p) => PICKLE_FILE.test(p)) ?? (paths.length === 1 ? paths[0] : undefined);
  if (path === undefined) {
    throw new InvalidArgument(
      paths.length === 0
        ? `model ${modelId} has no rows in pgml.files`
        : `model ${modelId} is not a pickled estimator (files: ${paths.join(', ')})`,
    );
  }
  const parts = files.filter((f) => f.path === path);
  return { pickle: Buffer.concat(parts.map((f) => f.data)), files };
}
