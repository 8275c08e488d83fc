/**
 * Finds and loads the model predict should use. Per call this costs ONE indexed query: the project's latest
 * deployment (so a deployment made by another process is seen at once), the database's instance id and the version
 * of the model's stored file. The loaded model itself comes from the process-wide byte-bounded cache, keyed by all
 * three, and is only read from `pgml.files` and deserialized on a miss.
 */
import type { Db } from '../db.js';
import { CorruptModel, InvalidArgument, PgmlError } from '../errors.js';
import { ModelCache } from '../model-cache.js';
import { loadModelFile } from '../model-store.js';
import { checkProjectName, NoDeployedModel, UnknownProject } from '../project/projects.js';
import type { RuntimeRegistry } from '../registry.js';
import type { FittedModel, Runtime, Task } from '../runtime.js';
import { ensureSchema } from '../schema/ensure-schema.js';
import type { FeatureTransform } from '../data/table-engine.js';
import type { FeatureLayout } from '../snapshot/features.js';
import type { Label } from '../train/labels.js';
import type { StoredModelMeta } from '../train/train.js';

export interface LoadedModel {
  modelId: number;
  task: Task;
  algorithm: string;
  runtime: Runtime;
  fitted: FittedModel;
  features: FeatureLayout;
  /** The fitted preprocessing, ready to apply to predict inputs. */
  transform: FeatureTransform;
  labels?: Label[];
  numOutputs: number;
}

/** Shared by every `Db` of this process unless a caller passes its own. */
export const defaultModelCache = new ModelCache<LoadedModel>();

export interface ModelLookupOptions {
  cache?: ModelCache<LoadedModel>;
  /**
   * The task the caller expects the model to solve (which also types what predict returns): a model of another task
   * is refused with INVALID_ARGUMENT rather than answered in a shape the caller does not expect.
   */
  task?: Task;
}

interface LookupRow {
  instance: string;
  project_id: string | number | null;
  model_id: string | number | null;
  files_version: string | null;
}

const FILES_VERSION = `(SELECT string_agg(f.id::text || ':' || f.xmin::text, ',' ORDER BY f.part)
                         FROM pgml.files f WHERE f.model_id = %MODEL%)`;

/** `projectOrModelId`: a project name (its deployed model) or a model id (that model, deployed or not). */
export async function deployedModel(
  db: Db,
  registry: RuntimeRegistry,
  projectOrModelId: string | number,
  options: ModelLookupOptions = {},
): Promise<LoadedModel> {
  await ensureSchema(db);
  const cache = options.cache ?? defaultModelCache;
  let row: LookupRow | undefined;
  if (typeof projectOrModelId === 'number') {
    if (!Number.isSafeInteger(projectOrModelId) || projectOrModelId < 1) {
      throw new InvalidArgument(`model id must be a positive integer, got ${projectOrModelId}`);
    }
    const found = await db.query<LookupRow>(
      `SELECT (SELECT id::text FROM pgml.instance LIMIT 1) AS instance, m.project_id, m.id AS model_id,
              ${FILES_VERSION.replace('%MODEL%', 'm.id')} AS files_version
         FROM pgml.models m WHERE m.id = $1`,
      [projectOrModelId],
    );
    row = found.rows[0];
    if (!row) throw new PgmlError('INVALID_ARGUMENT', `model ${projectOrModelId} does not exist`, { modelId: projectOrModelId });
  } else {
    const name = checkProjectName(projectOrModelId);
    const found = await db.query<LookupRow>(
      `SELECT (SELECT id::text FROM pgml.instance LIMIT 1) AS instance, p.id AS project_id, d.model_id,
              ${FILES_VERSION.replace('%MODEL%', 'd.model_id')} AS files_version
         FROM pgml.projects p
         LEFT JOIN LATERAL (SELECT model_id FROM pgml.deployments WHERE project_id = p.id
                             ORDER BY created_at DESC, id DESC LIMIT 1) d ON true
        WHERE p.name = $1`,
      [name],
    );
    row = found.rows[0];
    if (!row) throw new UnknownProject(name);
    if (row.model_id === null) throw new NoDeployedModel(name);
  }
  const modelId = Number(row.model_id);
  if (row.files_version === null) throw new CorruptModel(`model ${modelId} has no stored file`, { modelId });
  const key = `${row.instance}/${modelId}/${row.files_version}`;
  const model = await cache.getOrLoad(key, () => loadModel(db, registry, modelId));
  if (options.task !== undefined && model.task !== options.task) {
    const which = typeof projectOrModelId === 'number' ? `model ${modelId}` : `project ${JSON.stringify(projectOrModelId)}`;
    throw new InvalidArgument((w) => `${which} is a ${model.task} model, not ${options.task} as ${w.option('task')} says`, {
      expected: options.task,
      task: model.task,
    });
  }
  return model;
}

async function loadModel(db: Db, registry: RuntimeRegistry, modelId: number): Promise<{ value: LoadedModel; bytes: number }> {
  const { decoded, bytes } = await loadModelFile(db, modelId);
  const meta = decoded.meta as unknown as StoredModelMeta & { task: Task };
  if (!meta.features || typeof meta.numFeatures !== 'number' || typeof meta.numOutputs !== 'number') {
    throw new CorruptModel(`model ${modelId}: header meta lacks the feature layout`, { modelId });
  }
  const runtime = registry.require(decoded.runtime, decoded.algorithm);
  const transform = registry.tables.preprocessor(meta.features.preprocessor);
  const fitted = await runtime.deserialize(decoded.payload, {
    task: decoded.task,
    algorithm: decoded.algorithm,
    numFeatures: meta.numFeatures,
    numOutputs: meta.numOutputs,
    ...(meta.numClasses ? { numClasses: meta.numClasses } : {}),
  });
  return {
    value: {
      modelId,
      task: decoded.task,
      algorithm: decoded.algorithm,
      runtime,
      fitted,
      features: meta.features,
      transform,
      ...(meta.labels ? { labels: meta.labels } : {}),
      numOutputs: meta.numOutputs,
    },
    bytes,
  };
}
