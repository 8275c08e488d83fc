/**
 * From snapshot columns to the feature matrix a runtime sees. Training: the native data path fits PostgresML's
 * preprocessing (encode → impute → scale) on the training rows and transforms the decoded matrix in place, training
 * rows first. Predict: inputs (arrays or row objects) are checked against the same column layout, laid out as raw
 * rows and transformed by the model's fitted preprocessor. The fitted state travels with the model.
 */
import type { FeatureTransform } from '../data/table-engine.js';
import { DimensionMismatch, InvalidArgument, PgmlError } from '../errors.js';
import { preprocessColumnOptions, type ColumnKind, type PreprocessOptions, type PreprocessorState } from '../ml/preprocess-state.js';
import type { Matrix } from '../runtime.js';
import type { SnapshotColumn } from './columns.js';
import type { SnapshotData } from './snapshot.js';

/** What predict needs to turn a user's features into model input; stored in the model file's meta. */
export interface FeatureLayout {
  /** Feature columns in table order, with their catalog type and raw width. */
  columns: Array<Pick<SnapshotColumn, 'name' | 'pg_type' | 'kind' | 'size'>>;
  preprocessor: PreprocessorState;
}

const KIND: Record<SnapshotColumn['kind'], ColumnKind> = {
  number: 'numeric',
  boolean: 'bool',
  text: 'text',
  array: 'array',
};

export interface SnapshotFeatures {
  layout: FeatureLayout;
  /** Training rows then test rows, row-major: one buffer, so the split costs no copy. */
  train: Matrix;
  test: Matrix;
}

/**
 * Fits the preprocessing on the training rows and builds the model input of every row, consuming the decoded
 * table's raw matrix. `target` (the first y column, training rows read from it) is needed for target encoding.
 */
export async function snapshotFeatures(data: SnapshotData, preprocess: Record<string, unknown>, target?: Float64Array): Promise<SnapshotFeatures> {
  const options = preprocessColumnOptions(
    data.features.map((c) => ({ name: c.name, kind: KIND[c.kind] })),
    preprocess as PreprocessOptions,
  );
  const { train, test } = data.split;
  const preprocessor = await data.table.fitPreprocessor(options, train, target);
  const order = new Uint32Array(train.length + test.length);
  order.set(train);
  order.set(test, train.length);
  const x = await data.table.transform(preprocessor, order, train.length);
  const cols = preprocessor.numFeatures;
  return {
    layout: { columns: data.features.map(({ name, pg_type, kind, size }) => ({ name, pg_type, kind, size })), preprocessor },
    train: { data: x.subarray(0, train.length * cols), rows: train.length, cols },
    test: { data: x.subarray(train.length * cols), rows: test.length, cols },
  };
}

/** One predict input: raw feature values in column order (arrays expanded), or a row object by column name. */
export type FeatureInput = ArrayLike<number> | Record<string, unknown>;

/** Many rows: row arrays / row objects, or one flat row-major array of numeric features. */
export type FeatureRows = ReadonlyArray<FeatureInput> | { data: ArrayLike<number>; rows: number };

/** Number of raw values a numeric feature array must have: every column's width, arrays expanded. */
export function rawWidth(layout: FeatureLayout): number {
  return layout.columns.reduce((n, c) => n + c.size, 0);
}

/** Turns predict inputs into the model's input matrix (preprocessing applied); wrong shapes name expected vs got. */
export function inputMatrix(layout: FeatureLayout, transform: FeatureTransform, rows: FeatureRows): Matrix {
  const width = rawWidth(layout);
  let raw: Float64Array;
  let count: number;
  if (!Array.isArray(rows)) {
    // Checked before allocating: a wrong `rows` must not size the buffers.
    const { data, rows: n } = rows as { data: ArrayLike<number>; rows: number };
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgument(`rows must be a non-negative integer, got ${String(n)}`);
    if (data?.length !== n * width) throw new DimensionMismatch(n * width, data?.length ?? 0, `feature values for ${n} rows`);
    textColumnsNeedObjects(layout);
    count = n;
    raw = data instanceof Float64Array ? data : Float64Array.from(data, (v) => numberOrNaN('features', v));
  } else {
    count = rows.length;
    raw = new Float64Array(count * width);
    (rows as ReadonlyArray<FeatureInput>).forEach((row, r) => fillRow(layout, raw, r * width, row, width));
  }
  return { data: count === 0 ? new Float64Array(0) : transform.apply(raw, count), rows: count, cols: layout.preprocessor.numFeatures };
}

function textColumnsNeedObjects(layout: FeatureLayout): void {
  // A loop, not `find`: this runs on every single-row predict, which allocates nothing.
  let text: FeatureLayout['columns'][number] | undefined;
  for (let c = 0; c < layout.columns.length && !text; c++) if (layout.columns[c]!.kind === 'text') text = layout.columns[c];
  if (text) {
    throw new InvalidArgument(
      `column ${JSON.stringify(text.name)} is text: pass features as an object keyed by column name (${describeLayout(layout)})`,
    );
  }
}

/**
 * Writes one predict input's raw values into `raw` at `start`; `width` is `rawWidth(layout)`. A numeric array or
 * typed array is copied by one loop that allocates nothing (the single-row serving path); a row object is matched
 * to the columns by name.
 */
export function fillRow(layout: FeatureLayout, raw: Float64Array, start: number, row: FeatureInput, width = rawWidth(layout)): void {
  if (isNumericArray(row)) {
    if (row.length !== width) {
      throw new DimensionMismatch(width, row.length, `feature count (${describeLayout(layout)})`);
    }
    textColumnsNeedObjects(layout);
    for (let i = 0; i < width; i++) raw[start + i] = numberOrNaN('features', row[i]);
    return;
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new InvalidArgument(
      `features must be an array of ${rawWidth(layout)} numbers or an object keyed by column name (${describeLayout(layout)})`,
    );
  }
  const record = row as Record<string, unknown>;
  const expected = new Set(layout.columns.map((c) => c.name));
  for (const key of Object.keys(record)) {
    if (!expected.has(key)) {
      throw new InvalidArgument(`unknown feature ${JSON.stringify(key)}; expected ${describeLayout(layout)}`, { feature: key });
    }
  }
  let at = start;
  layout.columns.forEach((column, c) => {
    if (!(column.name in record)) {
      throw new InvalidArgument(`feature ${JSON.stringify(column.name)} is missing; expected ${describeLayout(layout)}`, {
        feature: column.name,
      });
    }
    setValue(column, raw, at, record[column.name], layout.preprocessor.columns[c]!.categories);
    at += column.size;
  });
}

// Category lookups are built from the (JSON-restored) state at most once per category list.
const categoryIndex = new WeakMap<string[], Map<string, number>>();
function categoryOf(categories: string[], value: string): number {
  let index = categoryIndex.get(categories);
  if (!index) categoryIndex.set(categories, (index = new Map(categories.map((k, i) => [k, i]))));
  // A category unseen in training: the preprocessor imputes it (or reports it), as for a NULL.
  return index.get(value) ?? -1;
}

function setValue(
  column: FeatureLayout['columns'][number],
  raw: Float64Array,
  at: number,
  value: unknown,
  categories: string[] | undefined,
): void {
  switch (column.kind) {
    case 'text':
      if (value !== null && value !== undefined && typeof value !== 'string') {
        throw typeError(column, 'text (a string or null)', value);
      }
      raw[at] = value === null || value === undefined ? Number.NaN : categoryOf(categories ?? [], value);
      return;
    case 'boolean':
      if (value !== null && value !== undefined && typeof value !== 'boolean' && value !== 0 && value !== 1) {
        throw typeError(column, 'a boolean', value);
      }
      raw[at] = value === null || value === undefined ? Number.NaN : Number(value);
      return;
    case 'number':
      raw[at] = numberOrNaN(column.name, value);
      return;
    case 'array': {
      // A NULL array is missing in every element, as when the decoder reads one from a table.
      if (value === null || value === undefined) {
        raw.fill(Number.NaN, at, at + column.size);
        return;
      }
      if (!isNumericArray(value)) throw typeError(column, `an array of ${column.size} numbers (or null)`, value);
      if (value.length !== column.size) throw new DimensionMismatch(column.size, value.length, `array feature ${column.name}`);
      for (let e = 0; e < column.size; e++) raw[at + e] = numberOrNaN(column.name, value[e]);
    }
  }
}

function numberOrNaN(name: string, value: unknown): number {
  if (value === null || value === undefined) return Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number') {
    throw new PgmlError('INVALID_ARGUMENT', `feature ${JSON.stringify(name)} must be a number, got ${typeof value}`, {
      feature: name,
      got: typeof value,
    });
  }
  return value;
}

function typeError(column: FeatureLayout['columns'][number], expected: string, value: unknown): PgmlError {
  return new PgmlError(
    'INVALID_ARGUMENT',
    `feature ${JSON.stringify(column.name)} (${column.pg_type}) must be ${expected}, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    { feature: column.name, expected, got: typeof value },
  );
}

function isNumericArray(value: unknown): value is ArrayLike<number> {
  if (value instanceof Float64Array || value instanceof Float32Array || value instanceof Int32Array) return true;
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (v !== null && typeof v !== 'number' && typeof v !== 'boolean') return false;
  }
  return true;
}

function describeLayout(layout: FeatureLayout): string {
  return layout.columns.map((c) => (c.size > 1 ? `${c.name} ${c.pg_type}[${c.size}]` : `${c.name} ${c.pg_type}`)).join(', ');
}
