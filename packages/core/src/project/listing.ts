/**
 * Read-only listings for the SDK and the `pgml projects` / `pgml models` commands. Timestamps are `Date`s, read as
 * instants truncated to milliseconds so that PostgreSQL and PGlite give the same value for the same row.
 */
import type { Db } from '../db.js';
import type { SearchResults } from '../ml/search.js';
import type { StoredRuntimeName, Task } from '../runtime.js';
import { ensureSchema } from '../schema/ensure-schema.js';
import { requireProject } from './projects.js';

export interface ProjectSummary {
  id: number;
  name: string;
  task: Task;
  createdAt: Date;
  deployedModelId: number | null;
  models: number;
}

export interface ModelSummary {
  id: number;
  project: string;
  projectId: number;
  snapshotId: number | null;
  algorithm: string;
  runtime: StoredRuntimeName;
  status: string;
  numFeatures: number;
  /** The hyperparameters the model was fitted with: the ones given, or the search's best candidate. */
  hyperparams: Record<string, unknown>;
  search: 'grid' | 'random' | null;
  /**
   * PostgresML's metric set for the task, plus `fit_time` and `score_time` in seconds; null where a metric is
   * undefined for the data (stored JSON has no NaN). The search results PostgresML keeps among them are in
   * `searchResults`.
   */
  metrics: ModelMetrics | null;
  /** The cross-validation results of a hyperparameter search (PostgresML's `metrics.search_results`). */
  searchResults: SearchResults | null;
  deployed: boolean;
  createdAt: Date;
}

export type ModelMetrics = Record<string, number | null>;

export interface DeploymentSummary {
  id: number;
  project: string;
  modelId: number;
  algorithm: string;
  strategy: string;
  createdAt: Date;
  /** True for the latest deployment of its project, the one predict uses. */
  live: boolean;
}

/** `created_at` as an instant (`timestamptz`, which both drivers read as a `Date`) to the millisecond. */
const instant = (column: string): string => `date_trunc('milliseconds', ${column})::timestamptz`;

const LATEST_DEPLOYMENT = `(SELECT DISTINCT ON (project_id) project_id, model_id, id
                              FROM pgml.deployments ORDER BY project_id, created_at DESC, id DESC)`;

export async function listProjects(db: Db): Promise<ProjectSummary[]> {
  await ensureSchema(db);
  const found = await db.query<Record<string, unknown>>(
    `SELECT p.id, p.name, p.task, ${instant('p.created_at')} AS created_at, d.model_id,
            (SELECT count(*) FROM pgml.models m WHERE m.project_id = p.id) AS models
       FROM pgml.projects p LEFT JOIN ${LATEST_DEPLOYMENT} d ON d.project_id = p.id
      ORDER BY p.name`,
  );
  return found.rows.map((r) => ({
    id: Number(r.id),
    name: r.name as string,
    task: r.task as Task,
    createdAt: asDate(r.created_at),
    deployedModelId: r.model_id == null ? null : Number(r.model_id),
    models: Number(r.models),
  }));
}

export async function listModels(db: Db, options: { project?: string } = {}): Promise<ModelSummary[]> {
  await ensureSchema(db);
  const project = await projectFilter(db, options.project);
  const found = await db.query<Record<string, unknown>>(
    `SELECT m.id, p.name AS project, m.project_id, m.snapshot_id, m.algorithm, m.runtime, m.status, m.num_features,
            m.hyperparams, m.search, m.metrics, ${instant('m.created_at')} AS created_at, d.model_id IS NOT NULL AS deployed
       FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
       LEFT JOIN ${LATEST_DEPLOYMENT} d ON d.model_id = m.id AND d.project_id = m.project_id
      WHERE $1::text IS NULL OR p.name = $1
      ORDER BY m.id`,
    [project],
  );
  return found.rows.map((r) => ({
    id: Number(r.id),
    project: r.project as string,
    projectId: Number(r.project_id),
    snapshotId: r.snapshot_id == null ? null : Number(r.snapshot_id),
    algorithm: r.algorithm as string,
    runtime: r.runtime as StoredRuntimeName,
    status: r.status as string,
    numFeatures: Number(r.num_features),
    hyperparams: r.hyperparams as Record<string, unknown>,
    search: (r.search as ModelSummary['search']) ?? null,
    ...splitMetrics(r.metrics as (ModelMetrics & { search_results?: SearchResults }) | null),
    deployed: Boolean(r.deployed),
    createdAt: asDate(r.created_at),
  }));
}

export async function listDeployments(db: Db, options: { project?: string } = {}): Promise<DeploymentSummary[]> {
  await ensureSchema(db);
  const project = await projectFilter(db, options.project);
  const found = await db.query<Record<string, unknown>>(
    `SELECT d.id, p.name AS project, d.model_id, m.algorithm, d.strategy, ${instant('d.created_at')} AS created_at,
            l.id IS NOT NULL AS live
       FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id JOIN pgml.models m ON m.id = d.model_id
       LEFT JOIN ${LATEST_DEPLOYMENT} l ON l.id = d.id
      WHERE $1::text IS NULL OR p.name = $1
      ORDER BY d.created_at, d.id`,
    [project],
  );
  return found.rows.map((r) => ({
    id: Number(r.id),
    project: r.project as string,
    modelId: Number(r.model_id),
    algorithm: r.algorithm as string,
    strategy: r.strategy as string,
    createdAt: asDate(r.created_at),
    live: Boolean(r.live),
  }));
}

/** The project to list, which must exist (`UNKNOWN_PROJECT`, as predict and deploy say); null lists every project. */
async function projectFilter(db: Db, project: string | undefined): Promise<string | null> {
  return project === undefined ? null : (await requireProject(db, project)).name;
}

function splitMetrics(stored: (ModelMetrics & { search_results?: SearchResults }) | null): Pick<ModelSummary, 'metrics' | 'searchResults'> {
  if (!stored) return { metrics: null, searchResults: null };
  const { search_results: searchResults, ...metrics } = stored;
  return { metrics, searchResults: searchResults ?? null };
}

/** Both drivers parse `timestamptz` into a `Date`; anything else would be a driver configured to return text. */
function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
