/**
 * Moving a model between databases: `exportModel` writes it as one file — the checksummed model format
 * (docs/architecture.md#model-format) whose meta carries the feature layout and preprocessing predict needs, plus an
 * `export` record with the project, hyperparameters, metrics and search settings — and `importModel` stores it in
 * another database (PGlite or PostgreSQL, either way), in its project, where it predicts as it did at home. The
 * snapshot stays behind: an imported model has none (`snapshotId` null), so it cannot be re-trained from there, only
 * predicted with and deployed.
 */
import type { Db } from '../db.js';
import { CorruptModel, InvalidArgument, PgmlError } from '../errors.js';
import { decodeModel, encodeModel, type DecodedModel } from '../ml/model-format.js';
import { loadModelFile, saveModelFile } from '../model-store.js';
import { currentDeployment, insertDeployment } from '../project/deploy.js';
import { checkProjectName, createProject, findProject, NoDeployedModel, UnknownProject } from '../project/projects.js';
import type { RuntimeRegistry } from '../registry.js';
import type { RuntimeName, Task } from '../runtime.js';
import { ensureSchema } from '../schema/ensure-schema.js';
import type { StoredModelMeta } from '../train/train.js';

/** What an exported file says about where its model came from (meta key `export`). */
export interface ExportRecord {
  /** Version of this record's layout. */
  version: 1;
  project: string;
  task: Task;
  modelId: number;
  hyperparams: Record<string, unknown>;
  /** As stored with the model: the metric set, and `search_results` after a search. */
  metrics: Record<string, unknown> | null;
  search: 'grid' | 'random' | null;
  searchParams: Record<string, unknown>;
  searchArgs: Record<string, unknown>;
  exportedAt: string;
}

export interface ExportedModel {
  /** The file's bytes. */
  bytes: Uint8Array;
  project: string;
  modelId: number;
  task: Task;
  algorithm: string;
  runtime: RuntimeName;
}

/** The model of `projectOrModelId` (a project's deployed model, or a model id) as the bytes of an export file. */
export async function exportModel(db: Db, projectOrModelId: string | number): Promise<ExportedModel> {
  await ensureSchema(db);
  const modelId = await modelIdOf(db, projectOrModelId);
  const found = await db.query<Record<string, unknown>>(
    `SELECT p.name AS project, p.task, m.hyperparams, m.metrics, m.search, m.search_params, m.search_args
       FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1`,
    [modelId],
  );
  const row = found.rows[0];
  if (!row) throw new PgmlError('INVALID_ARGUMENT', `model ${modelId} does not exist`, { modelId });
  const { decoded } = await loadModelFile(db, modelId);
  const record: ExportRecord = {
    version: 1,
    project: row.project as string,
    task: row.task as Task,
    modelId,
    hyperparams: (row.hyperparams as Record<string, unknown>) ?? {},
    metrics: (row.metrics as Record<string, unknown> | null) ?? null,
    search: (row.search as ExportRecord['search']) ?? null,
    searchParams: (row.search_params as Record<string, unknown>) ?? {},
    searchArgs: (row.search_args as Record<string, unknown>) ?? {},
    exportedAt: new Date().toISOString(),
  };
  const { task: _task, ...meta } = decoded.meta;
  const bytes = encodeModel({ runtime: decoded.runtime, algorithm: decoded.algorithm, task: decoded.task, payload: decoded.payload, meta: { ...meta, export: record } });
  return { bytes, project: record.project, modelId, task: decoded.task, algorithm: decoded.algorithm, runtime: decoded.runtime };
}

export interface ImportOptions {
  /** The project to add the model to (created when missing); default the project it was exported from. */
  project?: string;
  /** Deploy it: default only when the project has no deployed model yet; `false` never, `true` always. */
  deploy?: boolean;
}

export interface ImportResult {
  project: string;
  /** The model's id in this database. */
  modelId: number;
  task: Task;
  algorithm: string;
  runtime: RuntimeName;
  deployed: boolean;
  /** True when the project did not exist and was created. */
  createdProject: boolean;
}

/**
 * Stores an export file's model, after checking the bytes (checksum, format) and that a runtime here loads it —
 * all before anything is written; the writes are one transaction.
 */
export async function importModel(db: Db, registry: RuntimeRegistry, bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  const decoded = decodeModel(bytes);
  const record = exportRecord(decoded);
  const { export: _record, task: _task, ...meta } = decoded.meta as unknown as StoredModelMeta & { task: Task; export: unknown };
  if (!meta.features || typeof meta.numFeatures !== 'number' || typeof meta.numOutputs !== 'number') {
    throw new CorruptModel('the file lacks the feature layout predict needs');
  }
  const projectName = checkProjectName(options.project ?? record.project);
  if (options.deploy !== undefined && typeof options.deploy !== 'boolean') throw new InvalidArgument('deploy must be true or false');
  // Loadable here? The runtime may be missing (python without scikit-learn) or the payload damaged.
  registry.tables.preprocessor(meta.features.preprocessor);
  await registry.require(decoded.runtime, decoded.algorithm).deserialize(decoded.payload, {
    task: decoded.task,
    algorithm: decoded.algorithm,
    numFeatures: meta.numFeatures,
    numOutputs: meta.numOutputs,
    ...(meta.numClasses ? { numClasses: meta.numClasses } : {}),
  });
  await ensureSchema(db);
  return db.transaction(async (tx) => {
    const existing = await findProject(tx, projectName);
    if (existing && existing.task !== decoded.task) {
      throw new InvalidArgument(
        `project ${JSON.stringify(projectName)} is a ${existing.task} project; the model in the file is ${decoded.task}: import it into another project`,
        { project: projectName },
      );
    }
    const project = existing ?? (await createProject(tx, projectName, decoded.task));
    const inserted = await tx.query<{ id: string | number }>(
      `INSERT INTO pgml.models (project_id, snapshot_id, num_features, algorithm, runtime, hyperparams, status, metrics,
                                search, search_params, search_args)
       VALUES ($1, NULL, $2, $3, $4, $5, 'successful', $6, $7, $8, $9) RETURNING id`,
      [
        project.id,
        meta.features.preprocessor.numFeatures,
        decoded.algorithm,
        decoded.runtime,
        JSON.stringify(record.hyperparams),
        record.metrics === null ? null : JSON.stringify(record.metrics),
        record.search,
        JSON.stringify(record.searchParams),
        JSON.stringify(record.searchArgs),
      ],
    );
    const modelId = Number(inserted.rows[0]!.id);
    const stored: StoredModelMeta = { ...meta, snapshotId: null };
    await saveModelFile(tx, modelId, {
      runtime: decoded.runtime,
      algorithm: decoded.algorithm,
      task: decoded.task,
      payload: decoded.payload,
      meta: stored as unknown as Record<string, unknown>,
    });
    const deploy = options.deploy ?? !(await currentDeployment(tx, project.id));
    if (deploy) await insertDeployment(tx, project.id, modelId, 'most_recent');
    return {
      project: project.name,
      modelId,
      task: decoded.task,
      algorithm: decoded.algorithm,
      runtime: decoded.runtime,
      deployed: deploy,
      createdProject: !existing,
    };
  });
}

function exportRecord(decoded: DecodedModel): ExportRecord {
  const record = decoded.meta.export as Partial<ExportRecord> | undefined;
  if (!record || typeof record !== 'object') {
    throw new CorruptModel('not an export file: the model has no export record (write one with pgml export / exportModel)');
  }
  if (record.version !== 1 || typeof record.project !== 'string' || record.task !== decoded.task) {
    throw new CorruptModel(`unsupported export record (version ${JSON.stringify(record.version)})`);
  }
  return record as ExportRecord;
}

async function modelIdOf(db: Db, projectOrModelId: string | number): Promise<number> {
  if (typeof projectOrModelId === 'number') {
    if (!Number.isSafeInteger(projectOrModelId) || projectOrModelId < 1) {
      throw new InvalidArgument(`model id must be a positive integer, got ${projectOrModelId}`);
    }
    return projectOrModelId;
  }
  const project = await findProject(db, checkProjectName(projectOrModelId));
  if (!project) throw new UnknownProject(projectOrModelId);
  const deployed = await currentDeployment(db, project.id);
  if (!deployed) throw new NoDeployedModel(project.name);
  return deployed.modelId;
}
