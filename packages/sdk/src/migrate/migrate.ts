/**
 * `pgml migrate`: moves a PostgresML 1.0 database (DESIGN §8) to the 2.x-compatible schema without retraining.
 *
 * This lives in @pgml-ts/sdk rather than python-compat: it needs the pg driver (two databases), the native runtime
 * (--convert-native) and the python runtime together, and only the sdk depends on all three.
 *
 * In place (no `to`, or `to` = `from`): the 1.0 schema is renamed `pgml` → `pgml_v1` and the 2.x schema created in
 * one transaction, as PostgresML's own 1.0 → 2.0 script does (it names the copy `pgml_tmp`; that name is read too).
 * Into another database: the source is only read. Each project then migrates in its own transaction; re-running
 * finds what an earlier run copied (same ids) and only converts or verifies it.
 */
import {
  ensureSchema,
  InvalidArgument,
  maskSecrets,
  ModelCache,
  type Db,
  type LoadedModel,
  type Task,
} from '@pgml-ts/core';
import { PythonRuntime, PythonWorker } from '@pgml-ts/python-compat';
import { createPgDb } from '../drivers/pg.js';
import { runtimeRegistry } from '../runtimes/registry.js';
import { loadNative } from '../vector.js';
import { convertModels, loadSnapshot, prepareModel, type PrepareContext, type PreparedModel, type SnapshotSource } from './prepare.js';
import { masked, summarize, type MigrationReport, type ModelReport, type ProjectReport } from './report.js';
import { deployedAfter, existingModel } from './target.js';
import { describeSchema, readCatalog, type V1Catalog, type V1Layout, type V1Project } from './v1-source.js';
import { writeProject, type WriteContext } from './write.js';

export const RENAMED_V1_SCHEMA = 'pgml_v1';
/** Where a 1.0 schema may be: not migrated yet, renamed by us, or renamed by PostgresML's script. */
const V1_SCHEMAS = ['pgml', RENAMED_V1_SCHEMA, 'pgml_tmp'];
const TASKS: readonly Task[] = ['regression', 'classification', 'clustering', 'decomposition'];

export const PICKLE_OPT_IN =
  'PostgresML 1.0 models are Python pickles, and unpickling can execute arbitrary code. pgml migrate loads them ' +
  'through an allow-list unpickler (scikit-learn, NumPy, SciPy and XGBoost classes only; anything else is refused ' +
  'and never runs), but you must opt in: pass --allow-pickle if you trust the models in this database.';

export interface MigrateOptions {
  /** The 1.0 database (postgres:// URL). */
  from: string;
  /** The 2.x database; omitted or equal to `from` migrates in place. */
  to?: string;
  /** The 1.0 schema; default the first 1.0 schema among pgml, pgml_v1, pgml_tmp. */
  fromSchema?: string;
  dryRun?: boolean;
  verify?: boolean;
  convertNative?: boolean;
  /** Required: see PICKLE_OPT_IN. */
  allowPickle: boolean;
  /** Default: the layout's (final: table order; early: sorted by name). */
  featureOrder?: 'table' | 'sorted';
  /** Snapshot rows compared per model by --verify / --convert-native (default 100 000). */
  verifyRows?: number;
  onProgress?: (message: string) => void;
}

export async function migrateV1(options: MigrateOptions): Promise<MigrationReport> {
  if (!options.allowPickle) throw new InvalidArgument(PICKLE_OPT_IN);
  const inPlace = options.to === undefined || options.to === options.from;
  const source = createPgDb(options.from, { max: 4 });
  const target = inPlace ? source : createPgDb(options.to!, { max: 4 });
  const python = new PythonRuntime({ worker: new PythonWorker() });
  try {
    return await run(options, source, target, inPlace, python);
  } finally {
    await python.close().catch(() => undefined);
    await source.close();
    if (!inPlace) await target.close();
  }
}

async function locateSource(db: Db, fromSchema: string | undefined, url: string): Promise<{ schema: string; layout: V1Layout }> {
  for (const schema of fromSchema ? [fromSchema] : V1_SCHEMAS) {
    const found = await describeSchema(db, schema);
    if (found.kind === 'v1') return { schema, layout: found.layout };
  }
  throw new InvalidArgument(
    `no PostgresML 1.0 schema (${fromSchema ?? V1_SCHEMAS.join(', ')}) with projects, models and deployments in ${maskSecrets(url)}`,
  );
}

/** In place: `pgml` → `pgml_v1` and the 2.x schema, atomically. */
async function renameV1Schema(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const taken = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [RENAMED_V1_SCHEMA]);
    if (taken.rows.length > 0) {
      throw new InvalidArgument(`cannot rename the 1.0 schema pgml to ${RENAMED_V1_SCHEMA}: that schema already exists`);
    }
    await tx.query(`ALTER SCHEMA pgml RENAME TO ${RENAMED_V1_SCHEMA}`);
    await ensureSchema(tx);
  });
}

async function run(options: MigrateOptions, source: Db, target: Db, inPlace: boolean, python: PythonRuntime): Promise<MigrationReport> {
  const progress = options.onProgress ?? (() => undefined);
  const located = await locateSource(source, options.fromSchema, options.from);
  let renamedSchema: string | null = null;
  const targetKind = await describeSchema(target, 'pgml');
  if (!inPlace && targetKind.kind !== 'absent' && targetKind.kind !== 'v2') {
    throw new InvalidArgument(
      `the target's pgml schema is ${targetKind.kind === 'v1' ? 'a PostgresML 1.0 schema: omit --to to migrate it in place' : 'not a pgml-ts / PostgresML 2.x schema'}`,
    );
  }
  if (!options.dryRun) {
    if (inPlace && located.schema === 'pgml') {
      progress(`renaming the 1.0 schema pgml to ${RENAMED_V1_SCHEMA}…`);
      await renameV1Schema(target);
      located.schema = renamedSchema = RENAMED_V1_SCHEMA;
    } else {
      await ensureSchema(target);
    }
  }
  const targetReady = !options.dryRun || (await describeSchema(target, 'pgml')).kind === 'v2';
  const featureOrder = options.featureOrder ?? located.layout.featureOrder;
  const catalog = await readCatalog(source, located.schema, located.layout);
  // The native addon (its runtime, and the data path predictions go through) is needed only to verify or convert.
  const native = options.convertNative || options.verify ? await loadNative().catch((error: Error) => error) : new Error('not loaded: no --verify or --convert-native');
  if (options.convertNative && native instanceof Error) throw native;
  const registry = runtimeRegistry(native, python);
  const nativeRuntime = registry.get('native');
  const prepare: PrepareContext = {
    source,
    schema: located.schema,
    layout: located.layout,
    featureOrder,
    python,
    ...(options.convertNative && nativeRuntime ? { native: nativeRuntime } : {}),
    predictions: Boolean(options.verify || options.convertNative),
    verifyRows: options.verifyRows ?? 100_000,
  };
  const write: WriteContext = {
    source,
    target,
    sameDatabase: inPlace,
    verify: Boolean(options.verify),
    registry,
    cache: new ModelCache<LoadedModel>(),
    catalog,
  };
  const projects: ProjectReport[] = [];
  const models: ModelReport[] = [];
  for (const project of catalog.projects) {
    progress(`project ${project.name}…`);
    const result = await migrateProject(options, prepare, write, project, targetReady);
    projects.push(result.project);
    models.push(...result.models);
  }
  return masked({
    source: { url: options.from, schema: located.schema, layout: located.layout.name, featureOrder },
    target: { url: options.to ?? options.from, inPlace, renamedSchema },
    dryRun: Boolean(options.dryRun),
    verify: Boolean(options.verify),
    convertNative: Boolean(options.convertNative),
    projects,
    models,
    summary: summarize(models),
  });
}

async function migrateProject(
  options: MigrateOptions,
  prepare: PrepareContext,
  write: WriteContext,
  project: V1Project,
  targetReady: boolean,
): Promise<{ project: ProjectReport; models: ModelReport[] }> {
  const catalog = write.catalog;
  const report: ProjectReport = {
    id: project.id,
    name: project.name,
    task: project.task,
    status: 'failed',
    deployedModelId: catalog.deployed.get(project.id) ?? null,
    deployedAfter: null,
    notes: [],
  };
  const prepared = await prepareProject(options, prepare, write, catalog, project, targetReady);
  const reports = prepared.models.map((m) => m.report);
  if (!TASKS.includes(project.task as Task)) {
    report.notes.push(`task ${project.task} (e.g. a Hugging Face model) has no scikit-learn pickle to migrate`);
  } else if (!options.dryRun) {
    const before = reports.map((r) => structuredClone(r));
    try {
      await writeProject(write, project, prepared.models, prepared.snapshots, report);
      report.deployedAfter = await deployedAfter(write.target, project.id);
    } catch (error) {
      // Nothing of this project was written: the reports go back to what the earlier runs left.
      report.notes.push(maskSecrets((error as Error).message));
      reports.forEach((r, i) => {
        const was = before[i]!;
        Object.assign(r, was, was.status === 'would_migrate' ? { status: 'failed', runtimeAfter: null, message: 'the project transaction was rolled back' } : {});
      });
    }
  }
  const statuses = new Set(reports.map((r) => r.status));
  const copied = reports.filter((r) => r.runtimeAfter !== null).length;
  report.status =
    options.dryRun ? 'would_migrate'
    : copied === 0 && reports.length > 0 ? 'failed'
    : copied < reports.length ? 'partial'
    : statuses.size === 1 && statuses.has('already_migrated') ? 'already_migrated'
    : 'migrated';
  return { project: report, models: reports };
}

async function prepareProject(
  options: MigrateOptions,
  prepare: PrepareContext,
  write: WriteContext,
  catalog: V1Catalog,
  project: V1Project,
  targetReady: boolean,
): Promise<{ models: PreparedModel[]; snapshots: Map<number, SnapshotSource> }> {
  const snapshots = new Map<number, SnapshotSource>();
  const models: PreparedModel[] = [];
  for (const v1 of catalog.models.filter((m) => m.project_id === project.id)) {
    const model: PreparedModel = {
      v1,
      task: project.task as Task,
      report: { modelId: v1.id, project: project.name, algorithm: v1.algorithm_name, status: 'would_migrate', runtimeAfter: 'python', maxDiff: null, rowsCompared: 0 },
    };
    models.push(model);
    if (!TASKS.includes(model.task)) {
      Object.assign(model.report, { status: 'unsupported', runtimeAfter: null, message: `task ${project.task}` });
      continue;
    }
    const existing = targetReady ? await existingModel(write.target, v1).catch((error: Error) => error) : undefined;
    if (existing instanceof Error) {
      Object.assign(model.report, { status: 'failed', runtimeAfter: null, message: existing.message });
      continue;
    }
    if (existing) {
      Object.assign(model.report, { status: 'already_migrated', runtimeAfter: existing.runtime });
      const convert = options.convertNative && existing.runtime === 'python';
      if (!convert && !options.verify) continue;
    }
    const snapshotId = Number(v1.snapshot_id);
    let snapshot = snapshots.get(snapshotId);
    const v1Snapshot = catalog.snapshots.get(snapshotId);
    if (!snapshot && v1Snapshot) snapshots.set(snapshotId, (snapshot = await loadSnapshot(prepare, v1Snapshot)));
    await prepareModel(prepare, model, snapshot);
    if (model.report.status !== 'would_migrate' && model.report.status !== 'already_migrated') model.report.runtimeAfter = null;
  }
  if (prepare.native) {
    await convertModels(prepare, models.filter((m) => m.meta && (m.report.status === 'would_migrate' || m.report.runtimeAfter === 'python')));
    for (const m of models.filter((x) => x.native && x.report.status === 'would_migrate')) m.report.runtimeAfter = 'native';
  }
  // Only snapshots of models that will be written are copied.
  const needed = new Set(models.filter((m) => m.meta && m.report.status === 'would_migrate').map((m) => Number(m.v1.snapshot_id)));
  for (const id of snapshots.keys()) if (!needed.has(id)) snapshots.delete(id);
  return { models, snapshots };
}
