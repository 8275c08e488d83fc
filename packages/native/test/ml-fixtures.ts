// The committed reference data every native parity test reads: the six bundled datasets, permuted and split once
// by scripts/make-ml-references.py (.f64 files + `datasets` in references.json), and each family's reference cases
// (test/fixtures/ml/<family>.json, written by scripts/references/<family>.py with the real scikit-learn).
import { readFileSync } from 'node:fs';
import type { NativeTask } from '../index.js';

const FIXTURES = new URL('./fixtures/ml/', import.meta.url);

export interface DatasetInfo {
  file: string;
  task: NativeTask;
  rows: number;
  features: number;
  targets: number;
  trainRows: number;
  numClasses?: number;
}

export interface Split {
  info: DatasetInfo;
  xTrain: Float64Array;
  yTrain: Float64Array;
  xTest: Float64Array;
  yTest: Float64Array;
  testRows: number;
}

const datasets = (
  JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')) as { datasets: Record<string, DatasetInfo> }
).datasets;

export const DATASET_NAMES = Object.keys(datasets);

/** Reads `test/fixtures/ml/<file>.json` (a family's reference cases). */
export function readReferences<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as T;
}

/** The committed permuted data, split at `trainRows` (same split as the reference scripts). */
export function loadSplit(name: string): Split {
  const info = datasets[name];
  if (!info) throw new Error(`no committed dataset ${name}`);
  return loadSplitOf(info);
}

/** A committed data file described by `info` (a family's own synthetic set, listed in its reference file). */
export function loadSplitOf(info: DatasetInfo): Split {
  const buf = readFileSync(new URL(info.file, FIXTURES));
  const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const width = info.features + info.targets;
  const x = new Float64Array(info.rows * info.features);
  const y = new Float64Array(info.rows * info.targets);
  for (let i = 0; i < info.rows; i++) {
    x.set(all.subarray(i * width, i * width + info.features), i * info.features);
    y.set(all.subarray(i * width + info.features, (i + 1) * width), i * info.targets);
  }
  const n = info.trainRows;
  return {
    info,
    xTrain: x.slice(0, n * info.features),
    yTrain: y.slice(0, n * info.targets),
    xTest: x.slice(n * info.features),
    yTest: y.slice(n * info.targets),
    testRows: info.rows - n,
  };
}
