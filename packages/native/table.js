// The data path (crates/table): a streaming binary COPY decoder, the decoded table and a fitted preprocessor.
import { binding } from './binding.js';

/** Decodes a binary COPY stream, chunk by chunk, straight into native memory; see index.d.ts. */
export class TableDecoder {
  #handle;

  constructor(columns, options = {}) {
    this.#handle = binding.tableDecoderNew(JSON.stringify(columns), options.expectedRows ?? 0);
  }

  push(chunk) {
    return binding.tableDecoderPush(this.#handle, chunk);
  }

  pushWire(chunk) {
    const offset = binding.tableDecoderPushWire(this.#handle, chunk);
    return offset < 0 ? undefined : { offset, carried: binding.tableDecoderWireCarry(this.#handle) };
  }

  get rows() {
    return binding.tableDecoderRows(this.#handle);
  }

  take() {
    return new NativeTable(binding.tableDecoderTake(this.#handle));
  }

  finish() {
    return new NativeTable(binding.tableDecoderFinish(this.#handle));
  }
}

/** Decoded rows in native memory; see index.d.ts. */
export class NativeTable {
  #handle;
  #info;

  constructor(handle) {
    if (typeof handle !== 'object' || handle === null) throw new TypeError('NativeTable: made by TableDecoder.take() or finish()');
    this.#handle = handle;
    this.#info = Object.freeze(binding.tableInfo(handle));
  }

  get rows() {
    return this.#info.rows;
  }

  get width() {
    return this.#info.width;
  }

  takeLabel(index) {
    const { values, categoriesJson } = binding.tableLabel(this.#handle, index);
    return categoriesJson === undefined ? { values } : { values, categories: JSON.parse(categoriesJson) };
  }

  async fitPreprocessor(options, trainRows, target) {
    return JSON.parse(await binding.tableFitPreprocessor(this.#handle, JSON.stringify(options), trainRows, target));
  }

  transform(state, order, testFrom) {
    return binding.tableTransform(this.#handle, JSON.stringify(state), order, testFrom);
  }

  encodePredictions({ kind, values, width = 1, labels, probabilities, classes = 0 }) {
    return binding.tableEncodePredictions(
      this.#handle,
      kind,
      values,
      width,
      labels === undefined ? undefined : JSON.stringify(labels),
      probabilities,
      classes,
    );
  }

  append(other) {
    binding.tableAppend(this.#handle, other.#handle);
    this.#info = Object.freeze(binding.tableInfo(this.#handle));
  }

  free() {
    binding.tableFree(this.#handle);
  }
}

/** A fitted preprocessor for predict inputs; see index.d.ts. */
export class FeaturePreprocessor {
  #handle;

  constructor(state) {
    this.#handle = binding.preprocessorNew(JSON.stringify(state));
  }

  apply(raw, rows) {
    return binding.preprocessorApply(this.#handle, raw, rows);
  }

  applyInto(raw, rows, out) {
    binding.preprocessorApplyInto(this.#handle, raw, rows, out);
  }
}
