/**
 * One PostgresML 2.x model, decided before anything is written (as prepare.ts does for 1.0):
 * - python runtime: `pickle.dumps(estimator)` → the python runtime through the allow-list unpickler (and, with
 *   --convert-native, the same converters as 1.0 pickles);
 * - rust xgboost: XGBoost's own saved model (2.0.0 wrote 16 bytes before it, skipped as 2.x's loader does) →
 *   re-saved as UBJSON in a native XGBoost payload;
 * - rust linear / logistic: linfa's MessagePack → fitted parameters → the native linear / logistic model, kept only
 *   when it predicts what linfa did on the snapshot rows;
 * - rust svm, lightgbm, catboost → unsupported, with the reason.
 * The features come from the 2.x snapshot's columns (v2-features.ts), its preprocessing included.
 */
import { notInstallableReason, PgmlError, type Label, type Runtime, type StoredModelMeta } from '@pgml-ts/core';
import { compareAll, FLOAT32 } from './compare.js';
import { NotConvertible } from './converter-kit.js';
import { decodeLinfa, linfaPredict, linfaToNative, type LinfaConversion } from './linfa-models.js';
import { xgboostPayload } from './native-payload.js';
import {
  classify,
  loadSnapshot,
  modelInputOf,
  preparePickle,
  rowsOf,
  type MigratedMeta,
  type PrepareContext,
  type PreparedModel,
  type SnapshotSource,
} from './prepare.js';
import { v2Features } from './v2-features.js';
import { readV2ModelBytes, type V2Model } from './v2-source.js';
import type { V1Snapshot } from './v1-source.js';

/** 2.0.0 stored 16 bytes before XGBoost's model; 2.x's `Estimator::from_bytes` retries past them. */
const XGBOOST_2_0_0_PREFIX = 16;

export interface V2PrepareContext extends PrepareContext {
  /** Converts XGBoost model bytes of any format to UBJSON (the native addon's `xgboostToUbjson`). */
  xgboostToUbjson?: (bytes: Uint8Array) => Uint8Array;
  /** The native runtime, which serves every rust-runtime model (also without --convert-native). */
  nativeRuntime?: Runtime;
}

/** The 2.x snapshot with its features laid out from its own columns JSON (preprocessing included). */
export function loadV2Snapshot(ctx: PrepareContext, snapshot: V1Snapshot): Promise<SnapshotSource> {
  return loadSnapshot(ctx, snapshot, (columns, source) => {
    const features = v2Features(columns, snapshot.columns);
    source.layout = features.layout;
    source.preprocess = features.preprocess;
    source.modelInput = features.modelInput;
  });
}

export async function prepareV2Model(ctx: V2PrepareContext, model: PreparedModel, snapshot: SnapshotSource | undefined): Promise<void> {
  const v2 = model.v1 as V2Model;
  try {
    const unavailable = notInstallableReason(v2.algorithm_name);
    if (unavailable) throw new PgmlError('INVALID_ARGUMENT', `${v2.algorithm_name} (${v2.runtime} runtime) is ${unavailable}`);
    if (!snapshot) throw new PgmlError('DATA_ERROR', `snapshot ${v2.snapshot_id} does not exist`);
    if (snapshot.error) throw snapshot.error;
    model.snapshot = snapshot;
    // 2.x fed every model float32 features: the SDK's float64 ones differ by a float32 rounding.
    model.tolerance = FLOAT32;
    const stored = await readV2ModelBytes(ctx.source, ctx.schema, v2.id);
    model.bytes = { pickle: stored.bytes, files: stored.files };
    if (v2.runtime === 'python') {
      await preparePickle(ctx, model, snapshot, (estimator, classes) => ({
        v2: { modelId: v2.id, runtime: 'python', estimator, ...(classes ? { classes: [...classes] } : {}) },
      }));
      return;
    }
    await prepareRust(ctx, model, v2, snapshot, stored.bytes);
  } catch (error) {
    Object.assign(model.report, classify(error), { runtimeAfter: null });
  }
}

async function prepareRust(ctx: V2PrepareContext, model: PreparedModel, v2: V2Model, snapshot: SnapshotSource, bytes: Uint8Array): Promise<void> {
  const native = ctx.nativeRuntime;
  if (!native || !ctx.xgboostToUbjson) {
    throw new PgmlError('NATIVE_UNAVAILABLE', 'rust-runtime models are served by the native runtime, which could not be loaded');
  }
  if (model.task !== 'regression' && model.task !== 'classification') throw new PgmlError('INVALID_ARGUMENT', `a rust-runtime ${model.task} model`);
  const layout = snapshot.layout!;
  const numFeatures = layout.preprocessor.numFeatures;
  let conversion: LinfaConversion;
  let estimator: string;
  let linfa: ReturnType<typeof decodeLinfa> | undefined;
  if (v2.algorithm_name === 'xgboost') {
    estimator = model.task === 'regression' ? 'XGBRegressor' : 'XGBClassifier';
    conversion = rustXgboost(ctx.xgboostToUbjson, bytes, model.task, numFeatures, () => classCount(snapshot));
  } else if (v2.algorithm_name === 'linear') {
    linfa = decodeLinfa(bytes, model.task);
    estimator = `linfa ${linfa.kind === 'linear' ? 'LinearRegression' : 'LogisticRegression'}`;
    if (linfa.numFeatures !== numFeatures) throw new PgmlError('CORRUPT_MODEL', `the linfa model has ${linfa.numFeatures} features, the snapshot ${numFeatures}`);
    try {
      conversion = linfaToNative(linfa);
    } catch (error) {
      if (error instanceof NotConvertible) throw new PgmlError('INVALID_ARGUMENT', `the linfa model has ${error.message}`);
      throw error;
    }
  } else if (v2.algorithm_name === 'svm') {
    throw new PgmlError('INVALID_ARGUMENT', "linfa's SVM (rust runtime) keeps its kernel and support vectors in its own layout, which is not converted: retrain it (algorithm svm)");
  } else {
    throw new PgmlError('INVALID_ARGUMENT', `a rust-runtime ${v2.algorithm_name} model`);
  }
  model.report.estimator = estimator;
  const classes: Label[] | undefined = conversion.labels;
  const meta: MigratedMeta = {
    ...nativeMeta(numFeatures, snapshot, conversion),
    v2: { modelId: v2.id, runtime: 'rust', estimator, ...(classes ? { classes } : {}) },
  };
  const fitted = await native.deserialize(conversion.payload, {
    task: model.task,
    algorithm: v2.algorithm_name,
    numFeatures,
    numOutputs: 1,
    ...(meta.numClasses ? { numClasses: meta.numClasses } : {}),
  });
  model.meta = meta;
  model.native = { payload: conversion.payload, meta };
  model.storedRuntime = 'rust';
  model.report.runtimeAfter = 'native';
  if (!ctx.predictions && !linfa) return;
  const rows = await rowsOf(ctx, snapshot);
  if (rows.matrix.rows === 0) return;
  const x = modelInputOf(snapshot, rows);
  let predictions = await native.predict(fitted, x);
  if (meta.labels) predictions = Float64Array.from(predictions, (i) => Number(meta.labels![i]));
  if (!linfa) {
    // The very booster 2.x ran: its predictions on 2.x's inputs are the reference --verify holds the SDK path to.
    const proba = model.task === 'classification' ? await native.predictProba!(fitted, x) : undefined;
    model.original = { predictions, ...(proba ? { proba } : {}) };
    return;
  }
  // A linfa model is re-expressed: it is kept only if the native model predicts what linfa did (float32).
  model.original = { predictions: linfaPredict(linfa, x) };
  const comparison = compareAll([[predictions, model.original.predictions]], model.tolerance);
  model.report.conversion = { status: comparison.matches ? 'would_convert' : 'mismatch', maxDiff: comparison.maxDiff };
  if (!comparison.matches) {
    throw new PgmlError('DATA_ERROR', `the native model's predictions differ from linfa's (max diff ${comparison.maxDiff})`, { mismatch: true });
  }
}

function nativeMeta(numFeatures: number, snapshot: SnapshotSource, conversion: LinfaConversion): StoredModelMeta {
  return {
    numFeatures,
    numOutputs: 1,
    ...(conversion.labels ? { labels: conversion.labels, numClasses: conversion.numClasses! } : {}),
    yColumnNames: snapshot.v1.y_column_name ?? [],
    snapshotId: Number(snapshot.v1.id),
    features: snapshot.layout!,
  };
}

/** 2.x's number of classes: the label column's categories, else its distinct values (`Snapshot::num_classes`). */
function classCount(snapshot: SnapshotSource): number {
  const columns = (Array.isArray(snapshot.v1.columns) ? snapshot.v1.columns : []) as Array<{
    name: string;
    label?: boolean;
    statistics?: { distinct?: number; categories?: Record<string, unknown> | null };
  }>;
  const label = columns.find((c) => c.label && c.name === snapshot.v1.y_column_name?.[0]);
  const count = label?.statistics?.categories ? Object.keys(label.statistics.categories).length : label?.statistics?.distinct;
  if (typeof count !== 'number' || count < 2) throw new PgmlError('DATA_ERROR', "the 2.x snapshot does not say how many classes its label has");
  return count;
}

/**
 * 2.x's rust xgboost: reg:linear for regression; multi:softprob with num_class = the number of classes for
 * classification — binary ones too, whose two probability columns the native XGBoost model (one sigmoid output for
 * two classes, as XGBClassifier) does not represent.
 */
function rustXgboost(
  toUbjson: (bytes: Uint8Array) => Uint8Array,
  bytes: Uint8Array,
  task: 'regression' | 'classification',
  numFeatures: number,
  numClasses: () => number,
): LinfaConversion {
  let ubjson: Uint8Array;
  try {
    ubjson = toUbjson(bytes);
  } catch (error) {
    if (bytes.length <= XGBOOST_2_0_0_PREFIX) throw error;
    ubjson = toUbjson(bytes.subarray(XGBOOST_2_0_0_PREFIX));
  }
  if (task === 'regression') return { payload: xgboostPayload('XGBRegressor', numFeatures, 1, 0, ubjson) };
  const k = numClasses();
  if (k === 2) {
    throw new PgmlError('INVALID_ARGUMENT', 'a binary classifier 2.x trained as multi:softprob with two probability columns, which the native XGBoost model does not represent');
  }
  return { payload: xgboostPayload('XGBClassifier', numFeatures, 1, k, ubjson), labels: Array.from({ length: k }, (_, i) => i), numClasses: k };
}
