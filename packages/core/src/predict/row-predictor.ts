/**
 * The single-row path: one predict input → the model's outputs with no allocation. The raw values are copied into
 * a buffer this predictor owns, preprocessed natively into a second one and predicted into a third; the next call
 * reuses all three. That is safe because JavaScript runs one call at a time and nothing awaits between filling the
 * buffers and reading the result.
 */
import type { FeatureTransform } from '../data/table-engine.js';
import { PgmlError } from '../errors.js';
import type { InlinePredictor } from '../runtime.js';
import { fillRow, rawWidth, type FeatureInput, type FeatureLayout } from '../snapshot/features.js';

type InPlaceTransform = FeatureTransform & Required<Pick<FeatureTransform, 'applyInto'>>;

export class RowPredictor {
  readonly #layout: FeatureLayout;
  readonly #width: number;
  readonly #transform: InPlaceTransform;
  readonly #inline: InlinePredictor;
  readonly #raw: Float64Array;
  readonly #features: Float64Array;
  readonly #outputs: Float64Array;
  readonly #probabilities: Float64Array | undefined;

  private constructor(layout: FeatureLayout, transform: InPlaceTransform, inline: InlinePredictor, outputs: number, classes: number) {
    this.#layout = layout;
    this.#width = rawWidth(layout);
    this.#transform = transform;
    this.#inline = inline;
    this.#raw = new Float64Array(this.#width);
    this.#features = new Float64Array(layout.preprocessor.numFeatures);
    this.#outputs = new Float64Array(outputs);
    this.#probabilities = inline.predictProbaInto && classes > 0 ? new Float64Array(classes) : undefined;
  }

  /** A predictor when both the preprocessing and the runtime have a synchronous in-place path, else undefined. */
  static create(
    layout: FeatureLayout,
    transform: FeatureTransform,
    inline: InlinePredictor | undefined,
    shape: { outputs: number; classes?: number },
  ): RowPredictor | undefined {
    if (!inline || !transform.applyInto) return undefined;
    return new RowPredictor(layout, transform as InPlaceTransform, inline, shape.outputs, shape.classes ?? 0);
  }

  /** The model's outputs for one row, in a buffer that the next call overwrites: read it before calling again. */
  outputs(features: FeatureInput, signal?: AbortSignal): Float64Array {
    this.#prepare(features, signal);
    this.#inline.predictInto(this.#features, 1, this.#outputs);
    return this.#outputs;
  }

  /** Class probabilities for one row (same buffer rule), or undefined when the model has none. */
  probabilities(features: FeatureInput, signal?: AbortSignal): Float64Array | undefined {
    const out = this.#probabilities;
    if (!out) return undefined;
    this.#prepare(features, signal);
    this.#inline.predictProbaInto!(this.#features, 1, out);
    return out;
  }

  #prepare(features: FeatureInput, signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new PgmlError('ABORTED', 'predict was aborted before it started');
    fillRow(this.#layout, this.#raw, 0, features, this.#width);
    this.#transform.applyInto(this.#raw, 1, this.#features);
  }
}
