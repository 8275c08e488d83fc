/**
 * Predict speed side by side: one native model (fitted once) timed in this build and, given `baseline`, in another
 * build of the addon loaded into the same process (the model travels as its payload bytes), interleaved call by
 * call so machine load hits both alike; scikit-learn timed inside Python on the same split (the parity suite's
 * sklearn-inprocess runner); optionally the python worker's single-row round trip. The two native builds'
 * predictions are compared bit for bit: a faster predict must not change a single result.
 */
import { createRequire } from 'node:module';
import type { Matrix, Task } from '@pgml-ts/core';
import * as native from '@pgml-ts/native';
import { summarize } from '../timing.js';
import { percentile } from '../parity/run.js';
import { nativeFitInput } from '../parity/runners/native.js';
import { pythonRunner } from '../parity/runners/python-worker.js';
import { sklearnInProcessRunner } from '../parity/runners/sklearn-inprocess.js';
import type { BenchAlgorithm } from '../parity/algorithms.js';
import type { BenchData, BenchJob } from '../parity/types.js';

/** The raw binding functions a predict needs, from any build of the addon. */
interface PredictBinding {
  mlDeserialize(bytes: Uint8Array): unknown;
  mlPredict(handle: unknown, x: Float64Array, rows: number): Float64Array;
  mlPredictProba(handle: unknown, x: Float64Array, rows: number): Float64Array;
}

/** One build's predict functions over one model. */
interface Predictor {
  predict(x: Matrix): Float64Array;
  predictProba(x: Matrix): Float64Array;
}

export interface PredictSpeedRow {
  task: Task;
  algorithm: string;
  dataset: string;
  testRows: number;
  /** Batch predict of the whole test set, median ms: this build, the baseline build, sklearn in Python. */
  batchMs: { native: number; baseline?: number; sklearn?: number };
  /** Single-row predict p50, ms. `python` is a round trip through the python worker. */
  singleRowP50Ms: { native: number; baseline?: number; sklearn?: number; python?: number };
  /** Whether the baseline build's predictions (batch, single rows, probabilities) equal this build's bit for bit. */
  identical?: boolean;
  /** Why a reference is missing (its fit failed or timed out). */
  notes: string[];
}

export interface PredictSpeedOptions {
  algorithm: BenchAlgorithm;
  data: BenchData;
  /** Path of another build's .node file to compare with (e.g. main's). */
  baseline?: string;
  /** Also time single-row predict through the python worker (fits the model there too). */
  python: boolean;
  singleRowCalls: number;
  fitTimeoutMs: number;
}

/** Batch timings are repeated until a sample takes this long, so the clock's resolution doesn't matter. */
const MIN_SAMPLE_MS = 20;
const BATCH_SAMPLES = 7;

export function loadBaseline(path: string): PredictBinding {
  return createRequire(import.meta.url)(path) as PredictBinding;
}

function predictorOf(binding: PredictBinding, bytes: Uint8Array): Predictor {
  const handle = binding.mlDeserialize(bytes);
  return {
    predict: (x) => binding.mlPredict(handle, x.data, x.rows),
    predictProba: (x) => binding.mlPredictProba(handle, x.data, x.rows),
  };
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const [ua, ub] = [new BigUint64Array(a.buffer, a.byteOffset, a.length), new BigUint64Array(b.buffer, b.byteOffset, b.length)];
  return ua.every((v, i) => v === ub[i]);
}

function row(x: Matrix, i: number): Matrix {
  const r = i % x.rows;
  return { data: x.data.slice(r * x.cols, (r + 1) * x.cols), rows: 1, cols: x.cols };
}

/** Median per-call ms of each predictor on the whole test set, samples interleaved across predictors. */
function batchMedians(predictors: Predictor[], x: Matrix): number[] {
  const repeats = predictors.map((p) => {
    const start = performance.now();
    p.predict(x);
    return Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(performance.now() - start, 0.001)));
  });
  const samples: number[][] = predictors.map(() => []);
  for (let s = 0; s < BATCH_SAMPLES; s++) {
    predictors.forEach((p, k) => {
      const start = performance.now();
      for (let i = 0; i < repeats[k]!; i++) p.predict(x);
      samples[k]!.push((performance.now() - start) / repeats[k]!);
    });
  }
  return samples.map((s) => summarize(s).medianMs);
}

/** p50 of single-row calls, alternating predictors call by call. */
function singleRowP50s(predictors: Predictor[], x: Matrix, calls: number): number[] {
  const samples: number[][] = predictors.map(() => []);
  for (let i = 0; i < calls; i++) {
    const r = row(x, i);
    predictors.forEach((p, k) => {
      const start = performance.now();
      p.predict(r);
      samples[k]!.push(performance.now() - start);
    });
  }
  return samples.map((s) => percentile(s, 50));
}

function identicalPredictions(a: Predictor, b: Predictor, x: Matrix, probabilities: boolean, singleRows: number): boolean {
  const outputs = (p: Predictor, m: Matrix) => (probabilities ? [p.predict(m), p.predictProba(m)] : [p.predict(m)]);
  const same = (m: Matrix) => outputs(a, m).every((v, i) => sameBits(v, outputs(b, m)[i]!));
  if (!same(x)) return false;
  for (let i = 0; i < singleRows; i++) if (!same(row(x, i))) return false;
  return true;
}

function withProba(p: Predictor, x: Matrix): boolean {
  try {
    p.predictProba(row(x, 0));
    return true;
  } catch {
    return false; // no predict_proba (regressors, an SVC fitted without probability)
  }
}

export async function measurePredictSpeed(options: PredictSpeedOptions): Promise<PredictSpeedRow> {
  const { algorithm, data } = options;
  const job: BenchJob = {
    task: algorithm.task,
    algorithm: algorithm.algorithm,
    hyperparams: algorithm.hyperparams,
    data,
    singleRowCalls: options.singleRowCalls,
    singleRowBudgetMs: 5_000,
    fitTimeoutMs: options.fitTimeoutMs,
  };
  const { model } = await native.NativeModel.fitAsync(nativeFitInput(job), { signal: AbortSignal.timeout(options.fitTimeoutMs) });
  const current: Predictor = { predict: (x) => model.predict(x.data, x.rows), predictProba: (x) => model.predictProba(x.data, x.rows) };
  const baseline = options.baseline ? predictorOf(loadBaseline(options.baseline), model.toBytes()) : undefined;
  const predictors = baseline ? [current, baseline] : [current];
  const x = data.test.x;

  const notes: string[] = [];
  const identical = baseline ? identicalPredictions(current, baseline, x, withProba(current, x), Math.min(50, x.rows)) : undefined;
  const [batchNative, batchBaseline] = batchMedians(predictors, x);
  const [singleNative, singleBaseline] = singleRowP50s(predictors, x, options.singleRowCalls);

  const reference = async (runner: typeof sklearnInProcessRunner) => {
    try {
      return await runner.run(job);
    } catch (error) {
      notes.push(`${runner.id}: ${(error as Error).message.split('\n')[0]}`);
      return undefined;
    }
  };
  const sklearn = await reference(sklearnInProcessRunner);
  const python = options.python ? await reference(pythonRunner) : undefined;
  return {
    task: algorithm.task,
    algorithm: algorithm.algorithm,
    dataset: data.id,
    testRows: x.rows,
    batchMs: { native: batchNative!, ...(batchBaseline !== undefined ? { baseline: batchBaseline } : {}), ...(sklearn ? { sklearn: sklearn.batchPredictMs } : {}) },
    singleRowP50Ms: {
      native: singleNative!,
      ...(singleBaseline !== undefined ? { baseline: singleBaseline } : {}),
      ...(sklearn ? { sklearn: percentile(sklearn.singleRowMs, 50) } : {}),
      ...(python ? { python: percentile(python.singleRowMs, 50) } : {}),
    },
    ...(identical !== undefined ? { identical } : {}),
    notes,
  };
}
