/**
 * PostgresML's per-column `preprocess` (encode → impute → scale), with statistics from the training rows only and
 * kept in a JSON-serialisable state stored with the snapshot, so predict applies exactly the training transform.
 *
 * Semantics (PostgresML 2.x `Preprocessor`, made stricter where it was ambiguous):
 * - Defaults: encode `native`, impute `error`, scale `preserve`.
 * - Only text columns are categorical; encode other than `native` on numeric/bool/array columns is an error.
 * - Text categories: `native`, `target`, `one_hot` and plain `ordinal` use the training categories in sorted
 *   (code-unit) order, so the codes do not depend on row order; `{ ordinal: [...] }` uses the given order and a
 *   training value outside it is an error. Codes are 1..k, 0 being PostgresML's NULL category.
 * - Missing = NULL/NaN, and for native/ordinal/target also a category unseen in training: it is imputed from training
 *   statistics of the encoded values (`error` → `DATA_ERROR` naming the column and the count). For `one_hot` an
 *   unseen category is all zeros (none of the known categories); NULL is imputed (`zero` also gives all zeros).
 * - `impute: mean` on text needs `encode: target` (there is no average category), and one_hot accepts only
 *   error | mode | min | max | zero since a code must stay a whole category.
 * - Scale statistics are over the present (non-missing) training values, as sklearn's scalers ignore NaN; one_hot
 *   columns are never scaled (PostgresML ignores `scale` there too).
 */
import { InvalidArgument, PgmlError } from '../errors.js';
import type { Matrix } from '../runtime.js';
import {
  mean,
  medianOfSorted,
  modeOfSorted,
  percentileOfSorted,
  populationVariance,
  safeScale,
  sortedCopy,
  standardScale,
} from './statistics.js';

export type ColumnKind = 'numeric' | 'text' | 'bool' | 'array';
export interface ColumnDescription {
  name: string;
  kind: ColumnKind;
  /** Values per row of an `array` column (PostgresML requires one length per column). */
  arrayLength?: number;
}
/** numeric/bool: one number per row (NaN = NULL; bool as 0/1); array: rows × arrayLength, row-major; text: string | null. */
export type ColumnValues = ArrayLike<number> | ReadonlyArray<string | null>;

export const ENCODINGS = ['native', 'target', 'one_hot', 'ordinal'] as const;
export const IMPUTATIONS = ['error', 'mean', 'median', 'mode', 'min', 'max', 'zero'] as const;
export const SCALINGS = ['preserve', 'standard', 'min_max', 'max_abs', 'robust'] as const;
export type EncodeName = (typeof ENCODINGS)[number];
export type Impute = (typeof IMPUTATIONS)[number];
export type Scale = (typeof SCALINGS)[number];
/** PostgresML's JSON: `"one_hot"`, or `{ "ordinal": ["low", "mid", "high"] }` for an explicit order. */
export type Encode = EncodeName | { ordinal: string[] };
export interface ColumnPreprocess {
  encode?: Encode;
  impute?: Impute;
  scale?: Scale;
}
/** Column name → preprocessing, as `pgml.train(preprocess => …)`. */
export type PreprocessOptions = Record<string, ColumnPreprocess>;

export interface ColumnState {
  name: string;
  kind: ColumnKind;
  /** Raw values per row (1 unless an array column). */
  arrayLength: number;
  encode: EncodeName;
  impute: Impute;
  scale: Scale;
  /** Text only: category i has code i + 1. */
  categories?: string[];
  /** Target encoding only: encoded value of category i. */
  targetMeans?: number[];
  /** Per raw element: the imputed value, null for impute `error`. */
  fill: Array<number | null>;
  /** Per raw element: scaled = (value − offset) / divisor (0 and 1 for `preserve`). */
  offset: number[];
  divisor: number[];
  /** Output feature columns. */
  width: number;
}

export interface PreprocessorState {
  version: 1;
  columns: ColumnState[];
  numFeatures: number;
}

export function fitPreprocessor(
  columns: ReadonlyArray<ColumnDescription & { values: ColumnValues }>,
  trainRows: ArrayLike<number>,
  options: PreprocessOptions = {},
  target?: ArrayLike<number>,
): PreprocessorState {
  const known = new Set(columns.map((c) => c.name));
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw new InvalidArgument(`preprocess names unknown column ${JSON.stringify(name)}`, { column: name });
  }
  if (trainRows.length === 0) throw new PgmlError('EMPTY_INPUT', 'no training rows to fit preprocessing on');
  const fitted = columns.map((column) => fitColumn(column, trainRows, options[column.name] ?? {}, target));
  return { version: 1, columns: fitted, numFeatures: fitted.reduce((a, c) => a + c.width, 0) };
}

function fitColumn(
  column: ColumnDescription & { values: ColumnValues },
  trainRows: ArrayLike<number>,
  options: ColumnPreprocess,
  target: ArrayLike<number> | undefined,
): ColumnState {
  const { name, kind } = column;
  const { encode, ordinalOrder } = parseEncode(name, options.encode);
  const impute = pick(name, 'impute', options.impute ?? 'error', IMPUTATIONS);
  const scale = pick(name, 'scale', options.scale ?? 'preserve', SCALINGS);
  const arrayLength = checkShape(column);
  if (kind !== 'text' && encode !== 'native') {
    throw new InvalidArgument(`column ${JSON.stringify(name)} is ${kind}: only text columns can be encoded (${encode})`);
  }
  if (kind === 'text' && impute === 'mean' && encode !== 'target') {
    throw new InvalidArgument(
      `column ${JSON.stringify(name)}: impute "mean" on a text column needs encode "target" (there is no average category); use "mode"`,
    );
  }
  if (encode === 'one_hot' && (impute === 'mean' || impute === 'median')) {
    throw new InvalidArgument(`column ${JSON.stringify(name)}: one_hot supports impute error, mode, min, max or zero`);
  }
  const state: ColumnState = { name, kind, arrayLength, encode, impute, scale, fill: [], offset: [], divisor: [], width: arrayLength };
  if (kind === 'text') {
    const values = column.values as ReadonlyArray<string | null>;
    state.categories = ordinalOrder ?? trainingCategories(name, values, trainRows);
    if (ordinalOrder) checkOrdinal(name, values, trainRows, ordinalOrder);
    if (encode === 'target') state.targetMeans = targetMeans(name, values, trainRows, state.categories, target);
    if (encode === 'one_hot') state.width = state.categories.length;
  }
  const rowsOfValues = column.values.length / arrayLength;
  const encoded = new Float64Array(trainRows.length);
  for (let e = 0; e < arrayLength; e++) {
    let missing = 0;
    for (let i = 0; i < trainRows.length; i++) {
      const row = trainRows[i]!;
      if (!Number.isInteger(row) || row < 0 || row >= rowsOfValues) throw new InvalidArgument(`training row ${row} is out of range`);
      const v = encodeValue(state, column.values, row, e);
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
        throw new PgmlError('DATA_ERROR', `column ${JSON.stringify(name)} contains ${v} in training row ${row}`, { column: name });
      }
      if (Number.isNaN(v)) missing++;
      encoded[i] = v;
    }
    const element = arrayLength > 1 ? `${name}[${e}]` : name;
    if (missing === trainRows.length) {
      throw new PgmlError('DATA_ERROR', `column ${JSON.stringify(element)} is NULL in all ${missing} training rows`, { column: name });
    }
    if (missing > 0 && impute === 'error') throw missingError(element, missing, 'training');
    const present = sortedCopy(encoded.filter((v) => !Number.isNaN(v)));
    state.fill.push(imputeValue(impute, present));
    const [offset, divisor] = encode === 'one_hot' ? [0, 1] : scaleParameters(scale, present);
    state.offset.push(offset);
    state.divisor.push(divisor);
  }
  return state;
}

/** Transforms rows (default: all rows of `values`) into the feature matrix, with the state's training statistics. */
export function applyPreprocessor(
  state: PreprocessorState,
  values: readonly ColumnValues[],
  rows?: ArrayLike<number>,
): Matrix {
  if (values.length !== state.columns.length) {
    throw new PgmlError('DIMENSION_MISMATCH', `expected ${state.columns.length} columns, got ${values.length}`, {
      expected: state.columns.length,
      got: values.length,
    });
  }
  const rowCount = rows?.length ?? values[0]!.length / (state.columns[0]?.arrayLength ?? 1);
  const out = new Float64Array(rowCount * state.numFeatures);
  let position = 0;
  state.columns.forEach((column, c) => {
    const raw = values[c]!;
    const available = raw.length / column.arrayLength;
    if (!Number.isInteger(available)) {
      throw new InvalidArgument(`column ${JSON.stringify(column.name)} must hold ${column.arrayLength} values per row`);
    }
    for (let i = 0; i < rowCount; i++) {
      const row = rows ? rows[i]! : i;
      if (row >= available) throw new InvalidArgument(`row ${row} is out of range for column ${JSON.stringify(column.name)}`);
      const at = i * state.numFeatures + position;
      for (let e = 0; e < column.arrayLength; e++) {
        let v = encodeValue(column, raw, row, e);
        if (column.encode === 'one_hot') {
          if (v === UNSEEN) continue; // all zeros
          if (Number.isNaN(v)) v = column.fill[e] ?? throwMissing(column, raw, rows, rowCount);
          if (v >= 1) out[at + v - 1] = 1;
          continue;
        }
        if (Number.isNaN(v)) v = column.fill[e] ?? throwMissing(column, raw, rows, rowCount);
        out[at + e] = (v - column.offset[e]!) / column.divisor[e]!;
      }
    }
    position += column.width;
  });
  return { data: out, rows: rowCount, cols: state.numFeatures };
}

/** Output column names: `col`, `col[i]` for arrays, `col=category` for one_hot. */
export function featureNames(state: PreprocessorState): string[] {
  return state.columns.flatMap((c) => {
    if (c.encode === 'one_hot') return c.categories!.map((k) => `${c.name}=${k}`);
    if (c.kind === 'array') return Array.from({ length: c.arrayLength }, (_, i) => `${c.name}[${i}]`);
    return [c.name];
  });
}

/** Marks a one_hot category unseen in training (distinct from NULL, which is imputed). */
const UNSEEN = -1;

function encodeValue(state: ColumnState, values: ColumnValues, row: number, element: number): number {
  if (state.kind !== 'text') return Number((values as ArrayLike<number>)[row * state.arrayLength + element]);
  const text = (values as ReadonlyArray<string | null>)[row];
  if (text === null || text === undefined) return Number.NaN;
  if (typeof text !== 'string') {
    throw new PgmlError('DATA_ERROR', `text column ${JSON.stringify(state.name)} has a ${typeof text} in row ${row}`);
  }
  const index = categoryIndex(state).get(text);
  if (index === undefined) return state.encode === 'one_hot' ? UNSEEN : Number.NaN;
  return state.encode === 'target' ? state.targetMeans![index]! : index + 1;
}

// Category lookups are rebuilt from the (JSON-restored) state at most once per state object.
const indexCache = new WeakMap<ColumnState, Map<string, number>>();
function categoryIndex(state: ColumnState): Map<string, number> {
  let index = indexCache.get(state);
  if (!index) indexCache.set(state, (index = new Map(state.categories!.map((k, i) => [k, i]))));
  return index;
}

function imputeValue(impute: Impute, sorted: Float64Array): number | null {
  switch (impute) {
    case 'error':
      return null;
    case 'mean':
      return mean(sorted);
    case 'median':
      return medianOfSorted(sorted);
    case 'mode':
      return modeOfSorted(sorted);
    case 'min':
      return sorted[0]!;
    case 'max':
      return sorted[sorted.length - 1]!;
    case 'zero':
      return 0;
  }
}

/** (offset, divisor) reproducing StandardScaler, MinMaxScaler, MaxAbsScaler and RobustScaler (25th–75th). */
function scaleParameters(scale: Scale, sorted: Float64Array): [number, number] {
  const n = sorted.length;
  switch (scale) {
    case 'preserve':
      return [0, 1];
    case 'standard': {
      const m = mean(sorted);
      return [m, standardScale(populationVariance(sorted, m), m, n)];
    }
    case 'min_max':
      return [sorted[0]!, safeScale(sorted[n - 1]! - sorted[0]!)];
    case 'max_abs':
      return [0, safeScale(Math.max(Math.abs(sorted[0]!), Math.abs(sorted[n - 1]!)))];
    case 'robust':
      return [medianOfSorted(sorted), safeScale(percentileOfSorted(sorted, 75) - percentileOfSorted(sorted, 25))];
  }
}

function parseEncode(column: string, encode: Encode | undefined): { encode: EncodeName; ordinalOrder?: string[] } {
  if (encode === undefined) return { encode: 'native' };
  if (typeof encode === 'object' && encode !== null && 'ordinal' in encode) {
    const order = encode.ordinal;
    if (!Array.isArray(order) || order.length === 0 || order.some((v) => typeof v !== 'string') || new Set(order).size !== order.length) {
      throw new InvalidArgument(`column ${JSON.stringify(column)}: encode.ordinal must be a non-empty list of distinct strings`);
    }
    return { encode: 'ordinal', ordinalOrder: [...order] };
  }
  return { encode: pick(column, 'encode', encode as EncodeName, ENCODINGS) };
}

function pick<T extends string>(column: string, what: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new InvalidArgument(
      `column ${JSON.stringify(column)}: unknown ${what} ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}`,
      { column },
    );
  }
  return value;
}

function checkShape(column: ColumnDescription & { values: ColumnValues }): number {
  if (column.kind !== 'array') return 1;
  const length = column.arrayLength;
  if (length === undefined || !Number.isInteger(length) || length < 1) {
    throw new InvalidArgument(`array column ${JSON.stringify(column.name)} needs a positive integer arrayLength`);
  }
  if (column.values.length % length !== 0) {
    throw new InvalidArgument(`array column ${JSON.stringify(column.name)}: ${column.values.length} values is not rows × ${length}`);
  }
  return length;
}

function trainingCategories(name: string, values: ReadonlyArray<string | null>, trainRows: ArrayLike<number>): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < trainRows.length; i++) {
    const v = values[trainRows[i]!];
    if (typeof v === 'string') seen.add(v);
  }
  if (seen.size === 0) throw new PgmlError('DATA_ERROR', `column ${JSON.stringify(name)} is NULL in all training rows`);
  return [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function checkOrdinal(name: string, values: ReadonlyArray<string | null>, trainRows: ArrayLike<number>, order: string[]): void {
  const allowed = new Set(order);
  for (let i = 0; i < trainRows.length; i++) {
    const v = values[trainRows[i]!];
    if (typeof v === 'string' && !allowed.has(v)) {
      throw new PgmlError('DATA_ERROR', `column ${JSON.stringify(name)}: value ${JSON.stringify(v)} is not in the ordinal list`, {
        column: name,
        value: v,
      });
    }
  }
}

/** Mean target per category over training rows (PostgresML's target encoding); categories without a target get the overall mean. */
function targetMeans(
  name: string,
  values: ReadonlyArray<string | null>,
  trainRows: ArrayLike<number>,
  categories: string[],
  target: ArrayLike<number> | undefined,
): number[] {
  if (target === undefined) throw new InvalidArgument(`column ${JSON.stringify(name)}: target encoding needs the training target`);
  const index = new Map(categories.map((k, i) => [k, i]));
  const sums = new Float64Array(categories.length);
  const counts = new Float64Array(categories.length);
  let total = 0;
  let count = 0;
  for (let i = 0; i < trainRows.length; i++) {
    const row = trainRows[i]!;
    const y = target[row]!;
    if (Number.isNaN(y)) continue;
    total += y;
    count++;
    const c = index.get(values[row] as string);
    if (c === undefined) continue;
    sums[c]! += y;
    counts[c]! += 1;
  }
  const overall = count > 0 ? total / count : 0;
  return categories.map((_, c) => (counts[c]! > 0 ? sums[c]! / counts[c]! : overall));
}

function missingError(column: string, count: number, where: string): PgmlError {
  return new PgmlError(
    'DATA_ERROR',
    `${count} missing value(s) in ${where} rows of column ${JSON.stringify(column)}; provide a preprocessor to impute, e.g. preprocess: { ${JSON.stringify(column)}: { impute: "mean" } }`,
    { column, missing: count },
  );
}

function throwMissing(column: ColumnState, raw: ColumnValues, rows: ArrayLike<number> | undefined, rowCount: number): never {
  let count = 0;
  for (let i = 0; i < rowCount; i++) {
    for (let e = 0; e < column.arrayLength; e++) {
      const v = encodeValue(column, raw, rows ? rows[i]! : i, e);
      if (Number.isNaN(v)) count++;
    }
  }
  throw missingError(column.name, count, column.kind === 'text' ? 'input (NULL or a category unseen in training)' : 'input');
}
