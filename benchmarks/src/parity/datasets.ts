/**
 * The suite's datasets: core's six bundled ones (read from its dataset files, no database) and the synthetic sets,
 * each with one fixed seeded split, materialized as matrices (for in-process runners) and raw f64 files (for the
 * sklearn-inprocess script). Classification labels become class indices 0..k-1 as core does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS, readDatasetColumns, trainTestSplit, type DatasetName, type Matrix, type Task } from '@pgml-ts/core';
import { syntheticClassification, syntheticRegression } from './synthetic.js';
import type { BenchData } from './types.js';

export const SPLIT = { testSize: 0.25, seed: 42 } as const;

export interface DatasetSource {
  id: string;
  /** The supervised task its target defines; its features also serve clustering and decomposition. */
  task: 'regression' | 'classification';
  rows: number;
  load(): Promise<{ x: Matrix; y: Matrix }>;
}

/** PostgresML's target columns (linnerud is its joint-regression example: three targets). */
const TARGETS: Record<DatasetName, { task: 'regression' | 'classification'; y: string[] }> = {
  breast_cancer: { task: 'classification', y: ['malignant'] },
  diabetes: { task: 'regression', y: ['target'] },
  digits: { task: 'classification', y: ['target'] },
  iris: { task: 'classification', y: ['target'] },
  linnerud: { task: 'regression', y: ['weight', 'waist', 'pulse'] },
  wine: { task: 'classification', y: ['target'] },
};

export function bundledSource(name: DatasetName): DatasetSource {
  const spec = DATASETS[name];
  const { task, y: yNames } = TARGETS[name];
  return { id: name, task, rows: spec.rows, load: () => loadBundled(name, yNames) };
}

export function syntheticSource(task: 'regression' | 'classification', rows: number): DatasetSource {
  const size = rows >= 1_000_000 ? `${rows / 1_000_000}m` : `${rows / 1000}k`;
  return {
    id: `synthetic_${task}_${size}`,
    task,
    rows,
    load: async () => (task === 'regression' ? syntheticRegression(rows) : syntheticClassification(rows)),
  };
}

async function loadBundled(name: DatasetName, yNames: string[]): Promise<{ x: Matrix; y: Matrix }> {
  const spec = DATASETS[name];
  const columns = await readDatasetColumns(spec);
  const rows = spec.rows;
  const features: number[][] = [];
  const targets: number[][] = [];
  spec.columns.forEach((column, c) => {
    const values = columns[c]!.map(parseCell);
    (yNames.includes(column.name) ? targets : features).push(...transpose(values));
  });
  return { x: columnsToMatrix(features, rows), y: columnsToMatrix(targets, rows) };
}

/** A cell as numbers: scalars, booleans (t/f, true/false) and array literals `{{1,2},{3,4}}` (flattened). */
function parseCell(text: string): number[] {
  if (text.startsWith('{')) return text.replace(/[{}]/g, '').split(',').map(Number);
  if (text === 't' || text === 'true') return [1];
  if (text === 'f' || text === 'false') return [0];
  return [Number(text)];
}

/** Per-row cell values → per-feature columns. */
function transpose(cells: number[][]): number[][] {
  const width = cells[0]?.length ?? 0;
  return Array.from({ length: width }, (_, j) => cells.map((cell) => cell[j]!));
}

function columnsToMatrix(columns: number[][], rows: number): Matrix {
  const cols = columns.length;
  const data = new Float64Array(rows * cols);
  columns.forEach((column, j) => column.forEach((v, i) => (data[i * cols + j] = v)));
  return { data, rows, cols };
}

/** Raw labels → class indices 0..k-1 in ascending label order (core's mapping). */
export function classIndices(y: Matrix): { y: Matrix; numClasses: number } {
  const labels = [...new Set(y.data)].sort((a, b) => a - b);
  const index = new Map(labels.map((label, i) => [label, i]));
  return { y: { data: y.data.map((v) => index.get(v)!), rows: y.rows, cols: 1 }, numClasses: labels.length };
}

export interface SplitInfo {
  sampling: 'random' | 'stratified';
  seed: number;
  testSize: number;
  trainRows: number;
  testRows: number;
  /** FNV-1a of the test row indices, so a later run can prove it used the same split. */
  testIndexHash: string;
}

export interface PreparedDataset {
  source: DatasetSource;
  features: number;
  split: SplitInfo;
  /** The data for one task on this dataset (supervised on its own target; clustering/decomposition on its features). */
  forTask(task: Task): BenchData;
}

export async function prepareDataset(source: DatasetSource, dir: string): Promise<PreparedDataset> {
  const raw = await source.load();
  const labelled = source.task === 'classification' ? classIndices(raw.y) : { y: raw.y, numClasses: undefined };
  const sampling = source.task === 'classification' ? 'stratified' : 'random';
  const split = trainTestSplit({
    rows: raw.x.rows,
    testSize: SPLIT.testSize,
    seed: SPLIT.seed,
    sampling,
    ...(sampling === 'stratified' ? { labels: labelled.y.data } : {}),
  });
  const train = { x: takeRows(raw.x, split.train), y: takeRows(labelled.y, split.train) };
  const test = { x: takeRows(raw.x, split.test), y: takeRows(labelled.y, split.test) };
  const base = join(dir, source.id);
  mkdirSync(dir, { recursive: true });
  const files = { trainX: `${base}.train_x.f64`, trainY: `${base}.train_y.f64`, testX: `${base}.test_x.f64` };
  writeF64(files.trainX, train.x.data);
  writeF64(files.trainY, train.y.data);
  writeF64(files.testX, test.x.data);
  return {
    source,
    features: raw.x.cols,
    split: {
      sampling,
      seed: SPLIT.seed,
      testSize: SPLIT.testSize,
      trainRows: split.train.length,
      testRows: split.test.length,
      testIndexHash: fnv1a(split.test),
    },
    forTask(task: Task): BenchData {
      const supervised = task === 'regression' || task === 'classification';
      return {
        id: source.id,
        task,
        train: supervised ? train : { x: train.x },
        test: supervised ? test : { x: test.x },
        ...(task === 'classification' && labelled.numClasses !== undefined ? { numClasses: labelled.numClasses } : {}),
        files: supervised ? files : { trainX: files.trainX, testX: files.testX },
      };
    },
  };
}

function writeF64(path: string, data: Float64Array): void {
  writeFileSync(path, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

export function takeRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Float64Array(rows.length * m.cols);
  for (let i = 0; i < rows.length; i++) out.set(m.data.subarray(rows[i]! * m.cols, (rows[i]! + 1) * m.cols), i * m.cols);
  return { data: out, rows: rows.length, cols: m.cols };
}

function fnv1a(values: Uint32Array): string {
  let h = 0x811c9dc5;
  for (const v of values) {
    for (let b = 0; b < 4; b++) {
      h ^= (v >>> (8 * b)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}
