/** Read-only listings for the SDK and the `pgml projects` / `pgml models` commands. */
import type { Db } from '../db.js';
import type { StoredRuntimeName, Task } from '../runtime.js';
import { ensureSchema } from '../schema/ensure-schema.js';
import { checkProjectName } from './projects.js';

export interface ProjectSummary {
  id: number;
  name: string;
  task: Task;
  createdAt: string;
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
  hyperparams: Record<string, unknown>;
  search: string | null;
  metrics: Record<string, number> | null;
  deployed: boolean;
  createdAt: string;
}

export interface DeploymentSummary {
  id: number;
  project: string;
  modelId: number;
  algorithm: string;
  strategy: string;
  createdAt: string;
  /** True for the latest deployment of its project, the one predict uses. */
  live: boolean;
}

const LATEST_DEPLOYMENT = `(SELECT DISTINCT ON (project_id) project_id, model_id, id
                              FROM pgml.deployments ORDER BY project_id, created_at DESC, id DESC)`;

export async function listProjects(db: Db): Promise<ProjectSummary[]> {
  await ensureSchema(db);
  const found = await db.query<Record<string, unknown>>(
    `SELECT p.id, p.name, p.task, p.created_at::text AS created_at, d.model_id,
            (SELECT count(*) FROM pgml.models m WHERE m.project_id = p.id) AS models
       FROM pgml.projects p LEFT JOIN ${LATEST_DEPLOYMENT} d ON d.project_id = p.id
      ORDER BY p.name`,
  );
  return found.rows.map((r) => ({
    id: Number(r.id),
    name: r.name as string,
    task: r.task as Task,
    createdAt: r.created_at as string,
    deployedModelId: r.model_id == null ? null : Number(r.model_id),
    models: Number(r.models),
  }));
}

export async function listModels(db: Db, options: { project?: string } = {}): Promise<ModelSummary[]> {
  await ensureSchema(db);
  const project = options.project === undefined ? null : checkProjectName(options.project);
  const found = await db.query<Record<string, unknown>>(
    `SELECT m.id, p.name AS project, m.project_id, m.snapshot_id, m.algorithm, m.runtime, m.status, m.num_features,
            m.hyperparams, m.search, m.metrics, m.created_at::text AS created_at, d.model_id IS NOT NULL AS deployed
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
    search: (r.search as string | null) ?? null,
    metrics: (r.metrics as Record<string, number> | null) ?? null,
    deployed: Boolean(r.deployed),
    createdAt: r.created_at as string,
  }));
}

export async function listDeployments(db: Db, options: { project?: string } = {}): Promise<DeploymentSummary[]> {
  await ensureSchema(db);
  const project = options.project === undefined ? null : checkProjectName(options.project);
  const found = await db.query<Record<string, unknown>>(
    `SELECT d.id, p.name AS project, d.model_id, m.algorithm, d.strategy, d.created_at::text AS created_at,
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
    createdAt: r.created_at as string,
    live: Boolean(r.live),
  }));
}
