/**
 * `pgml migrate`: moves a PostgresML 1.0 database (docs/architecture.md#migration), or with `--from-v2` a PostgresML
 * 2.x one, to our
 * 2.x-compatible schema without retraining.
 *
 * This lives in @pgml-ts/sdk rather than python-compat: it needs the pg driver (two databases), the native runtime
 * (--convert-native) and the python runtime together, and only the sdk depends on all three.
 *
 * In place (no `to`, or `to` = `from`): the source schema is renamed `pgml` → `pgml_v1` (2.x: `pgml_v2`) and ours
 * created in one transaction, as PostgresML's own 1.0 → 2.0 script does (it names the copy `pgml_tmp`; read too).
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
import { withNativeErrors } from '../native-errors.js';
import { loadNative } from '../vector.js';
import { convertModels, loadSnapshot, prepareModel, type PrepareContext, type PreparedModel, type SnapshotSource } from './prepare.js';
import { masked, summarize, type MigrationReport, type ModelReport, type ProjectReport } from './report.js';
import { deployedAfter, existingModel } from './target.js';
import { describeSchema, readCatalog, type V1Catalog, type V1Model, type V1Project, type V1Snapshot } from './v1-source.js';
import { loadV2Snapshot, prepareV2Model, type V2PrepareContext } from './v2-prepare.js';
import { readV2Catalog, type V2Model } from './v2-source.js';
import { writeProject, type WriteContext } from './write.js';

export const RENAMED_V1_SCHEMA = 'pgml_v1';
export const RENAMED_V2_SCHEMA = 'pgml_v2';
/** Where a 1.0 schema may be: not migrated yet, renamed by us, or renamed by PostgresML's script. */
const V1_SCHEMAS = ['pgml', RENAMED_V1_SCHEMA, 'pgml_tmp'];
const V2_SCHEMAS = ['pgml', RENAMED_V2_SCHEMA];
const TASKS: readonly Task[] = ['regression', 'classification', 'clustering', 'decomposition'];

export const PICKLE_OPT_IN =
  'PostgresML models of the python runtime (all of 1.0) are Python pickles, and unpickling can execute arbitrary ' +
  'code. pgml migrate loads them through an allow-list unpickler (scikit-learn, NumPy, SciPy and XGBoost classes ' +
  'only; anything else is refused and never runs), but you must opt in: pass --allow-pickle if you trust the ' +
  'models in this database.';

/** What differs between migrating a 1.0 and a 2.x database: where the source is, how it is read and prepared. */
interface Source {
  version: 1 | 2;
  schema: string;
  layoutName: MigrationReport['source']['layout'];
  featureOrder: 'table' | 'sorted';
  catalog: V1Catalog;
  loadSnapshot(snapshot: V1Snapshot): Promise<SnapshotSource>;
  prepare(model: PreparedModel, snapshot: SnapshotSource | undefined): Promise<void>;
  /** The runtime that will serve the model if it migrates. */
  runtimeAfter(model: V1Model): 'python' | 'native';
}

export interface MigrateOptions {
  /** The source database (postgres:// URL): PostgresML 1.0's, or 2.x's for `migrateV2`. */
  from: string;
  /** The 2.x database; omitted or equal to `from` migrates in place. */
  to?: string;
  /** The source schema; default the first 1.0 schema among pgml, pgml_v1, pgml_tmp (2.x: pgml, pgml_v2). */
  fromSchema?: string;
  dryRun?: boolean;
  verify?: boolean;
  convertNative?: boolean;
  /** Required: see PICKLE_OPT_IN. */
  allowPickle: boolean;
  /** 1.0 only. Default: the layout's (final: table order; early: sorted by name). */
  featureOrder?: 'table' | 'sorted';
  /** Snapshot rows compared per model by --verify / --convert-native (default 100 000). */
  verifyRows?: number;
  onProgress?: (message: string) => void;
}

export function migrateV1(options: MigrateOptions): Promise<MigrationReport> {
  return migrateFrom(1, options);
}

/** `pgml migrate --from-v2`: a PostgresML 2.x database (the pgml extension's schema) into ours. */
export function migrateV2(options: MigrateOptions): Promise<MigrationReport> {
  if (options.featureOrder !== undefined) throw new InvalidArgument('--feature-order is for 1.0 databases: 2.x stored its feature order');
  return migrateFrom(2, options);
}

async function migrateFrom(version: 1 | 2, options: MigrateOptions): Promise<MigrationReport> {
  if (!options.allowPickle) throw new InvalidArgument(PICKLE_OPT_IN);
  const inPlace = options.to === undefined || options.to === options.from;
  const source = createPgDb(options.from, { max: 4 });
  const target = inPlace ? source : createPgDb(options.to!, { max: 4 });
  const python = new PythonRuntime({ worker: new PythonWorker() });
  try {
    return await run(version, options, source, target, inPlace, python);
  } finally {
    await python.close().catch(() => undefined);
    await source.close();
    if (!inPlace) await target.close();
  }
}

async function locateSource(version: 1 | 2, db: Db, fromSchema: string | undefined, url: string) {
  const candidates = fromSchema ? [fromSchema] : version === 1 ? V1_SCHEMAS : V2_SCHEMAS;
  for (const schema of candidates) {
    const found = await describeSchema(db, schema);
    if (version === 1 && found.kind === 'v1') return { schema, layout: found.layout };
    if (version === 2 && found.kind === 'postgresml2') return { schema, layout: undefined };
  }
  const hint = version === 1 && (await describeSchema(db, 'pgml')).kind === 'postgresml2' ? ': it holds a PostgresML 2.x schema, use --from-v2' : '';
  throw new InvalidArgument(
    `no PostgresML ${version === 1 ? '1.0' : '2.x'} schema (${candidates.join(', ')}) with projects, models and deployments in ${maskSecrets(url)}${hint}`,
  );
}

/** In place: `pgml` → `pgml_v1` / `pgml_v2` and our schema, atomically. */
async function renameSourceSchema(db: Db, renamed: string): Promise<void> {
  await db.transaction(async (tx) => {
    const taken = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [renamed]);
    if (taken.rows.length > 0) {
      throw new InvalidArgument(`cannot rename the source schema pgml to ${renamed}: that schema already exists`);
    }
    await tx.query(`ALTER SCHEMA pgml RENAME TO ${renamed}`);
    await ensureSchema(tx);
  });
}

async function run(version: 1 | 2, options: MigrateOptions, source: Db, target: Db, inPlace: boolean, python: PythonRuntime): Promise<MigrationReport> {
  const progress = options.onProgress ?? (() => undefined);
  const located = await locateSource(version, source, options.fromSchema, options.from);
  let renamedSchema: string | null = null;
  const targetKind = await describeSchema(target, 'pgml');
  if (!inPlace && targetKind.kind !== 'absent' && targetKind.kind !== 'v2') {
    throw new InvalidArgument(
      `the target's pgml schema is ${
        targetKind.kind === 'v1'
          ? 'a PostgresML 1.0 schema: omit --to to migrate it in place'
          : targetKind.kind === 'postgresml2'
            ? "PostgresML 2.x's: migrate it first (pgml migrate --from-v2 --from that database)"
            : 'not a pgml-ts schema'
      }`,
    );
  }
  if (!options.dryRun) {
    if (inPlace && located.schema === 'pgml') {
      const renamed = version === 1 ? RENAMED_V1_SCHEMA : RENAMED_V2_SCHEMA;
      progress(`renaming the source schema pgml to ${renamed}…`);
      await renameSourceSchema(target, renamed);
      located.schema = renamedSchema = renamed;
    } else {
      await ensureSchema(target);
    }
  }
  const targetReady = !options.dryRun || (await describeSchema(target, 'pgml')).kind === 'v2';
  // The native addon: to verify or convert, and to serve 2.x's rust-runtime models at all.
  const needNative = options.convertNative || options.verify || version === 2;
  const native = needNative ? await loadNative().catch((error: Error) => error) : new Error('not loaded: no --verify or --convert-native');
  if (options.convertNative && native instanceof Error) throw native;
  const registry = runtimeRegistry(native, python);
  const nativeRuntime = registry.get('native');
  const base: PrepareContext = {
    source,
    schema: located.schema,
    python,
    featureOrder: 'table',
    ...(options.convertNative && nativeRuntime ? { native: nativeRuntime } : {}),
    predictions: Boolean(options.verify || options.convertNative),
    verifyRows: options.verifyRows ?? 100_000,
  };
  let adapter: Source;
  if (version === 1) {
    const layout = located.layout!;
    const prepare: PrepareContext = { ...base, layout, featureOrder: options.featureOrder ?? layout.featureOrder };
    adapter = {
      version,
      schema: located.schema,
      layoutName: layout.name,
      featureOrder: prepare.featureOrder,
      catalog: await readCatalog(source, located.schema, layout),
      loadSnapshot: (snapshot) => loadSnapshot(prepare, snapshot),
      prepare: (model, snapshot) => prepareModel(prepare, model, snapshot),
      runtimeAfter: () => 'python',
    };
    return finish(options, adapter, prepare, source, target, inPlace, renamedSchema, targetReady, registry, progress);
  }
  const prepare: V2PrepareContext = {
    ...base,
    ...(nativeRuntime ? { nativeRuntime } : {}),
    ...(native instanceof Error ? {} : { xgboostToUbjson: withNativeErrors(native.xgboostToUbjson) }),
  };
  adapter = {
    version,
    schema: located.schema,
    layoutName: 'postgresml-2',
    featureOrder: 'table',
    catalog: await readV2Catalog(source, located.schema),
    loadSnapshot: (snapshot) => loadV2Snapshot(prepare, snapshot),
    prepare: (model, snapshot) => prepareV2Model(prepare, model, snapshot),
    runtimeAfter: (model) => ((model as V2Model).runtime === 'rust' ? 'native' : 'python'),
  };
  return finish(options, adapter, prepare, source, target, inPlace, renamedSchema, targetReady, registry, progress);
}

async function finish(
  options: MigrateOptions,
  adapter: Source,
  prepare: PrepareContext,
  source: Db,
  target: Db,
  inPlace: boolean,
  renamedSchema: string | null,
  targetReady: boolean,
  registry: ReturnType<typeof runtimeRegistry>,
  progress: (message: string) => void,
): Promise<MigrationReport> {
  const write: WriteContext = {
    source,
    target,
    sameDatabase: inPlace,
    verify: Boolean(options.verify),
    registry,
    cache: new ModelCache<LoadedModel>(),
    catalog: adapter.catalog,
  };
  const projects: ProjectReport[] = [];
  const models: ModelReport[] = [];
  for (const project of adapter.catalog.projects) {
    progress(`project ${project.name}…`);
    const result = await migrateProject(options, adapter, prepare, write, project, targetReady);
    projects.push(result.project);
    models.push(...result.models);
  }
  return masked({
    source: { url: options.from, schema: adapter.schema, layout: adapter.layoutName, featureOrder: adapter.featureOrder },
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
  adapter: Source,
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
  const prepared = await prepareProject(options, adapter, prepare, write, catalog, project, targetReady);
  const reports = prepared.models.map((m) => m.report);
  if (!TASKS.includes(project.task as Task)) {
    report.notes.push(`task ${project.task} (e.g. a Hugging Face model) has no scikit-learn or native model to migrate`);
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
  adapter: Source,
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
      report: {
        modelId: v1.id,
        project: project.name,
        algorithm: v1.algorithm_name,
        status: 'would_migrate',
        runtimeAfter: adapter.runtimeAfter(v1),
        maxDiff: null,
        rowsCompared: 0,
      },
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
    if (!snapshot && v1Snapshot) snapshots.set(snapshotId, (snapshot = await adapter.loadSnapshot(v1Snapshot)));
    await adapter.prepare(model, snapshot);
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
