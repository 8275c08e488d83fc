/**
 * The features a PostgresML 2.x model was fitted on, from its snapshot's `columns` JSON (orm/snapshot.rs `Column`:
 * name, label, position, size, `preprocessor` {encode, impute, scale}, `statistics` {min, max, max_abs, mean, median,
 * mode, std_dev, ventiles, …} over the training rows). Features are the non-label columns in table order (2.x's
 * `position`), arrays expanded; each value is imputed, then scaled, exactly as `Column::preprocess` does — which our
 * fitted preprocessor state expresses directly (fill, offset, divisor), so migrated models predict from raw rows.
 * Text features are refused: 2.x's category codes come from its own category table, which this does not rebuild.
 * `modelInput` replays 2.x's float32 arithmetic on raw rows: what the estimator was fed, for --verify.
 */
import { InvalidArgument, type ColumnState, type FeatureLayout, type Matrix, type PreprocessorState, type SnapshotColumn } from '@pgml-ts/core';

interface V2Statistics {
  min?: number | null;
  max?: number | null;
  max_abs?: number | null;
  mean?: number | null;
  median?: number | null;
  mode?: number | null;
  std_dev?: number | null;
  ventiles?: Array<number | null>;
}

interface V2Column {
  name: string;
  label?: boolean;
  preprocessor?: { encode?: unknown; impute?: string; scale?: string };
  statistics?: V2Statistics;
}

const KIND = { number: 'numeric', boolean: 'bool', array: 'array' } as const;

function stat(column: V2Column, name: keyof V2Statistics): number {
  const value = column.statistics?.[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgument(`column ${JSON.stringify(column.name)}: its 2.x statistics lack a finite ${name}`);
  }
  return value;
}

/** 2.x's scale as `(value − offset) / divisor`, in float32 like `Column::scale`. */
function scaling(column: V2Column): { offset: number; divisor: number } {
  const f = Math.fround;
  switch (column.preprocessor?.scale ?? 'preserve') {
    case 'preserve':
      return { offset: 0, divisor: 1 };
    case 'standard':
      return { offset: f(stat(column, 'mean')), divisor: f(stat(column, 'std_dev')) };
    case 'min_max':
      return { offset: f(stat(column, 'min')), divisor: f(f(stat(column, 'max')) - f(stat(column, 'min'))) };
    case 'max_abs':
      return { offset: 0, divisor: f(stat(column, 'max_abs')) };
    case 'robust': {
      const ventiles = column.statistics?.ventiles ?? [];
      const [q3, q1] = [ventiles[15], ventiles[5]];
      if (typeof q3 !== 'number' || typeof q1 !== 'number') throw new InvalidArgument(`column ${JSON.stringify(column.name)}: no ventiles for robust scaling`);
      return { offset: f(stat(column, 'median')), divisor: f(f(q3) - f(q1)) };
    }
    default:
      throw new InvalidArgument(`column ${JSON.stringify(column.name)}: unknown 2.x scale ${JSON.stringify(column.preprocessor?.scale)}`);
  }
}

/** 2.x's impute value (`Column::impute`), null for `error`. */
function fill(column: V2Column): number | null {
  const impute = column.preprocessor?.impute ?? 'error';
  if (impute === 'error') return null;
  if (impute === 'zero') return 0;
  if (['mean', 'median', 'mode', 'min', 'max'].includes(impute)) return Math.fround(stat(column, impute as keyof V2Statistics));
  throw new InvalidArgument(`column ${JSON.stringify(column.name)}: unknown 2.x impute ${JSON.stringify(impute)}`);
}

export interface V2Features {
  layout: FeatureLayout;
  /** The snapshot's `preprocess` in `pgml.train` form, stored with the migrated snapshot. */
  preprocess: Record<string, unknown>;
  /** Raw rows (layout order) → what the 2.x estimator was fed: imputed and scaled in float32. */
  modelInput: (raw: Matrix) => Matrix;
}

/** `columns`: the snapshot table's columns as read now (kinds, array sizes); `stored`: 2.x's `snapshots.columns`. */
export function v2Features(columns: readonly SnapshotColumn[], stored: unknown): V2Features {
  if (!Array.isArray(stored)) throw new InvalidArgument('the 2.x snapshot has no columns description');
  const byName = new Map((stored as V2Column[]).map((c) => [c.name, c]));
  const features = columns.filter((c) => !c.label);
  if (features.length === 0) throw new InvalidArgument('the snapshot has no feature columns');
  const preprocess: Record<string, unknown> = {};
  const states: ColumnState[] = features.map((c) => {
    const v2 = byName.get(c.name);
    if (!v2) throw new InvalidArgument(`column ${JSON.stringify(c.name)} is not in the 2.x snapshot's columns`);
    if (c.kind === 'text') {
      throw new InvalidArgument(`feature ${JSON.stringify(c.name)} is ${c.pg_type}: 2.x's category codes for text features are not carried over`);
    }
    const encode = v2.preprocessor?.encode ?? 'native';
    if (encode !== 'native') throw new InvalidArgument(`feature ${JSON.stringify(c.name)}: 2.x encode ${JSON.stringify(encode)} on a non-text column`);
    const { offset, divisor } = scaling(v2);
    const imputed = fill(v2);
    if (v2.preprocessor && (v2.preprocessor.impute ?? 'error') !== 'error') preprocess[c.name] = { ...(preprocess[c.name] as object), impute: v2.preprocessor.impute };
    if (v2.preprocessor && (v2.preprocessor.scale ?? 'preserve') !== 'preserve') preprocess[c.name] = { ...(preprocess[c.name] as object), scale: v2.preprocessor.scale };
    const n = c.size;
    return {
      name: c.name,
      kind: KIND[c.kind],
      arrayLength: n,
      encode: 'native',
      impute: (v2.preprocessor?.impute ?? 'error') as ColumnState['impute'],
      scale: (v2.preprocessor?.scale ?? 'preserve') as ColumnState['scale'],
      fill: new Array<number | null>(n).fill(imputed),
      offset: new Array<number>(n).fill(offset),
      divisor: new Array<number>(n).fill(divisor),
      width: n,
    };
  });
  const preprocessor: PreprocessorState = { version: 1, columns: states, numFeatures: states.reduce((n, c) => n + c.width, 0) };
  return {
    layout: { columns: features.map(({ name, pg_type, kind, size }) => ({ name, pg_type, kind, size })), preprocessor },
    preprocess,
    modelInput: (raw) => float32Preprocess(preprocessor, raw),
  };
}

function float32Preprocess(state: PreprocessorState, raw: Matrix): Matrix {
  const f = Math.fround;
  const offsets = state.columns.flatMap((c) => c.offset);
  const divisors = state.columns.flatMap((c) => c.divisor);
  const fills = state.columns.flatMap((c) => c.fill);
  const out = new Float64Array(raw.data.length);
  for (let i = 0; i < raw.data.length; i++) {
    const j = i % raw.cols;
    let value = f(raw.data[i]!);
    if (Number.isNaN(value) && fills[j] !== null) value = fills[j]!;
    out[i] = offsets[j] === 0 && divisors[j] === 1 ? value : f(f(value - offsets[j]!) / divisors[j]!);
  }
  return { data: out, rows: raw.rows, cols: raw.cols };
}
