/**
 * Where explanations live: `pgml.explanations`, one row per model (schema version 2), kept apart from
 * `pgml.models` so that table stays exactly PostgresML's. Reading one is a single indexed query.
 */
import type { Db } from '../db.js';
import { InvalidArgument, PgmlError } from '../errors.js';
import { checkProjectName, NoDeployedModel, UnknownProject } from '../project/projects.js';
import type { Task } from '../runtime.js';
import { ensureSchema } from '../schema/ensure-schema.js';
import type { ModelExplanation } from './types.js';

export interface StoredExplanation {
  modelId: number;
  project: string;
  task: Task;
  algorithm: string;
  runtime: string;
  explanation: ModelExplanation;
}

/** Stores (or replaces) a model's explanation. */
export async function saveExplanation(db: Db, modelId: number, explanation: ModelExplanation): Promise<void> {
  await db.query(
    `INSERT INTO pgml.explanations (model_id, explanation) VALUES ($1, $2)
     ON CONFLICT (model_id) DO UPDATE SET explanation = EXCLUDED.explanation`,
    // JSON has no NaN or Infinity: an undefined statistic is stored as null.
    [modelId, JSON.stringify(explanation)],
  );
}

/**
 * The explanation of a project's deployed model, or of a model by id. A model trained before explanations existed
 * has none: NO_EXPLANATION (retrain it, or migrate 1.0 models, to get one).
 */
export async function loadExplanation(db: Db, projectOrModelId: string | number): Promise<StoredExplanation> {
  await ensureSchema(db);
  const select = `SELECT m.id, p.name AS project, p.task, m.algorithm, m.runtime, e.explanation
                    FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
                    LEFT JOIN pgml.explanations e ON e.model_id = m.id`;
  let row: Record<string, unknown> | undefined;
  if (typeof projectOrModelId === 'number') {
    if (!Number.isSafeInteger(projectOrModelId) || projectOrModelId < 1) {
      throw new InvalidArgument(`model id must be a positive integer, got ${projectOrModelId}`);
    }
    row = (await db.query<Record<string, unknown>>(`${select} WHERE m.id = $1`, [projectOrModelId])).rows[0];
    if (!row) throw new InvalidArgument(`model ${projectOrModelId} does not exist`, { modelId: projectOrModelId });
  } else {
    const name = checkProjectName(projectOrModelId);
    const project = (await db.query<{ id: string | number }>('SELECT id FROM pgml.projects WHERE name = $1', [name])).rows[0];
    if (!project) throw new UnknownProject(name);
    row = (
      await db.query<Record<string, unknown>>(
        `${select} WHERE m.id = (SELECT model_id FROM pgml.deployments WHERE project_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1)`,
        [project.id],
      )
    ).rows[0];
    if (!row) throw new NoDeployedModel(name);
  }
  const modelId = Number(row.id);
  if (row.explanation == null) {
    throw new PgmlError('NO_EXPLANATION', `model ${modelId} has no stored explanation: it was trained before explanations were recorded; train it again to get one`, {
      modelId,
    });
  }
  return {
    modelId,
    project: row.project as string,
    task: row.task as Task,
    algorithm: row.algorithm as string,
    runtime: row.runtime as string,
    explanation: (typeof row.explanation === 'string' ? JSON.parse(row.explanation) : row.explanation) as ModelExplanation,
  };
}
