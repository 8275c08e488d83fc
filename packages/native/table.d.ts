/**
 * The data path: PostgreSQL binary COPY decoded in Rust straight into a row-major f64 feature matrix (text columns
 * dictionary-encoded as they stream), PostgresML's preprocessing fitted and applied on that matrix, and predictions
 * encoded back as a binary COPY FROM stream. Errors carry `code`: `DATA_ERROR` (malformed or ragged data, missing
 * values with nothing to impute them with, all-NULL columns — naming the column and row), `INVALID_ARGUMENT`.
 */

/** How a column travels in the COPY stream. Other types are cast in the SELECT (numeric → float8, char(n) → text). */
export type TableWireType = 'float4' | 'float8' | 'int2' | 'int4' | 'int8' | 'bool' | 'text';

export interface TableColumn {
  /** For messages (and the preprocessor state). */
  name: string;
  /** Required for features and labels; keys are kept as raw bytes whatever their type. */
  type?: TableWireType;
  /** feature: matrix slots; label: a y column; key: kept as raw bytes to be written back next to predictions. */
  role: 'feature' | 'label' | 'key';
  /**
   * Array columns: elements per row (n-D arrays flatten in PostgreSQL's element order). A row with another count
   * is a `DATA_ERROR` naming the column and row; a NULL array or element is NaN.
   */
  arrayLength?: number;
}

/** One feature column's preprocessing, normalised (PostgresML names). */
export interface PreprocessColumnOptions {
  encode: 'native' | 'target' | 'one_hot' | 'ordinal';
  /** `{ ordinal: [...] }`: the category order. */
  ordinal?: string[] | null;
  impute: 'error' | 'mean' | 'median' | 'mode' | 'min' | 'max' | 'zero';
  scale: 'preserve' | 'standard' | 'min_max' | 'max_abs' | 'robust';
}

/**
 * The fitted preprocessing, as stored with a model: core's `PreprocessorState` (its full column shape is documented
 * there and in crates/table/src/preprocess/state.rs; only what identifies a column is spelled out here).
 */
export interface PreprocessorStateJson {
  version: 1;
  columns: ReadonlyArray<{ readonly name: string; readonly width: number; readonly arrayLength: number }>;
  numFeatures: number;
}

/** Decodes one binary COPY stream, delivered in chunks of any size (tuples may straddle them). */
export class TableDecoder {
  /** `expectedRows` pre-sizes the native buffers (0 or omitted: grow as rows arrive). */
  constructor(columns: TableColumn[], options?: { expectedRows?: number });
  /** Decodes every row the chunk completes (the chunk is not kept); returns the rows decoded and not yet taken. */
  push(chunk: Uint8Array): number;
  /**
   * The same from the socket bytes of a `COPY … TO STDOUT` still framed in PostgreSQL's wire protocol (CopyData
   * messages): undefined while the chunk belongs to the copy; at CopyDone (or a message that is not the copy's, such
   * as an ErrorResponse) where the driver's parser takes over: `carried` bytes first, then `chunk` from `offset`.
   */
  pushWire(chunk: Uint8Array): { offset: number; carried: Uint8Array } | undefined;
  /** Rows decoded and not yet taken. */
  readonly rows: number;
  /** The rows decoded so far; decoding goes on into a new table (scoring a relation batch by batch). */
  take(): NativeTable;
  /** The remaining rows, after checking the stream ended with its trailer (`DATA_ERROR` if truncated). */
  finish(): NativeTable;
}

/** Decoded rows in native memory: the raw feature matrix, label columns and keys. */
export class NativeTable {
  private constructor(handle: unknown);
  readonly rows: number;
  /** Raw feature slots per row (array columns count their elements, text columns one code). */
  readonly width: number;
  /**
   * Label column `index`'s values, moved out of the table (callable once per label): numbers with NaN for NULL;
   * for text labels, codes into `categories` (first-seen order).
   */
  takeLabel(index: number): { values: Float64Array; categories?: string[] };
  /** Fits the preprocessing on `trainRows` (statistics from those rows only); `target` is needed for target encoding. */
  fitPreprocessor(options: PreprocessColumnOptions[], trainRows: Uint32Array, target?: Float64Array): Promise<PreprocessorStateJson>;
  /**
   * The model input: rows in `order` (training rows, then test rows from position `testFrom`), rows × numFeatures,
   * built in place of the table's raw matrix when the widths allow (no one_hot), else gathered. The table gives up
   * its matrix; the returned array owns the memory.
   */
  transform(state: PreprocessorStateJson, order: Uint32Array, testFrom: number): Promise<Float64Array>;
  /**
   * A binary COPY FROM stream of (key columns as read, prediction[, probabilities float8[]]) for this table's rows.
   * kind: 'number' (float8), 'numbers' (float8[] of `width`), 'text' (class indices written as `labels`), 'bool'.
   */
  encodePredictions(input: {
    kind: 'number' | 'numbers' | 'text' | 'bool';
    values: Float64Array;
    width?: number;
    labels?: string[];
    probabilities?: Float64Array;
    classes?: number;
  }): Uint8Array;
  /**
   * Appends `other`'s rows after this table's (both decoded from the same columns — e.g. two ranges of a relation
   * read in parallel): its text codes are translated into this table's dictionaries, and `other` is freed.
   */
  append(other: NativeTable): void;
  /** Frees the native memory now instead of at garbage collection. Idempotent. */
  free(): void;
}

/** A fitted preprocessor for predict inputs. */
export class FeaturePreprocessor {
  constructor(state: PreprocessorStateJson);
  /**
   * Model input for `rows` raw rows (`rows × raw width`, row-major; text slots hold the category's index in the
   * state's `categories`, negative for a category unseen in training; NaN = NULL).
   */
  apply(raw: Float64Array | number[], rows: number): Float64Array;
  /**
   * `apply` written into `out` (exactly `rows × numFeatures` elements, not sharing memory with `raw`), allocating
   * nothing: the single-row predict path.
   */
  applyInto(raw: Float64Array, rows: number, out: Float64Array): void;
}
