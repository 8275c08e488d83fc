/**
 * The data path core drives and `@pgml-ts/native` implements (the sdk plugs it into the `RuntimeRegistry`): a binary
 * COPY stream decoded straight into a row-major feature matrix, PostgresML's preprocessing fitted and applied on it,
 * and predictions encoded back as a COPY FROM stream. Core only orchestrates; no row ever becomes a JS object.
 */
import type { WireHandback } from '../db.js';
import type { PreprocessColumnOptions, PreprocessorState } from '../ml/preprocess-state.js';

/** How a column travels in the COPY stream; other types are cast in the SELECT (numeric → float8, char(n) → text). */
export type WireType = 'float4' | 'float8' | 'int2' | 'int4' | 'int8' | 'bool' | 'text';

export interface TableColumn {
  name: string;
  /** Required for features and labels; keys are kept as raw bytes whatever their type. */
  type?: WireType;
  /** feature: matrix slots; label: a y column; key: raw bytes written back next to predictions. */
  role: 'feature' | 'label' | 'key';
  /** Array columns: elements per row (a row with another count is a DATA_ERROR naming column and row). */
  arrayLength?: number;
}

export interface TableEngine {
  /** A decoder for one binary COPY stream of `columns`, in their order. */
  decoder(columns: TableColumn[], options?: { expectedRows?: number }): TableDecoder;
  /** A fitted preprocessor for predict inputs. */
  preprocessor(state: PreprocessorState): FeatureTransform;
}

export interface TableDecoder {
  /** Decodes the rows the chunk completes; returns the rows decoded and not yet taken. */
  push(chunk: Uint8Array): number;
  /** The same from socket bytes still framed in PostgreSQL's wire protocol (see `CopySink.wire`). */
  pushWire(chunk: Uint8Array): WireHandback | undefined;
  /** Rows decoded and not yet taken. */
  readonly rows: number;
  /** The rows so far; decoding goes on into a new table. */
  take(): DecodedTable;
  /** The remaining rows once the stream ended with its trailer. */
  finish(): DecodedTable;
}

/** What a prediction column holds, for `encodePredictions`. */
export interface EncodedPredictions {
  kind: 'number' | 'numbers' | 'text' | 'bool';
  values: Float64Array;
  width?: number;
  labels?: string[];
  probabilities?: Float64Array;
  classes?: number;
}

export interface DecodedTable {
  readonly rows: number;
  /** Raw feature slots per row. */
  readonly width: number;
  /** Label `index`'s values, moved out (NaN = NULL); text labels as codes into `categories`. */
  takeLabel(index: number): { values: Float64Array; categories?: string[] };
  fitPreprocessor(options: PreprocessColumnOptions[], trainRows: Uint32Array, target?: Float64Array): Promise<PreprocessorState>;
  /** rows × features in `order` (test rows from `testFrom`), replacing the table's raw matrix. */
  transform(state: PreprocessorState, order: Uint32Array, testFrom: number): Promise<Float64Array>;
  /** A binary COPY FROM stream of (keys…, prediction[, probabilities]) for this table's rows. */
  encodePredictions(predictions: EncodedPredictions): Uint8Array;
  /** Appends the rows of `other` (decoded from the same columns), which is freed. */
  append(other: DecodedTable): void;
  free(): void;
}

export interface FeatureTransform {
  /** Model input for raw rows (rows × raw width; text slots hold category indices, negative = unseen; NaN = NULL). */
  apply(raw: Float64Array, rows: number): Float64Array;
  /** Optional: `apply` written into `out` (rows × features) without allocating — the single-row predict path. */
  applyInto?(raw: Float64Array, rows: number, out: Float64Array): void;
}
