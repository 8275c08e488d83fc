/**
 * One project's migration in ONE target transaction: project, snapshots (+ tables), each model (its 1.0 bytes kept
 * verbatim in pgml.files, plus the 2.x model file), deployments, sequences. Each model sits in a savepoint: when
 * --verify finds that the SDK's predictions differ from the pickle's, only that model is rolled back.
 * Deployments are copied only when the model 1.0 served is migrated too; otherwise the project is left without a
 * deployed model (predict fails with NO_DEPLOYED_MODEL) rather than silently serving an older one.
 */
import {
  explainStoredModel,
  MODEL_FILE_PATH,
  ModelCache,
  predictBatch,
  predictProbaBatch,
  saveExplanation,
  saveModelFile,
  snapshotTableName,
  type Db,
  type LoadedModel,
  type RuntimeRegistry,
} from '@pgml-ts/core';
import { asNumbers, compareAll, type Comparison } from './compare.js';
import type { PreparedModel, SnapshotSource } from './prepare.js';
import type { ProjectReport } from './report.js';
import { copySnapshotTable } from './snapshot-copy.js';
import {
  copyV1Files,
  deleteModelFile,
  deployStrategy,
  ensureProject,
  insertDeploymentIfMissing,
  insertModel,
  insertSnapshot,
  reserveFileIds,
  modelIdsIn,
  resetSequences,
  setModelRuntime,
  snapshotExists,
  testSampling,
} from './target.js';
import type { V1Catalog, V1Project } from './v1-source.js';

export interface WriteContext {
  source: Db;
  target: Db;
  sameDatabase: boolean;
  verify: boolean;
  registry: RuntimeRegistry;
  cache: ModelCache<LoadedModel>;
  catalog: V1Catalog;
}

export async function writeProject(
  ctx: WriteContext,
  project: V1Project,
  models: PreparedModel[],
  snapshots: Map<number, SnapshotSource>,
  report: ProjectReport,
): Promise<void> {
  await ctx.target.transaction(async (tx) => {
    await ensureProject(tx, project);
    await reserveFileIds(tx, ctx.catalog.maxFileId);
    for (const snapshot of snapshots.values()) await writeSnapshot(ctx, tx, snapshot, report);
    for (const model of models) {
      if (model.report.status === 'already_migrated') await updateExisting(ctx, tx, model);
      else if (model.meta) await writeModel(ctx, tx, model);
    }
    await writeDeployments(ctx, tx, project, report);
    await resetSequences(tx);
  });
}

async function writeSnapshot(ctx: WriteContext, tx: Db, snapshot: SnapshotSource, report: ProjectReport): Promise<void> {
  if (await snapshotExists(tx, snapshot.v1)) return;
  const copyTable = snapshot.relation !== undefined && snapshot.fromSnapshotTable;
  await insertSnapshot(tx, snapshot.v1, snapshot.columns, copyTable, snapshot.preprocess);
  if (copyTable) {
    await copySnapshotTable(ctx.source, snapshot.relation!, tx, snapshotTableName(Number(snapshot.v1.id)), ctx.sameDatabase);
  } else {
    report.notes.push(`snapshot ${snapshot.v1.id}: its snapshot table is gone; ${snapshot.relation ? `columns were read from ${snapshot.v1.relation_name}` : 'not materialized'}`);
  }
  if (testSampling(snapshot.v1.test_sampling) !== snapshot.v1.test_sampling) {
    report.notes.push(`snapshot ${snapshot.v1.id}: test_sampling ${snapshot.v1.test_sampling} has no 2.x equivalent, stored as last`);
  }
}

async function inSavepoint(tx: Db, run: () => Promise<boolean>): Promise<void> {
  await tx.query('SAVEPOINT pgml_migrate_model');
  let keep = false;
  try {
    keep = await run();
  } finally {
    await tx.query(keep ? 'RELEASE SAVEPOINT pgml_migrate_model' : 'ROLLBACK TO SAVEPOINT pgml_migrate_model');
  }
}

async function writeModel(ctx: WriteContext, tx: Db, model: PreparedModel): Promise<void> {
  const runtime = model.native ? 'native' : 'python';
  const meta = model.native?.meta ?? model.meta!;
  try {
    await inSavepoint(tx, async () => {
      await insertModel(tx, model.v1, meta.numFeatures, model.storedRuntime ?? runtime);
      await copyV1Files(tx, model.v1.id, model.bytes!.files, model.bytes!.files.length === 0 ? model.bytes!.pickle : undefined);
      await saveModelFile(tx, model.v1.id, {
        runtime,
        algorithm: model.v1.algorithm_name,
        task: model.task,
        payload: model.native?.payload ?? model.bytes!.pickle,
        meta: meta as unknown as Record<string, unknown>,
      });
      if (ctx.verify && !(await verified(ctx, tx, model))) return false;
      Object.assign(model.report, { status: 'migrated', runtimeAfter: runtime });
      if (model.native) model.report.conversion = { ...model.report.conversion!, status: 'converted' };
      return true;
    });
  } catch (error) {
    Object.assign(model.report, { status: 'failed', runtimeAfter: null, message: (error as Error).message });
  }
  if (model.report.status === 'migrated') await explainMigrated(ctx, tx, model);
}

/**
 * A migrated model's explanation, measured on its snapshot's test split as train measures a new one. A model that
 * cannot be explained (its relation is gone) stays migrated without one; the report says why.
 */
async function explainMigrated(ctx: WriteContext, tx: Db, model: PreparedModel): Promise<void> {
  await tx.query('SAVEPOINT pgml_migrate_explain');
  try {
    await saveExplanation(tx, model.v1.id, await explainStoredModel(tx, ctx.registry, model.v1.id, { cache: ctx.cache }));
    await tx.query('RELEASE SAVEPOINT pgml_migrate_explain');
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT pgml_migrate_explain');
    const reason = `no explanation: ${(error as Error).message}`;
    model.report.message = model.report.message ? `${model.report.message}; ${reason}` : reason;
  }
}

/** An earlier run copied the model: convert it now (--convert-native) and/or verify it (--verify). */
async function updateExisting(ctx: WriteContext, tx: Db, model: PreparedModel): Promise<void> {
  if (model.native && model.report.runtimeAfter === 'python') {
    await inSavepoint(tx, async () => {
      await deleteModelFile(tx, model.v1.id, MODEL_FILE_PATH);
      await saveModelFile(tx, model.v1.id, {
        runtime: 'native',
        algorithm: model.v1.algorithm_name,
        task: model.task,
        payload: model.native!.payload,
        meta: model.native!.meta as unknown as Record<string, unknown>,
      });
      await setModelRuntime(tx, model.v1.id, 'native');
      if (ctx.verify && !(await verified(ctx, tx, model))) return false;
      model.report.runtimeAfter = 'native';
      model.report.conversion = { ...model.report.conversion!, status: 'converted' };
      return true;
    });
  } else if (ctx.verify && model.original) {
    await verified(ctx, tx, model);
  }
}

/** Predicts through core's predict path (the stored model file, its layout and labels) and compares with the source model. */
async function verified(ctx: WriteContext, tx: Db, model: PreparedModel): Promise<boolean> {
  const rows = model.snapshot?.rows;
  if (!model.original || !rows || rows.matrix.rows === 0) {
    model.report.message = 'not verified: no complete snapshot rows';
    return true;
  }
  const input = { data: rows.matrix.data, rows: rows.matrix.rows };
  const options = { cache: ctx.cache };
  const batch = await predictBatch(tx, ctx.registry, model.v1.id, input, options);
  const proba = model.original.proba ? (await predictProbaBatch(tx, ctx.registry, model.v1.id, input, options)).probabilities : undefined;
  const comparison: Comparison = compareAll([
    [asNumbers(batch.predictions), model.original.predictions],
    proba && [proba, model.original.proba!],
  ], model.tolerance);
  model.report.maxDiff = comparison.maxDiff;
  model.report.rowsCompared = rows.matrix.rows;
  if (!comparison.matches) {
    Object.assign(model.report, {
      status: 'mismatch',
      runtimeAfter: model.report.status === 'already_migrated' ? model.report.runtimeAfter : null,
      message: `predictions through the SDK differ from the source model's (max diff ${comparison.maxDiff})`,
    });
  }
  return comparison.matches;
}

async function writeDeployments(ctx: WriteContext, tx: Db, project: V1Project, report: ProjectReport): Promise<void> {
  const live = ctx.catalog.deployed.get(project.id);
  if (live === undefined) return;
  const present = await modelIdsIn(tx, project.id);
  if (!present.has(live)) {
    report.notes.push(
      `the source served model ${live}, which was not migrated: the project has no deployed model until you deploy one (pgml deploy)`,
    );
    return;
  }
  const mapped = new Set<string>();
  for (const deployment of ctx.catalog.deployments.filter((d) => d.project_id === project.id && present.has(d.model_id))) {
    const inserted = await insertDeploymentIfMissing(tx, deployment);
    if (inserted && deployStrategy(deployment.strategy) !== deployment.strategy) mapped.add(deployment.strategy);
  }
  for (const strategy of mapped) report.notes.push(`deployment strategy ${strategy} is stored as most_recent`);
}
