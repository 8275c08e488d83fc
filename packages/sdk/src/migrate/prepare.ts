/**
 * Everything about one 1.0 model that can be decided before writing: its bytes, its snapshot's feature layout, the
 * pickle loaded through the worker's allow-list unpickler, the 1.0 predictions on the snapshot rows (for --verify
 * and --convert-native) and, with --convert-native, a native re-encoding whose predictions already matched.
 * Nothing here writes; a failure becomes the model's report status and never stops the other models.
 */
import {
  PgmlError,
  maskSecrets,
  quoteIdent,
  resolveRelation,
  snapshotTableName,
  type Db,
  type FeatureLayout,
  type FittedModel,
  type Label,
  type Matrix,
  type RelationInfo,
  type SnapshotColumn,
  type StoredModelMeta,
  type Task,
  type Runtime,
} from '@pgml-ts/core';
import type { PythonModelHandle, PythonRuntime } from '@pgml-ts/python-compat';
import { compareAll, type Comparison, type Tolerance } from './compare.js';
import { readFeatureRows, snapshotColumns, v1FeatureLayout, type FeatureRows } from './feature-layout.js';
import { readFittedAttributes } from './fitted-attributes.js';
import { convertToNative, converterFor } from './native-converters.js';
import type { ModelReport } from './report.js';
import { readModelBytes, type V1Layout, type V1Model, type V1ModelBytes, type V1Snapshot } from './v1-source.js';

export interface PrepareContext {
  source: Db;
  schema: string;
  /** The 1.0 layout (1.0 sources only). */
  layout?: V1Layout;
  featureOrder: 'table' | 'sorted';
  python: PythonRuntime;
  /** Present with --convert-native. */
  native?: Runtime;
  /** Compute the 1.0 predictions (needed by --verify and --convert-native). */
  predictions: boolean;
  verifyRows: number;
}

/** Where a snapshot's rows and column order come from: its 1.0 table, else (dropped) the relation it copied. */
export interface SnapshotSource {
  v1: V1Snapshot;
  relation?: RelationInfo;
  fromSnapshotTable: boolean;
  columns?: SnapshotColumn[];
  layout?: FeatureLayout;
  /**
   * What the source's estimators were fed for raw snapshot rows: 1.0 fed them as they were (absent); 2.x applied
   * its preprocessing in float32 (v2-features.ts).
   */
  modelInput?: (raw: Matrix) => Matrix;
  /** 2.x's `preprocess` for the snapshot's columns, stored with the migrated snapshot. */
  preprocess?: Record<string, unknown>;
  /** Why models of this snapshot cannot be migrated. */
  error?: Error;
  rows?: FeatureRows;
}

export interface Predictions {
  predictions: Float64Array;
  proba?: Float64Array;
}

/** Where a migrated model came from: a 1.0 pickle, or a 2.x model of either runtime. */
export type MigratedOrigin =
  | { v1: { modelId: number; layout: 'early' | 'final'; featureOrder: 'table' | 'sorted'; estimator: string; classes?: Label[] } }
  | { v2: { modelId: number; runtime: 'python' | 'rust'; estimator: string; classes?: Label[] } };

/** What the model file's header meta carries: core's layout plus where the model came from. */
export type MigratedMeta = StoredModelMeta & MigratedOrigin;

export interface PreparedModel {
  v1: V1Model;
  task: Task;
  report: ModelReport;
  bytes?: V1ModelBytes;
  snapshot?: SnapshotSource;
  /** The python model as it will be stored. */
  meta?: MigratedMeta;
  original?: Predictions;
  /** Set when the model converted and its predictions matched. */
  native?: { payload: Uint8Array; meta: MigratedMeta };
  handle?: PythonModelHandle;
  /** What `pgml.models.runtime` records once migrated when it is not the serving runtime's name (2.x's `rust`). */
  storedRuntime?: 'rust';
  /** How close predictions must be to the source model's (compare.ts); default EXACT. */
  tolerance?: Tolerance;
}

/** How a source version lays out a snapshot's features; 1.0's by default (identity, in 1.0's order). */
export type LayoutOf = (columns: SnapshotColumn[], source: SnapshotSource) => void;

export async function loadSnapshot(ctx: PrepareContext, v1: V1Snapshot, layoutOf?: LayoutOf): Promise<SnapshotSource> {
  const source: SnapshotSource = { v1, fromSnapshotTable: true };
  try {
    const table = `${quoteIdent(ctx.schema)}.${quoteIdent(snapshotTableName(Number(v1.id)))}`;
    source.relation = await resolveRelation(ctx.source, table).catch(async () => {
      source.fromSnapshotTable = false;
      return resolveRelation(ctx.source, v1.relation_name);
    });
    source.columns = await snapshotColumns(ctx.source, source.relation, v1.y_column_name ?? []);
    if (layoutOf) layoutOf(source.columns, source);
    else source.layout = v1FeatureLayout(source.columns, ctx.featureOrder);
  } catch (error) {
    source.error = error instanceof Error ? error : new Error(String(error));
  }
  return source;
}

/** The snapshot rows the comparisons run on (read once per snapshot). */
export async function rowsOf(ctx: PrepareContext, snapshot: SnapshotSource): Promise<FeatureRows> {
  snapshot.rows ??= await readFeatureRows(ctx.source, snapshot.relation!, snapshot.layout!, ctx.verifyRows);
  return snapshot.rows;
}

/** The rows as the source's estimator saw them (see `SnapshotSource.modelInput`). */
export function modelInputOf(snapshot: SnapshotSource, rows: FeatureRows): Matrix {
  return snapshot.modelInput ? snapshot.modelInput(rows.matrix) : rows.matrix;
}

/** Loads and checks one 1.0 model; on failure the report says why and the model is left out. */
export async function prepareModel(ctx: PrepareContext, model: PreparedModel, snapshot: SnapshotSource | undefined): Promise<void> {
  try {
    if (!snapshot) throw new PgmlError('DATA_ERROR', `snapshot ${model.v1.snapshot_id} does not exist`);
    if (snapshot.error) throw snapshot.error;
    model.snapshot = snapshot;
    const layout = ctx.layout!;
    model.bytes = await readModelBytes(ctx.source, ctx.schema, layout, model.v1.id);
    await preparePickle(ctx, model, snapshot, (estimator, classes) => ({
      v1: {
        modelId: model.v1.id,
        layout: layout.name,
        featureOrder: ctx.featureOrder,
        estimator,
        ...(classes ? { classes: [...classes] } : {}),
      },
    }));
  } catch (error) {
    Object.assign(model.report, classify(error));
  }
}

/**
 * A pickled scikit-learn / XGBoost estimator (`model.bytes.pickle`, 1.0's or 2.x's python runtime's) loaded through
 * the worker's allow-list unpickler, its meta built, and with --verify/--convert-native its own predictions on the
 * snapshot rows. Throws; the caller classifies.
 */
export async function preparePickle(
  ctx: PrepareContext,
  model: PreparedModel,
  snapshot: SnapshotSource,
  origin: (estimator: string, classes: readonly Label[] | undefined) => MigratedOrigin,
): Promise<void> {
  const layout = snapshot.layout!;
  const numFeatures = layout.preprocessor.numFeatures;
  const yColumns = snapshot.v1.y_column_name ?? [];
  const numOutputs = model.task === 'regression' ? Math.max(1, yColumns.length) : 1;
  const fitted = await ctx.python.deserialize(model.bytes!.pickle, { task: model.task, algorithm: model.v1.algorithm_name, numFeatures, numOutputs });
  const handle = fitted.handle as PythonModelHandle;
  model.handle = handle;
  model.report.estimator = handle.className;
  const classes = model.task === 'classification' ? handle.classes : undefined;
  if (classes?.some((c) => typeof c === 'string')) {
    throw new PgmlError('INVALID_ARGUMENT', 'text class labels: PostgresML returned predictions as numbers, so this model never served');
  }
  // The python runtime returns what the pickle predicts: for 1.0/2.x classifiers the raw labels. When those are the
  // class indices 0..k-1 the labels can be stored as well (and predictProba knows its columns); otherwise predict
  // returns the stored label values as they are, as 1.0's pgml.predict did.
  const indexLabels = classes !== undefined && classes.every((c, i) => Number(c) === i);
  model.meta = {
    numFeatures,
    numOutputs,
    ...(indexLabels ? { labels: [...classes], numClasses: classes.length } : {}),
    yColumnNames: yColumns,
    snapshotId: Number(snapshot.v1.id),
    features: layout,
    ...origin(handle.className, classes),
  };
  if (ctx.predictions) {
    const rows = await rowsOf(ctx, snapshot);
    if (rows.matrix.rows > 0) model.original = await originalPredictions(ctx.python, fitted, handle, modelInputOf(snapshot, rows));
  }
  await ctx.python.release(fitted);
}

async function originalPredictions(python: PythonRuntime, fitted: FittedModel, handle: PythonModelHandle, x: Matrix): Promise<Predictions> {
  const predictions = await python.predict(fitted, x);
  const proba = fitted.task === 'classification' && handle.hasProba ? await python.predictProba(fitted, x) : undefined;
  return { predictions, ...(proba ? { proba } : {}) };
}

export function classify(error: unknown): Pick<ModelReport, 'status' | 'message'> {
  const message = maskSecrets(error instanceof Error ? error.message : String(error));
  if (!(error instanceof PgmlError)) return { status: 'failed', message };
  if (error.details.mismatch) return { status: 'mismatch', message };
  if (error.code === 'CORRUPT_MODEL' && error.details.refused) {
    return { status: 'refused', message: `refused global ${String(error.details.refused)} (never executed)` };
  }
  if (error.code === 'CORRUPT_MODEL' && error.details.expected !== undefined) return { status: 'failed', message };
  if (error.code === 'CORRUPT_MODEL') return { status: 'corrupt', message };
  if (['INVALID_ARGUMENT', 'UNKNOWN_RELATION', 'UNKNOWN_COLUMN', 'DATA_ERROR'].includes(error.code)) return { status: 'unsupported', message };
  return { status: 'failed', message };
}

/** `--convert-native` for every loaded model of a project: one interpreter reads all their fitted parameters. */
export async function convertModels(ctx: PrepareContext, models: readonly PreparedModel[]): Promise<void> {
  const native = ctx.native!;
  const candidates = models.filter((m) => m.meta && m.handle);
  for (const m of candidates) {
    if (!converterFor(m.handle!.className, m.task)) m.report.conversion = { status: 'not_convertible', reason: `no native converter for ${shortName(m.handle!.className)}` };
  }
  const convertible = candidates.filter((m) => converterFor(m.handle!.className, m.task));
  const fitted = await readFittedAttributes(
    convertible.map((m) => ({ pickle: m.bytes!.pickle, attributes: converterFor(m.handle!.className, m.task)!.attributes })),
  );
  for (const [i, m] of convertible.entries()) {
    const attributes = fitted[i]!;
    try {
      if (attributes instanceof Error) throw attributes;
      const conversion = convertToNative(converterFor(m.handle!.className, m.task)!, {
        task: m.task,
        numFeatures: m.meta!.numFeatures,
        numOutputs: m.meta!.numOutputs,
        fitted: attributes,
        ...(m.handle!.classes ? { classes: m.handle!.classes } : {}),
      });
      if ('unsupported' in conversion) {
        m.report.conversion = { status: 'not_convertible', reason: conversion.unsupported };
        continue;
      }
      const { labels: _labels, numClasses: _numClasses, ...base } = m.meta!;
      const meta: MigratedMeta = {
        ...base,
        ...(conversion.labels ? { labels: conversion.labels, numClasses: conversion.numClasses! } : {}),
      };
      const comparison = await compareNative(ctx, native, m, conversion.payload, meta);
      m.report.conversion = { status: comparison.matches ? 'would_convert' : 'mismatch', maxDiff: comparison.maxDiff };
      if (comparison.matches) m.native = { payload: conversion.payload, meta };
    } catch (error) {
      m.report.conversion = { status: 'failed', reason: maskSecrets(error instanceof Error ? error.message : String(error)) };
    }
  }
}

/** The native model's predictions (class indices mapped to the 1.0 labels) against the pickle's, on the snapshot rows. */
async function compareNative(ctx: PrepareContext, native: Runtime, m: PreparedModel, payload: Uint8Array, meta: MigratedMeta): Promise<Comparison> {
  const rows = await rowsOf(ctx, m.snapshot!);
  if (!m.original || rows.matrix.rows === 0) throw new PgmlError('DATA_ERROR', 'no complete snapshot rows to prove the conversion on');
  const model = await native.deserialize(payload, {
    task: m.task,
    algorithm: m.v1.algorithm_name,
    numFeatures: meta.numFeatures,
    numOutputs: meta.numOutputs,
    ...(meta.numClasses ? { numClasses: meta.numClasses } : {}),
  });
  const x = modelInputOf(m.snapshot!, rows);
  let predictions = await native.predict(model, x);
  if (meta.labels) predictions = Float64Array.from(predictions, (i) => Number(meta.labels![i]));
  const proba = m.original.proba ? await native.predictProba!(model, x) : undefined;
  return compareAll([[predictions, m.original.predictions], proba && [proba, m.original.proba!]], m.tolerance);
}

function shortName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}
