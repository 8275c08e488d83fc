/**
 * `pgml.predict` and friends. Features go through the model's stored preprocessing; class indices come back as the
 * user's labels. Batches are one runtime call over one matrix: no per-row database round trips.
 */
import type { Db } from '../db.js';
import { InvalidArgument, ResourceLimit } from '../errors.js';
import type { RuntimeRegistry } from '../registry.js';
import type { Matrix } from '../runtime.js';
import { inputMatrix, rawWidth, type FeatureInput, type FeatureRows } from '../snapshot/features.js';
import { decodeLabel, type Label } from '../train/labels.js';
import { deployedModel, type LoadedModel, type ModelLookupOptions } from './deployed-model.js';

export interface PredictOptions extends ModelLookupOptions {
  signal?: AbortSignal;
}

/** One prediction: a number (regression, clustering) or the class label in the y column's type. */
export type Prediction = Label;

export async function predict(
  db: Db,
  registry: RuntimeRegistry,
  projectOrModelId: string | number,
  features: FeatureInput,
  options: PredictOptions = {},
): Promise<Prediction> {
  return predictLoaded(await deployedModel(db, registry, projectOrModelId, options), features, options.signal);
}

/** PostgresML 2.x's `pgml.decompose(project, vector)`: the deployed decomposition model's components for one row. */
export async function decompose(
  db: Db,
  registry: RuntimeRegistry,
  projectOrModelId: string | number,
  features: FeatureInput,
  options: PredictOptions = {},
): Promise<number[]> {
  return decomposeLoaded(await deployedModel(db, registry, projectOrModelId, options), features, options.signal);
}

/** Joint (multi-target) regression outputs, or a decomposition's components, for one row. */
export async function predictJoint(
  db: Db,
  registry: RuntimeRegistry,
  projectOrModelId: string | number,
  features: FeatureInput,
  options: PredictOptions = {},
): Promise<number[]> {
  return predictJointLoaded(await deployedModel(db, registry, projectOrModelId, options), features, options.signal);
}

/** Class probabilities for one row, in the order of the model's labels (`labels` says which is which). */
export async function predictProba(
  db: Db,
  registry: RuntimeRegistry,
  projectOrModelId: string | number,
  features: FeatureInput,
  options: PredictOptions = {},
): Promise<{ probabilities: number[]; labels: Label[] }> {
  return predictProbaLoaded(await deployedModel(db, registry, projectOrModelId, options), features, options.signal);
}

export interface BatchPrediction<Predictions extends Float64Array | Label[] = Float64Array | Label[]> {
  /**
   * rows × outputs, row-major. Numbers for regression, clustering, decomposition and numeric class labels;
   * for text or boolean labels, the labels.
   */
  predictions: Predictions;
  rows: number;
  outputs: number;
}

/** Many rows in one call: row arrays or objects, or `{ data, rows }` with numeric features row-major. */
export async function predictBatch(
  db: Db,
  registry: RuntimeRegistry,
  projectOrModelId: string | number,
  rows: FeatureRows,
  options: PredictOptions = {},
): Promise<BatchPrediction> {
  return predictBatchLoaded(await deployedModel(db, registry, projectOrModelId, options), rows, options.signal);
}

/** Probabilities for many rows: rows × classes, row-major. */
export async function predictProbaBatch(
  db: Db,
  registry: RuntimeRegistry,
  projectOrModelId: string | number,
  rows: FeatureRows,
  options: PredictOptions = {},
): Promise<{ probabilities: Float64Array; rows: number; labels: Label[] }> {
  return predictProbaBatchLoaded(await deployedModel(db, registry, projectOrModelId, options), rows, options.signal);
}

/*
 * The same operations on a model already at hand — what the per-call lookup above and in-process serving
 * (../serving) share. A model with a row predictor answers one row synchronously (a value, not a promise), so the
 * single-row path allocates nothing but its result.
 */

export function predictLoaded(model: LoadedModel, features: FeatureInput, signal?: AbortSignal): Prediction | Promise<Prediction> {
  // A decomposition answers with its first component, as PostgresML 2.x's predict does (its Model::predict takes
  // the first value of the transform); decompose() gives them all.
  if (model.numOutputs !== 1 && model.task !== 'decomposition') {
    throw new InvalidArgument(`this ${model.task} model has ${model.numOutputs} outputs: use predictJoint`, {
      outputs: model.numOutputs,
    });
  }
  if (model.row) return toLabel(model, model.row.outputs(features, signal)[0]!);
  return run(model, inputMatrix(model.features, model.transform, [features]), signal).then((out) => toLabel(model, out[0]!));
}

export function decomposeLoaded(model: LoadedModel, features: FeatureInput, signal?: AbortSignal): number[] | Promise<number[]> {
  if (model.task !== 'decomposition') {
    throw new InvalidArgument(`decompose needs a decomposition model; this is a ${model.task} model (use predict)`, { task: model.task });
  }
  return outputsOf(model, features, signal);
}

export function predictJointLoaded(model: LoadedModel, features: FeatureInput, signal?: AbortSignal): number[] | Promise<number[]> {
  if (model.task === 'classification') throw new InvalidArgument('predictJoint is for regression and decomposition models; use predict');
  return outputsOf(model, features, signal);
}

function outputsOf(model: LoadedModel, features: FeatureInput, signal: AbortSignal | undefined): number[] | Promise<number[]> {
  if (model.row) return Array.from(model.row.outputs(features, signal));
  return run(model, inputMatrix(model.features, model.transform, [features]), signal).then((out) => Array.from(out));
}

export function predictProbaLoaded(
  model: LoadedModel,
  features: FeatureInput,
  signal?: AbortSignal,
): { probabilities: number[]; labels: Label[] } | Promise<{ probabilities: number[]; labels: Label[] }> {
  const inline = model.task === 'classification' ? model.row?.probabilities(features, signal) : undefined;
  if (inline) return { probabilities: Array.from(inline), labels: labelsOf(model) };
  return proba(model, inputMatrix(model.features, model.transform, [features]), signal).then((probabilities) => ({
    probabilities: Array.from(probabilities),
    labels: labelsOf(model),
  }));
}

export async function predictBatchLoaded(model: LoadedModel, rows: FeatureRows, signal?: AbortSignal): Promise<BatchPrediction> {
  checkBatchMemory(model, rows, model.numOutputs);
  const x = inputMatrix(model.features, model.transform, rows);
  const out = await run(model, x, signal);
  const outputs = x.rows === 0 ? model.numOutputs : out.length / x.rows;
  if (model.task === 'classification' && model.labels && model.labels.some((l) => typeof l !== 'number')) {
    return { predictions: Array.from(out, (i) => decodeLabel(model.labels, i)), rows: x.rows, outputs };
  }
  if (model.task === 'classification' && model.labels) {
    // In place, in a loop: the class indices are ours, and Float64Array.from with a map function is ~10× slower.
    for (let i = 0; i < out.length; i++) out[i] = decodeLabel(model.labels, out[i]!) as number;
    return { predictions: out, rows: x.rows, outputs };
  }
  return { predictions: out, rows: x.rows, outputs };
}

export async function predictProbaBatchLoaded(
  model: LoadedModel,
  rows: FeatureRows,
  signal?: AbortSignal,
): Promise<{ probabilities: Float64Array; rows: number; labels: Label[] }> {
  checkBatchMemory(model, rows, model.labels?.length ?? 1);
  const x = inputMatrix(model.features, model.transform, rows);
  return { probabilities: await proba(model, x, signal), rows: x.rows, labels: labelsOf(model) };
}

/** Default bound on one batch's working memory; `PGML_MAX_BATCH_BYTES` overrides it. */
export const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024 * 1024;

export function maxBatchBytes(): number {
  const fromEnv = Number(process.env.PGML_MAX_BATCH_BYTES);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_MAX_BATCH_BYTES;
}

/**
 * Refuses a batch whose working set would exceed the bound, before anything is allocated: the raw and the
 * preprocessed f64 matrices plus the output (the runtime's own copy of the input is of the same order). Without
 * it a large `rows` fails deep inside an allocation (a RangeError at best, the OOM killer at worst).
 */
function checkBatchMemory(model: LoadedModel, rows: FeatureRows, outputs: number): void {
  const count = Array.isArray(rows) ? rows.length : (rows as { rows?: unknown })?.rows;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new InvalidArgument(`rows must be an array of rows or { data, rows } with rows a non-negative integer, got ${String(count)}`);
  }
  const perRow = rawWidth(model.features) + model.features.preprocessor.numFeatures * 2 + outputs;
  const needed = count * perRow * Float64Array.BYTES_PER_ELEMENT;
  const limit = maxBatchBytes();
  if (needed > limit) {
    throw new ResourceLimit(
      `a batch of ${count} rows needs about ${mib(needed)} MiB, over the ${mib(limit)} MiB limit (PGML_MAX_BATCH_BYTES): split it`,
      { rows: count, neededBytes: needed, limitBytes: limit },
    );
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0);
}

function run(model: LoadedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array> {
  return x.rows === 0 ? Promise.resolve(new Float64Array(0)) : model.runtime.predict(model.fitted, x, signal);
}

function proba(model: LoadedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array> {
  if (model.task !== 'classification' || !model.runtime.predictProba) {
    throw new InvalidArgument(
      (w) => `${w.option('predictProba')} needs a classification model with probabilities (this is ${model.task} ${model.algorithm})`,
    );
  }
  return x.rows === 0 ? Promise.resolve(new Float64Array(0)) : model.runtime.predictProba(model.fitted, x, signal);
}

function toLabel(model: LoadedModel, value: number): Prediction {
  return model.task === 'classification' ? decodeLabel(model.labels, value) : value;
}

function labelsOf(model: LoadedModel): Label[] {
  return model.labels ?? [];
}
