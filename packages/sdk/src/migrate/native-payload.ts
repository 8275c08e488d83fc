/**
 * A TypeScript writer of `@pgml-ts/native`'s documented model payload (packages/native/crates/ml-core/src/codec.rs):
 *
 *   "PGNM" | u16 format version (1) | u16 algorithm id | body        (little-endian throughout)
 *
 * Bodies, as each native algorithm documents next to its `write`:
 * - LinearModel (1 LinearRegression, 2 Ridge; per target in 4 Lasso, 5 ElasticNet): u32 n_features, u32 n_outputs,
 *   f64 coef[n_outputs × n_features] (row-major), f64 intercept[n_outputs];
 * - multi-target wrapper (ml-core/src/multi_target.rs): u32 n_targets, then each target's body;
 * - LogisticRegression (3): u32 n_classes, u32 n_trained, u32 classes[n_trained], then a LinearModel body (one row
 *   for two trained classes, else one per class);
 * - KMeans (70), MiniBatchKMeans (71) (ml-cluster/src/centroids.rs): u32 n_features, u32 n_clusters,
 *   f64 centers[n_clusters × n_features], f64 inertia;
 * - XGBoost (60–63, ml-xgboost/src/model.rs): u32 n_features, u32 n_targets, u32 n_classes, u32 n_trained,
 *   u32 trained[n_trained], u32 format (1 = UBJSON), u32 checksum lo, hi (FNV-1a 64), u32 length, the model bytes;
 * - trees, forests and gradient boosting: tree-payload.ts.
 * The native side has no from-parameters constructor, so migration builds payloads here and loads them with
 * `NativeModel.fromBytes`, which validates every length; predictions are then compared before anything is stored.
 */
const MAGIC = [0x50, 0x47, 0x4e, 0x4d]; // "PGNM"
const FORMAT_VERSION = 1;

export const NATIVE_ALGORITHM_ID = {
  LinearRegression: 1,
  Ridge: 2,
  LogisticRegression: 3,
  Lasso: 4,
  ElasticNet: 5,
  DecisionTreeRegressor: 20,
  DecisionTreeClassifier: 21,
  RandomForestRegressor: 22,
  RandomForestClassifier: 23,
  ExtraTreesRegressor: 24,
  ExtraTreesClassifier: 25,
  GradientBoostingRegressor: 26,
  GradientBoostingClassifier: 27,
  XGBRegressor: 60,
  XGBClassifier: 61,
  XGBRFRegressor: 62,
  XGBRFClassifier: 63,
  KMeans: 70,
  MiniBatchKMeans: 71,
} as const;

export type NativeEstimator = keyof typeof NATIVE_ALGORITHM_ID;

export class PayloadWriter {
  readonly #chunks: Uint8Array[] = [];
  readonly #view = new DataView(new ArrayBuffer(8));

  constructor(estimator: NativeEstimator) {
    this.#chunks.push(Uint8Array.from(MAGIC));
    this.u16(FORMAT_VERSION);
    this.u16(NATIVE_ALGORITHM_ID[estimator]);
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
    const out = new Uint8Array(values.length * 8);
    const view = new DataView(out.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!, true);
    this.#chunks.push(out);
  }

  bytes(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
  }

  #push(size: number): void {
    this.#chunks.push(new Uint8Array(this.#view.buffer.slice(0, size)));
  }

  finish(): Uint8Array {
    return Buffer.concat(this.#chunks);
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

export function linearPayload(estimator: 'LinearRegression' | 'Ridge', p: LinearParameters): Uint8Array {
  const writer = new PayloadWriter(estimator);
  writeLinear(writer, p);
  return writer.finish();
}

/** Lasso / ElasticNet: one single-output linear body per target. */
export function multiTargetLinearPayload(estimator: 'Lasso' | 'ElasticNet', p: LinearParameters): Uint8Array {
  const writer = new PayloadWriter(estimator);
  const outputs = p.intercept.length;
  writer.u32(outputs);
  for (let o = 0; o < outputs; o++) {
    writeLinear(writer, {
      numFeatures: p.numFeatures,
      coef: Array.from({ length: p.numFeatures }, (_, j) => p.coef[o * p.numFeatures + j]!),
      intercept: [p.intercept[o]!],
    });
  }
  return writer.finish();
}

/** `trained`: the class indices (ascending, < numClasses) the coefficient rows belong to. */
export function logisticPayload(numClasses: number, trained: readonly number[], p: LinearParameters): Uint8Array {
  const writer = new PayloadWriter('LogisticRegression');
  writer.u32(numClasses);
  writer.u32(trained.length);
  trained.forEach((k) => writer.u32(k));
  writeLinear(writer, p);
  return writer.finish();
}

export function centroidsPayload(estimator: 'KMeans' | 'MiniBatchKMeans', numFeatures: number, centers: ArrayLike<number>, inertia: number): Uint8Array {
  const writer = new PayloadWriter(estimator);
  writer.u32(numFeatures);
  writer.u32(centers.length / numFeatures);
  writer.f64s(centers);
  writer.f64s([inertia]);
  return writer.finish();
}

/**
 * FNV-1a 64 of the model bytes as [low, high] u32 halves, in 32-bit halves (BigInt per byte would be slow on
 * large boosters): h × 0x100000001b3 = h × 0x1b3 + (h << 40) mod 2^64.
 */
export function fnv1a64(bytes: Uint8Array): [number, number] {
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]!) >>> 0;
    const low = lo * 0x1b3;
    const carry = Math.floor(low / 0x100000000);
    hi = (hi * 0x1b3 + ((lo << 8) >>> 0) + carry) % 0x100000000;
    lo = low % 0x100000000;
  }
  return [lo, hi];
}

export function xgboostPayload(
  estimator: 'XGBRegressor' | 'XGBClassifier' | 'XGBRFRegressor' | 'XGBRFClassifier',
  numFeatures: number,
  numTargets: number,
  numClasses: number,
  ubjson: Uint8Array,
): Uint8Array {
  const writer = new PayloadWriter(estimator);
  writer.u32(numFeatures);
  writer.u32(numTargets);
  writer.u32(numClasses);
  writer.u32(numClasses);
  for (let k = 0; k < numClasses; k++) writer.u32(k);
  writer.u32(1);
  const [low, high] = fnv1a64(ubjson);
  writer.u32(low);
  writer.u32(high);
  writer.u32(ubjson.length);
  writer.bytes(ubjson);
  return writer.finish();
}
