/**
 * `pgml.deploy(project, strategy, algorithm)` as PostgresML: every deployment is a new `pgml.deployments` row and the
 * latest row per project is live. best_score: highest key metric (compared as numbers, not as JSON text as
 * PostgresML does); most_recent: newest model; rollback: the model of the latest deployment that is not the model
 * deployed now (so repeated rollbacks alternate between the two latest). `algorithm` restricts the candidates.
 * `deployModel(model id)` is 2.x's `pgml.deploy(model_id)`: that model, recorded with strategy `specific`.
 */
import type { Db } from '../db.js';
import { InvalidArgument, PgmlError } from '../errors.js';
import { ensureSchema } from '../schema/ensure-schema.js';
import { RECORDED_STRATEGIES, STRATEGIES } from '../schema/migrations.js';
import { keyMetric as keyMetricName } from '../ml/task-metrics.js';
import { requireProject } from './projects.js';

export type DeployStrategy = (typeof STRATEGIES)[number];
/** What a deployment row records: a `DeployStrategy`, `new_score` (train's automatic deployment) or `specific`. */
export type RecordedStrategy = (typeof RECORDED_STRATEGIES)[number];

export interface DeployOptions {
  strategy?: DeployStrategy;
  algorithm?: string;
}

export interface DeployResult {
  project: string;
  strategy: RecordedStrategy;
  algorithm: string;
  modelId: number;
  deploymentId: number;
}

export async function deploy(db: Db, projectName: string, options: DeployOptions = {}): Promise<DeployResult> {
  const strategy = options.strategy ?? 'best_score';
  if (!STRATEGIES.includes(strategy)) {
    throw new InvalidArgument(`unknown deployment strategy ${JSON.stringify(strategy)}: expected ${STRATEGIES.join(', ')}`, {
      strategy,
    });
  }
  if (options.algorithm !== undefined && typeof options.algorithm !== 'string') {
    throw new InvalidArgument('algorithm must be a string');
  }
  await ensureSchema(db);
  return db.transaction(async (tx) => {
    const project = await requireProject(tx, projectName);
    const candidate = await pickModel(tx, project.id, project.task, strategy, options.algorithm);
    if (!candidate) {
      throw new PgmlError('INVALID_ARGUMENT', `no qualified model exists for a ${strategy} deployment of ${JSON.stringify(projectName)}`, {
        project: projectName,
        strategy,
        ...(options.algorithm ? { algorithm: options.algorithm } : {}),
      });
    }
    const deploymentId = await insertDeployment(tx, project.id, candidate.id, strategy);
    return { project: project.name, strategy, algorithm: candidate.algorithm, modelId: candidate.id, deploymentId };
  });
}

/** PostgresML 2.x's `pgml.deploy(model_id)`: deploys that model for its project, recorded as strategy `specific`. */
export async function deployModel(db: Db, modelId: number): Promise<DeployResult> {
  if (!Number.isSafeInteger(modelId) || modelId < 1) {
    throw new InvalidArgument(`model id must be a positive integer, got ${String(modelId)}`, { modelId });
  }
  await ensureSchema(db);
  return db.transaction(async (tx) => {
    const found = await tx.query<{ project_id: string | number; name: string; algorithm: string; status: string }>(
      `SELECT m.project_id, p.name, m.algorithm, m.status
         FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1`,
      [modelId],
    );
    const model = found.rows[0];
    if (!model) throw new InvalidArgument(`model ${modelId} does not exist`, { modelId });
    if (model.status !== 'successful') {
      throw new InvalidArgument(`model ${modelId} has status ${model.status}: only successful models can be deployed`, { modelId });
    }
    const deploymentId = await insertDeployment(tx, Number(model.project_id), modelId, 'specific');
    return { project: model.name, strategy: 'specific', algorithm: model.algorithm, modelId, deploymentId };
  });
}

export async function insertDeployment(db: Db, projectId: number, modelId: number, strategy: RecordedStrategy): Promise<number> {
  const inserted = await db.query<{ id: string | number }>(
    'INSERT INTO pgml.deployments (project_id, model_id, strategy) VALUES ($1, $2, $3) RETURNING id',
    [projectId, modelId, strategy],
  );
  return Number(inserted.rows[0]!.id);
}

/** The model deployed now for a project (its latest deployment), with that model's metrics. */
export async function currentDeployment(
  db: Db,
  projectId: number,
): Promise<{ modelId: number; metrics: Record<string, unknown> | null } | undefined> {
  const found = await db.query<{ model_id: string | number; metrics: Record<string, unknown> | null }>(
    `SELECT d.model_id, m.metrics
       FROM pgml.deployments d JOIN pgml.models m ON m.id = d.model_id
      WHERE d.project_id = $1
      ORDER BY d.created_at DESC, d.id DESC LIMIT 1`,
    [projectId],
  );
  const row = found.rows[0];
  return row && { modelId: Number(row.model_id), metrics: row.metrics };
}

async function pickModel(
  tx: Db,
  projectId: number,
  task: Parameters<typeof keyMetricName>[0],
  strategy: DeployStrategy,
  algorithm: string | undefined,
): Promise<{ id: number; algorithm: string } | undefined> {
  // $2 is the optional algorithm filter; NULL lets every algorithm qualify.
  const params: unknown[] = [projectId, algorithm ?? null];
  let sql: string;
  switch (strategy) {
    case 'best_score':
      params.push(keyMetricName(task));
      sql = `SELECT id, algorithm FROM pgml.models
              WHERE project_id = $1 AND ($2::text IS NULL OR algorithm = $2) AND status = 'successful'
                AND jsonb_typeof(metrics -> $3::text) = 'number'
              ORDER BY (metrics ->> $3::text)::float8 DESC, created_at DESC, id DESC LIMIT 1`;
      break;
    case 'most_recent':
      sql = `SELECT id, algorithm FROM pgml.models
              WHERE project_id = $1 AND ($2::text IS NULL OR algorithm = $2) AND status = 'successful'
              ORDER BY created_at DESC, id DESC LIMIT 1`;
      break;
    case 'rollback':
      sql = `SELECT m.id, m.algorithm FROM pgml.deployments d JOIN pgml.models m ON m.id = d.model_id
              WHERE d.project_id = $1 AND ($2::text IS NULL OR m.algorithm = $2)
                AND m.id <> (SELECT model_id FROM pgml.deployments WHERE project_id = $1
                              ORDER BY created_at DESC, id DESC LIMIT 1)
              ORDER BY d.created_at DESC, d.id DESC LIMIT 1`;
      break;
  }
  const found = await tx.query<{ id: string | number; algorithm: string }>(sql, params);
  const row = found.rows[0];
  return row && { id: Number(row.id), algorithm: row.algorithm };
}
