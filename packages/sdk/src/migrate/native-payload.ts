/**
 * A TypeScript writer of `@pgml-ts/native`'s documented model payload (packages/native/crates/ml-core/src/codec.rs):
 *
 *   "PGNM" | u16 format version (1) | u16 algorithm id | body        (little-endian throughout)
 *
 * Linear bodies (ids 1 LinearRegression, 2 Ridge): u32 n_features, u32 n_outputs, f64 coef[n_outputs × n_features]
 * (row-major), f64 intercept[n_outputs]. LogisticRegression (3): u32 n_classes, u32 n_trained, u32 classes[n_trained],
 * then the linear body (one coefficient row for two trained classes, else one per class). KMeans (70) and
 * MiniBatchKMeans (71) (crates/ml-cluster/src/centroids.rs): u32 n_features, u32 n_clusters,
 * f64 centers[n_clusters × n_features] (row-major), f64 inertia.
 * The native side has no from-parameters constructor, so migration builds the payload here and loads it with
 * `NativeModel.fromBytes`, which validates every length; predictions are then compared before anything is stored.
 */
const MAGIC = [0x50, 0x47, 0x4e, 0x4d]; // "PGNM"
const FORMAT_VERSION = 1;

export const NATIVE_ALGORITHM_ID = { LinearRegression: 1, Ridge: 2, LogisticRegression: 3, KMeans: 70, MiniBatchKMeans: 71 } as const;

class PayloadWriter {
  readonly #bytes: number[] = [];
  readonly #view = new DataView(new ArrayBuffer(8));

  constructor(algorithmId: number) {
    this.#bytes.push(...MAGIC);
    this.u16(FORMAT_VERSION);
    this.u16(algorithmId);
  }

  u16(value: number): void {
    this.#view.setUint16(0, value, true);
    this.#push(2);
  }

  u32(value: number): void {
    this.#view.setUint32(0, value, true);
    this.#push(4);
  }

  f64s(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) {
      this.#view.setFloat64(0, values[i]!, true);
      this.#push(8);
    }
  }

  #push(size: number): void {
    for (let i = 0; i < size; i++) this.#bytes.push(this.#view.getUint8(i));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

export interface LinearParameters {
  numFeatures: number;
  /** outputs × numFeatures, row-major. */
  coef: ArrayLike<number>;
  /** One per output. */
  intercept: ArrayLike<number>;
}

function writeLinear(writer: PayloadWriter, p: LinearParameters): void {
  writer.u32(p.numFeatures);
  writer.u32(p.intercept.length);
  writer.f64s(p.coef);
  writer.f64s(p.intercept);
}

export function linearPayload(algorithm: 'LinearRegression' | 'Ridge', p: LinearParameters): Uint8Array {
  const writer = new PayloadWriter(NATIVE_ALGORITHM_ID[algorithm]);
  writeLinear(writer, p);
  return writer.finish();
}

/** `trained`: the class indices (ascending, < numClasses) the coefficient rows belong to. */
export function logisticPayload(numClasses: number, trained: readonly number[], p: LinearParameters): Uint8Array {
  const writer = new PayloadWriter(NATIVE_ALGORITHM_ID.LogisticRegression);
  writer.u32(numClasses);
  writer.u32(trained.length);
  trained.forEach((k) => writer.u32(k));
  writeLinear(writer, p);
  return writer.finish();
}

export function centroidsPayload(algorithm: 'KMeans' | 'MiniBatchKMeans', numFeatures: number, centers: ArrayLike<number>, inertia: number): Uint8Array {
  const writer = new PayloadWriter(NATIVE_ALGORITHM_ID[algorithm]);
  writer.u32(numFeatures);
  writer.u32(centers.length / numFeatures);
  writer.f64s(centers);
  writer.f64s([inertia]);
  return writer.finish();
}
