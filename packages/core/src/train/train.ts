/**
 * `pgml.train`: snapshot (or reuse the last one), read it through the native data path, preprocess with
 * training-row statistics, optionally search hyperparameters by k-fold cross-validation and refit the best on the
 * whole training split, score on the test split, explain it on the test split (confusion matrix, curves, residuals,
 * importances; see explain/), store the model with its explanation, and deploy it as PostgresML 2.x does (strategy
 * `new_score`: unless the deployed model is strictly better on the key metric; ties deploy). Everything happens in
 * ONE transaction: any failure leaves no project, snapshot, model, file, explanation or deployment. Each stage is timed.
 */
import type { Db } from '../db.js';
import { InvalidArgument } from '../errors.js';
import { explainModel, runtimeModel } from '../explain/explain.js';
import { saveExplanation } from '../explain/store.js';
import { featureNames } from '../ml/preprocess-state.js';
import { runSearch, searchCandidates, type SearchResults } from '../ml/search.js';
import { kFold } from '../ml/split.js';
import { deploysOver, keyMetric, type Metrics } from '../ml/task-metrics.js';
import { saveModelFile } from '../model-store.js';
import { currentDeployment, insertDeployment } from '../project/deploy.js';
import { checkProjectName, createProject, findProject } from '../project/projects.js';
import type { RuntimeRegistry } from '../registry.js';
import type { FittedModel, Matrix, Runtime, StoredRuntimeName, Task } from '../runtime.js';
import { ensureSchema } from '../schema/ensure-schema.js';
import { snapshotFeatures, type FeatureLayout, type SnapshotFeatures } from '../snapshot/features.js';
import { createSnapshot, lastSnapshot, readSnapshot, recordAnalysis, snapshotColumnStatistics, splitSnapshot, type Snapshot, type SnapshotData } from '../snapshot/snapshot.js';
import { evaluate, takeRows } from './evaluate.js';
import { encodeTargets, type Label, type Targets } from './labels.js';
import { resolveTrainOptions, taskAlgorithm, type ResolvedTrainOptions, type TrainOptions, type TrainProgress } from './options.js';
import { StageClock, type TrainTimings } from './timings.js';

/** Rows a train-time snapshot's column statistics are measured on (`pgml snapshot` measures every row). */
const TRAIN_STATISTICS_ROWS = 10_000;
export interface TrainResult {
  project: string;
  task: Task;
  algorithm: string;
  /** The runtime that trained the model; `rust` when it was asked for by PostgresML 2.x's name (it is `native`). */
  runtime: StoredRuntimeName;
  deployed: boolean;
  modelId: number;
  snapshotId: number;
  /** PostgresML's metric set for the task plus fit_time and score_time (seconds). NaN where undefined. */
  metrics: Metrics;
  fitTime: number;
  scoreTime: number;
  /** The hyperparameters of the stored model (the best candidate's, after a search). */
  hyperparams: Record<string, unknown>;
  /**
   * With `search`: every candidate's cross-validation scores (PostgresML's `search_results`, also stored under the
   * model's metrics); `params[best_index]` is `hyperparams`. Null without a search.
   */
  searchResults: SearchResults | null;
  /** Seconds per stage of this train, end to end. */
  timings: TrainTimings;
}

/** What the model file's header meta carries besides the task: everything predict needs. */
export interface StoredModelMeta {
  numFeatures: number;
  numOutputs: number;
  numClasses?: number;
  labels?: Label[];
  yColumnNames: string[];
  /** The snapshot it was trained on; null for a model imported from another database. */
  snapshotId: number | null;
  features: FeatureLayout;
}

const SUPERVISED: readonly Task[] = ['regression', 'classification'];

export async function train(db: Db, registry: RuntimeRegistry, projectName: string, options: TrainOptions = {}): Promise<TrainResult> {
  checkProjectName(projectName);
  const opts = resolveTrainOptions(options);
  const progress = options.onProgress ?? (() => undefined);
  const clock = new StageClock();
  await ensureSchema(db);
  return db.transaction(async (tx) => {
    const existing = await findProject(tx, projectName);
    if (!existing && opts.task === undefined) {
      throw new InvalidArgument((w) => `project ${JSON.stringify(projectName)} does not exist: pass ${w.option('task')} to create it`, {
        project: projectName,
      });
    }
    if (existing && opts.task !== undefined && opts.task !== existing.task) {
      throw new InvalidArgument(
        (w) =>
          `project ${JSON.stringify(projectName)} already exists with ${w.option('task')} ${existing.task}, not ${opts.task}; ` +
          'create a new project instead',
      );
    }
    const task = existing?.task ?? opts.task!;
    const algorithm = taskAlgorithm(task, opts.algorithm);
    const runtime = registry.resolve(task, algorithm, opts.runtime);
    const storedRuntime: StoredRuntimeName = opts.runtime === 'rust' ? 'rust' : runtime.name;
    // Validated up front so a bad hyperparameter fails before any snapshot work; the model stores what the user
    // asked for (PostgresML's behaviour), fits run with the runtime's validated form.
    runtime.validateHyperparams(task, algorithm, opts.hyperparams);
    const tables = registry.tables;
    const project = existing ?? (await createProject(tx, projectName, task));

    progress({ stage: 'snapshot', message: opts.relationName ?? 'last snapshot' });
    const snapshot = await takeSnapshot(tx, project.id, task, opts);
    clock.lap('snapshot');
    const rows = await readSnapshot(tx, tables, snapshot, {
      onProgress: (p) => progress({ stage: 'read', current: p.rows, ...(p.expectedRows ? { total: p.expectedRows } : {}) }),
      // Other connections can read the relation in parallel ranges — but not a snapshot table this transaction made.
      ...(snapshot.materialized && opts.relationName !== undefined ? {} : { parallel: { pool: db } }),
    });
    clock.lap('read');
    let data: SnapshotData;
    let targets: Targets | undefined;
    let features: SnapshotFeatures;
    try {
      targets = SUPERVISED.includes(task) ? encodeTargets(task, rows.labels, rows.labelValues) : undefined;
      // Stratified sampling is by class index, which only classification targets have (checked in splitSnapshot).
      data = { ...rows, split: splitSnapshot(snapshot, rows, task, () => targets!.y.data) };
      clock.lap('split');
      progress({ stage: 'preprocess' });
      features = await snapshotFeatures(data, snapshot.preprocess, targets && firstColumn(targets.y));
    } finally {
      rows.table.free();
    }
    const { layout, train: xTrain, test: xTest } = features;
    const yTrain = targets && takeRows(targets.y, data.split.train);
    const yTest = targets && takeRows(targets.y, data.split.test);
    const numClasses = targets?.labels?.length;
    if (opts.relationName !== undefined) {
      await recordAnalysis(tx, snapshot.id, {
        ...analysis(data, layout, targets),
        column_statistics: await snapshotColumnStatistics(tx, snapshot, TRAIN_STATISTICS_ROWS),
        column_statistics_rows: Math.min(data.rows, TRAIN_STATISTICS_ROWS),
      });
    }
    clock.lap('preprocess');

    const fit = (params: Record<string, unknown>, x: Matrix, y: Matrix | undefined, report: boolean): Promise<FittedModel> =>
      runtime.fit({
        task,
        algorithm,
        hyperparams: params,
        x,
        ...(y ? { y } : {}),
        ...(numClasses ? { numClasses } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(report ? { onProgress: (p) => progress({ stage: 'fit', current: p.done, unit: p.unit, ...(p.total ? { total: p.total } : {}) }) } : {}),
      });

    let params = opts.hyperparams;
    let searchResults: SearchResults | undefined;
    if (opts.search) {
      // Candidates are built from the user's own hyperparams: the validated ones carry every default filled in,
      // which would collide with the searched keys.
      const outcome = await search(runtime, task, algorithm, opts, snapshot.seed, xTrain, yTrain, fit, progress, options.signal);
      params = outcome.bestParams;
      searchResults = outcome.results;
    }

    progress({ stage: 'fit' });
    const fitStart = performance.now();
    const model = await fit(runtime.validateHyperparams(task, algorithm, params), xTrain, yTrain, true);
    const fitTime = (performance.now() - fitStart) / 1000;
    clock.lap('fit');
    progress({ stage: 'score' });
    const scoreStart = performance.now();
    const metrics = await evaluate(runtime, model, task, xTest, yTest, options.signal);
    const scoreTime = (performance.now() - scoreStart) / 1000;
    const allMetrics: Metrics = { ...metrics, fit_time: fitTime, score_time: scoreTime };
    clock.lap('score');
    progress({ stage: 'explain' });
    const explanation = await explainModel({
      model: runtimeModel(runtime, model, options.signal),
      task,
      xTest,
      ...(yTest ? { yTest } : {}),
      features: featureNames(layout.preprocessor),
      ...(targets?.labels ? { labels: targets.labels } : {}),
      targetNames: snapshot.yColumnNames,
      seed: snapshot.seed,
      trainRows: xTrain.rows,
    });
    clock.lap('explain');

    progress({ stage: 'store' });
    const modelId = await insertModel(tx, { projectId: project.id, snapshotId: snapshot.id, algorithm, runtime: storedRuntime }, opts, params, layout, allMetrics, searchResults);
    await saveExplanation(tx, modelId, explanation);
    const meta: StoredModelMeta = {
      numFeatures: model.numFeatures,
      numOutputs: model.numOutputs,
      ...(numClasses ? { numClasses } : {}),
      ...(targets?.labels ? { labels: targets.labels } : {}),
      yColumnNames: snapshot.yColumnNames,
      snapshotId: snapshot.id,
      features: layout,
    };
    await saveModelFile(tx, modelId, {
      runtime: runtime.name,
      algorithm,
      task,
      payload: await runtime.serialize(model),
      meta: meta as unknown as Record<string, unknown>,
    });

    let deployed = false;
    if (opts.automaticDeploy) {
      const current = await currentDeployment(tx, project.id);
      deployed = !current || deploysOver(task, allMetrics, numericMetrics(current.metrics));
      if (deployed) {
        progress({ stage: 'deploy' });
        await insertDeployment(tx, project.id, modelId, 'new_score');
      }
    }
    clock.lap('store');
    return {
      project: project.name,
      task,
      algorithm,
      runtime: storedRuntime,
      deployed,
      modelId,
      snapshotId: snapshot.id,
      metrics: allMetrics,
      fitTime,
      scoreTime,
      hyperparams: params,
      searchResults: searchResults ?? null,
      timings: clock.timings(),
    };
  });
}

async function takeSnapshot(tx: Db, projectId: number, task: Task, opts: ResolvedTrainOptions): Promise<Snapshot> {
  if (opts.relationName !== undefined) {
    if (opts.yColumnNames === undefined && SUPERVISED.includes(task)) {
      throw new InvalidArgument((w) => `${task} needs ${w.option('yColumnName')} with ${w.option('relationName')}`);
    }
    return createSnapshot(tx, {
      relationName: opts.relationName,
      yColumnNames: opts.yColumnNames ?? [],
      testSize: opts.testSize,
      testSampling: opts.testSampling,
      preprocess: opts.preprocess,
      materialize: opts.materializeSnapshot,
    });
  }
  const snapshot = await lastSnapshot(tx, projectId);
  if (!snapshot) {
    throw new InvalidArgument(
      (w) => `this project has no snapshot yet: pass ${w.option('relationName')} and ${w.option('yColumnName')} the first time you train`,
    );
  }
  return snapshot;
}

function firstColumn(y: Matrix): Float64Array {
  if (y.cols === 1) return y.data;
  const out = new Float64Array(y.rows);
  for (let i = 0; i < y.rows; i++) out[i] = y.data[i * y.cols]!;
  return out;
}

async function search(
  runtime: Runtime,
  task: Task,
  algorithm: string,
  opts: ResolvedTrainOptions,
  seed: number,
  x: Matrix,
  y: Matrix | undefined,
  fit: (params: Record<string, unknown>, x: Matrix, y: Matrix | undefined, report: boolean) => Promise<FittedModel>,
  progress: (p: TrainProgress) => void,
  signal: AbortSignal | undefined,
) {
  const args = opts.searchArgs;
  const candidates = searchCandidates({ search: opts.search!, hyperparams: opts.hyperparams, searchParams: opts.searchParams, searchArgs: args, seed });
  // Every candidate is checked before the first fit, so a bad search value fails fast and leaves nothing behind.
  const validated = candidates.map((candidate) => runtime.validateHyperparams(task, algorithm, candidate));
  const folds = kFold(x.rows, args.cv, seed, task === 'classification' ? y!.data : undefined);
  const key = keyMetric(task);
  progress({ stage: 'search', total: candidates.length * folds.length, message: `${candidates.length} candidates × ${folds.length} folds` });
  return runSearch({
    candidates,
    folds,
    ...(signal ? { signal } : {}),
    onProgress: (p) => progress({ stage: 'fold', current: p.done, total: p.total }),
    fitAndScore: async (params, trainIdx, validIdx) => {
      const fitStart = performance.now();
      const model = await fit(validated[candidates.indexOf(params)] ?? params, takeRows(x, trainIdx), y && takeRows(y, trainIdx), false);
      const fitTime = (performance.now() - fitStart) / 1000;
      const scoreStart = performance.now();
      const metrics = await evaluate(runtime, model, task, takeRows(x, validIdx), y && takeRows(y, validIdx), signal);
      return { score: metrics[key] ?? Number.NaN, fitTime, scoreTime: (performance.now() - scoreStart) / 1000 };
    },
  });
}

async function insertModel(
  tx: Db,
  row: { projectId: number; snapshotId: number; algorithm: string; runtime: StoredRuntimeName },
  opts: ResolvedTrainOptions,
  params: Record<string, unknown>,
  layout: FeatureLayout,
  metrics: Metrics,
  searchResults: SearchResults | undefined,
): Promise<number> {
  const stored = searchResults ? { ...metrics, search_results: searchResults } : metrics;
  const inserted = await tx.query<{ id: string | number }>(
    `INSERT INTO pgml.models (project_id, snapshot_id, num_features, algorithm, runtime, hyperparams, status, metrics,
                              search, search_params, search_args)
     VALUES ($1, $2, $3, $4, $5, $6, 'successful', $7, $8, $9, $10) RETURNING id`,
    [
      row.projectId,
      row.snapshotId,
      layout.preprocessor.numFeatures,
      row.algorithm,
      row.runtime,
      JSON.stringify(params),
      // JSON has no NaN: an undefined metric is stored as null.
      JSON.stringify(stored),
      opts.search ?? null,
      JSON.stringify(opts.searchParams),
      JSON.stringify(opts.searchArgs),
    ],
  );
  return Number(inserted.rows[0]!.id);
}

function numericMetrics(metrics: Record<string, unknown> | null): Metrics | undefined {
  if (!metrics) return undefined;
  const out: Metrics = {};
  for (const [k, v] of Object.entries(metrics)) out[k] = typeof v === 'number' ? v : Number.NaN;
  return out;
}

function analysis(data: SnapshotData, layout: FeatureLayout, targets: Targets | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {
    rows: data.rows,
    train_rows: data.split.train.length,
    test_rows: data.split.test.length,
    num_features: layout.preprocessor.numFeatures,
    preprocessing: layout.preprocessor,
  };
  if (targets?.labels) {
    const count = (rows: Uint32Array) => {
      const counts = targets.labels!.map(() => 0);
      for (const r of rows) counts[targets.y.data[r]!]!++;
      return Object.fromEntries(targets.labels!.map((l, i) => [String(l), counts[i]]));
    };
    result.class_counts = { train: count(data.split.train), test: count(data.split.test) };
  }
  return result;
}
