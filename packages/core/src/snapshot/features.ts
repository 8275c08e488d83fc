/**
 * From snapshot columns to the feature matrix a runtime sees, through core ml's preprocessor (encode → impute →
 * scale, statistics from training rows only). The fitted state travels with the model so predict applies exactly the
 * training transform, and predict inputs (arrays or row objects) are checked against the same column layout.
 */
import { DimensionMismatch, InvalidArgument, PgmlError } from '../errors.js';
import {
  applyPreprocessor,
  fitPreprocessor,
  type ColumnDescription,
  type ColumnKind as PreprocessKind,
  type ColumnValues,
  type PreprocessOptions,
  type PreprocessorState,
} from '../ml/preprocess.js';
import type { Matrix } from '../runtime.js';
import type { SnapshotColumn } from './columns.js';
import type { RawData } from './read.js';

/** What predict needs to turn a user's features into model input; stored in the model file's meta. */
export interface FeatureLayout {
  /** Feature columns in table order, with their catalog type and raw width. */
  columns: Array<Pick<SnapshotColumn, 'name' | 'pg_type' | 'kind' | 'size'>>;
  preprocessor: PreprocessorState;
}

const KIND: Record<SnapshotColumn['kind'], PreprocessKind> = {
  number: 'numeric',
  boolean: 'bool',
  text: 'text',
  array: 'array',
};

function describe(column: SnapshotColumn): ColumnDescription {
  return { name: column.name, kind: KIND[column.kind], ...(column.kind === 'array' ? { arrayLength: column.size } : {}) };
}

function valuesOf(raw: RawData, column: SnapshotColumn): ColumnValues {
  return raw.values.get(column.name)!.data;
}

export function fitFeatures(
  columns: readonly SnapshotColumn[],
  raw: RawData,
  trainRows: Uint32Array,
  preprocess: Record<string, unknown>,
  target?: ArrayLike<number>,
): FeatureLayout {
  const preprocessor = fitPreprocessor(
    columns.map((c) => ({ ...describe(c), values: valuesOf(raw, c) })),
    trainRows,
    preprocess as PreprocessOptions,
    target,
  );
  return { columns: columns.map(({ name, pg_type, kind, size }) => ({ name, pg_type, kind, size })), preprocessor };
}

/** The feature matrix of the given rows of a snapshot read. */
export function snapshotMatrix(layout: FeatureLayout, raw: RawData, rows: Uint32Array): Matrix {
  return applyPreprocessor(
    layout.preprocessor,
    layout.columns.map((c) => raw.values.get(c.name)!.data),
    rows,
  );
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
export function inputMatrix(layout: FeatureLayout, rows: FeatureRows): Matrix {
  const count = Array.isArray(rows) ? rows.length : (rows as { rows: number }).rows;
  if (!Array.isArray(rows)) {
    // Checked before allocating: a wrong `rows` must not size the buffers.
    const { data, rows: n } = rows as { data: ArrayLike<number>; rows: number };
    const width = rawWidth(layout);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgument(`rows must be a non-negative integer, got ${String(n)}`);
    if (data?.length !== n * width) throw new DimensionMismatch(n * width, data?.length ?? 0, `feature values for ${n} rows`);
  }
  const columns = layout.columns.map((c) =>
    c.kind === 'text' ? new Array<string | null>(count).fill(null) : new Float64Array(count * c.size),
  );
  if (!Array.isArray(rows)) {
    const { data, rows: n } = rows as { data: ArrayLike<number>; rows: number };
    const width = rawWidth(layout);
    for (let r = 0; r < n; r++) fillFromArray(layout, columns, r, data, r * width);
  } else {
    (rows as ReadonlyArray<FeatureInput>).forEach((row, r) => fillRow(layout, columns, r, row));
  }
  return applyPreprocessor(layout.preprocessor, columns);
}

function fillRow(layout: FeatureLayout, columns: Array<Float64Array | Array<string | null>>, r: number, row: FeatureInput): void {
  if (isNumericArray(row)) {
    const width = rawWidth(layout);
    if (row.length !== width) {
      throw new DimensionMismatch(width, row.length, `feature count (${describeLayout(layout)})`);
    }
    fillFromArray(layout, columns, r, row, 0);
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
  layout.columns.forEach((column, c) => {
    if (!(column.name in record)) {
      throw new InvalidArgument(`feature ${JSON.stringify(column.name)} is missing; expected ${describeLayout(layout)}`, {
        feature: column.name,
      });
    }
    setValue(column, columns[c]!, r, record[column.name]);
  });
}

function fillFromArray(
  layout: FeatureLayout,
  columns: Array<Float64Array | Array<string | null>>,
  r: number,
  values: ArrayLike<number>,
  start: number,
): void {
  let at = start;
  layout.columns.forEach((column, c) => {
    if (column.kind === 'text') {
      throw new InvalidArgument(
        `column ${JSON.stringify(column.name)} is text: pass features as an object keyed by column name (${describeLayout(layout)})`,
      );
    }
    const target = columns[c] as Float64Array;
    for (let e = 0; e < column.size; e++) target[r * column.size + e] = numberOrNaN(column.name, values[at++]);
  });
}

function setValue(
  column: FeatureLayout['columns'][number],
  target: Float64Array | Array<string | null>,
  r: number,
  value: unknown,
): void {
  switch (column.kind) {
    case 'text':
      if (value !== null && value !== undefined && typeof value !== 'string') {
        throw typeError(column, 'text (a string or null)', value);
      }
      (target as Array<string | null>)[r] = (value as string | null | undefined) ?? null;
      return;
    case 'boolean':
      if (value !== null && value !== undefined && typeof value !== 'boolean' && value !== 0 && value !== 1) {
        throw typeError(column, 'a boolean', value);
      }
      (target as Float64Array)[r] = value === null || value === undefined ? Number.NaN : Number(value);
      return;
    case 'number':
      (target as Float64Array)[r] = numberOrNaN(column.name, value);
      return;
    case 'array': {
      if (!isNumericArray(value)) throw typeError(column, `an array of ${column.size} numbers`, value);
      if (value.length !== column.size) throw new DimensionMismatch(column.size, value.length, `array feature ${column.name}`);
      for (let e = 0; e < column.size; e++) (target as Float64Array)[r * column.size + e] = numberOrNaN(column.name, value[e]);
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
  return (
    (Array.isArray(value) && value.every((v) => v === null || typeof v === 'number' || typeof v === 'boolean')) ||
    value instanceof Float64Array ||
    value instanceof Float32Array ||
    value instanceof Int32Array
  );
}

function describeLayout(layout: FeatureLayout): string {
  return layout.columns.map((c) => (c.size > 1 ? `${c.name} ${c.pg_type}[${c.size}]` : `${c.name} ${c.pg_type}`)).join(', ');
}
