/**
 * PostgresML's per-column `preprocess` (encode → impute → scale): the options users pass, checked here against the
 * columns before any data is read, and the fitted state stored with every model. Fitting and applying run natively
 * on the decoded matrix (`@pgml-ts/native`, crates/table/src/preprocess, which documents the semantics).
 */
import { InvalidArgument } from '../errors.js';

export type ColumnKind = 'numeric' | 'text' | 'bool' | 'array';

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

/** One feature column's options, normalised (what the native fit takes). */
export interface PreprocessColumnOptions {
  encode: EncodeName;
  ordinal?: string[] | null;
  impute: Impute;
  scale: Scale;
}

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

/** Checks `options` against the feature columns (in table order) and normalises them, one entry per column. */
export function preprocessColumnOptions(
  columns: ReadonlyArray<{ name: string; kind: ColumnKind }>,
  options: PreprocessOptions = {},
): PreprocessColumnOptions[] {
  const known = new Set(columns.map((c) => c.name));
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw new InvalidArgument(`preprocess names unknown column ${JSON.stringify(name)}`, { column: name });
  }
  return columns.map(({ name, kind }) => {
    const given = options[name] ?? {};
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      throw new InvalidArgument(`preprocess for column ${JSON.stringify(name)} must be an object of encode, impute and scale`, { column: name });
    }
    const { encode, ordinal } = parseEncode(name, given.encode);
    const impute = pick(name, 'impute', given.impute ?? 'error', IMPUTATIONS);
    const scale = pick(name, 'scale', given.scale ?? 'preserve', SCALINGS);
    if (kind !== 'text' && encode !== 'native') {
      throw new InvalidArgument(`column ${JSON.stringify(name)} is ${kind}: only text columns can be encoded (${encode})`, { column: name });
    }
    if (kind === 'text' && impute === 'mean' && encode !== 'target') {
      throw new InvalidArgument(
        `column ${JSON.stringify(name)}: impute "mean" on a text column needs encode "target" (there is no average category); use "mode"`,
        { column: name },
      );
    }
    if (encode === 'one_hot' && (impute === 'mean' || impute === 'median')) {
      throw new InvalidArgument(`column ${JSON.stringify(name)}: one_hot supports impute error, mode, min, max or zero`, { column: name });
    }
    return { encode, ordinal: ordinal ?? null, impute, scale };
  });
}

/**
 * The state of a preprocessor that changes nothing (encode native, impute error, scale preserve) over numeric
 * columns: PostgresML 1.0 models, which had no preprocessing, predict through it. It depends on no data.
 */
export function identityPreprocessor(columns: ReadonlyArray<{ name: string; kind: Exclude<ColumnKind, 'text'>; arrayLength?: number }>): PreprocessorState {
  const states: ColumnState[] = columns.map(({ name, kind, arrayLength = 1 }) => ({
    name,
    kind,
    arrayLength,
    encode: 'native',
    impute: 'error',
    scale: 'preserve',
    fill: new Array<number | null>(arrayLength).fill(null),
    offset: new Array<number>(arrayLength).fill(0),
    divisor: new Array<number>(arrayLength).fill(1),
    width: arrayLength,
  }));
  return { version: 1, columns: states, numFeatures: states.reduce((n, c) => n + c.width, 0) };
}

/** Output column names: `col`, `col[i]` for arrays, `col=category` for one_hot. */
export function featureNames(state: PreprocessorState): string[] {
  return state.columns.flatMap((c) => {
    if (c.encode === 'one_hot') return c.categories!.map((k) => `${c.name}=${k}`);
    if (c.kind === 'array') return Array.from({ length: c.arrayLength }, (_, i) => `${c.name}[${i}]`);
    return [c.name];
  });
}

function parseEncode(column: string, encode: Encode | undefined): { encode: EncodeName; ordinal?: string[] } {
  if (encode === undefined) return { encode: 'native' };
  if (typeof encode === 'object' && encode !== null && 'ordinal' in encode) {
    const order = encode.ordinal;
    if (!Array.isArray(order) || order.length === 0 || order.some((v) => typeof v !== 'string') || new Set(order).size !== order.length) {
      throw new InvalidArgument(`column ${JSON.stringify(column)}: encode.ordinal must be a non-empty list of distinct strings`);
    }
    return { encode: 'ordinal', ordinal: [...order] };
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
