/**
 * PostgresML 2.x's rust-runtime linfa models (bindings/linfa.rs), stored as `rmp_serde::to_vec` of their structs:
 * MessagePack in rmp-serde's compact form — a struct is an array of its fields in declaration order, `None` is nil,
 * and an ndarray is its serde struct `{ v: 1, dim: [...], data: [...] }` (data in logical, row-major order). The
 * shapes read here (linfa 0.6 as vendored by 2.x, float32):
 *   LinearRegression   [ [intercept, params: Array1], num_features ]
 *   LogisticRegression [ binary | nil, multi | nil, num_features, num_distinct_labels ]
 *     binary (FittedLogisticRegression<f32, i32>) [ threshold, intercept, params: Array1, [[class, label], [class, label]] ]
 *       (the class whose label is 1 is the positive one — linfa picks the larger class)
 *     multi (MultiFittedLogisticRegression<f32, i32>) [ intercept: Array1 (classes), params: Array2 (features × classes), classes ]
 * Each decodes to its fitted parameters, predicts as linfa does (float32), and converts to the native payload of the
 * same model. linfa's SVM keeps a kernel and support vectors in its own layout and is not converted.
 */
import { decode } from '@msgpack/msgpack';
import { CorruptModel, type Matrix } from '@pgml-ts/core';
import { NotConvertible } from './converter-kit.js';
import { linearPayload, logisticPayload } from './native-payload.js';

export type LinfaModel =
  | { kind: 'linear'; numFeatures: number; intercept: number; params: number[] }
  | { kind: 'binary_logistic'; numFeatures: number; threshold: number; intercept: number; params: number[]; positive: number; negative: number }
  | { kind: 'multi_logistic'; numFeatures: number; intercept: number[]; params: number[]; classes: number[] };

function fail(what: string): never {
  throw new CorruptModel(`not a PostgresML 2.x linfa model: ${what}`);
}

function array(value: unknown, what: string, length?: number): unknown[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    fail(`${what} is not ${length === undefined ? 'an array' : `an array of ${length}`}`);
  }
  return value;
}

function number(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(-Number.MAX_SAFE_INTEGER)) return Number(value);
  return fail(`${what} is not a number`);
}

/** An ndarray's serde struct: [version 1, dim, data]; returns the data with its shape checked. */
function ndarray(value: unknown, what: string, dims: number): { shape: number[]; data: number[] } {
  const [version, dim, data] = array(value, what, 3);
  if (number(version, `${what}.v`) !== 1) fail(`${what} has ndarray serde version ${String(version)}`);
  const shape = array(dim, `${what}.dim`, dims).map((d, i) => number(d, `${what}.dim[${i}]`));
  const values = array(data, `${what}.data`).map((x, i) => number(x, `${what}.data[${i}]`));
  if (values.length !== shape.reduce((a, b) => a * b, 1)) fail(`${what} has ${values.length} values for shape [${shape.join(', ')}]`);
  return { shape, data: values };
}

export function decodeLinfa(bytes: Uint8Array, task: 'regression' | 'classification'): LinfaModel {
  let tree: unknown;
  try {
    tree = decode(bytes, { useBigInt64: true });
  } catch (error) {
    return fail(`MessagePack: ${(error as Error).message}`);
  }
  if (task === 'regression') {
    const [estimator, numFeatures] = array(tree, 'LinearRegression', 2);
    const [intercept, params] = array(estimator, 'FittedLinearRegression', 2);
    const w = ndarray(params, 'params', 1);
    const n = number(numFeatures, 'num_features');
    if (w.shape[0] !== n) fail(`${w.shape[0]} coefficients for ${n} features`);
    return { kind: 'linear', numFeatures: n, intercept: number(intercept, 'intercept'), params: w.data };
  }
  const [binary, multi, numFeatures] = array(tree, 'LogisticRegression', 4);
  const n = number(numFeatures, 'num_features');
  if (binary !== null && binary !== undefined) {
    const [threshold, intercept, params, labels] = array(binary, 'FittedLogisticRegression', 4);
    const w = ndarray(params, 'params', 1);
    if (w.shape[0] !== n) fail(`${w.shape[0]} coefficients for ${n} features`);
    const pairs = array(labels, 'labels', 2).map((pair, i) => array(pair, `labels[${i}]`, 2).map((x, j) => number(x, `labels[${i}][${j}]`)));
    const positive = pairs.find(([, label]) => label === 1)?.[0];
    const negative = pairs.find(([, label]) => label === -1)?.[0];
    if (positive === undefined || negative === undefined) fail('the class labels are not one positive (1) and one negative (-1)');
    return { kind: 'binary_logistic', numFeatures: n, threshold: number(threshold, 'threshold'), intercept: number(intercept, 'intercept'), params: w.data, positive, negative };
  }
  const [intercept, params, classes] = array(multi, 'MultiFittedLogisticRegression', 3);
  const b = ndarray(intercept, 'intercept', 1);
  const w = ndarray(params, 'params', 2);
  const labels = array(classes, 'classes').map((c, i) => number(c, `classes[${i}]`));
  if (w.shape[0] !== n || w.shape[1] !== labels.length || b.shape[0] !== labels.length) {
    fail(`params [${w.shape.join(', ')}], intercept [${b.shape[0]}] for ${n} features and ${labels.length} classes`);
  }
  return { kind: 'multi_logistic', numFeatures: n, intercept: b.data, params: w.data, classes: labels };
}

/** What linfa predicts for `x` (rows × numFeatures), in float32 as 2.x computed it. */
export function linfaPredict(model: LinfaModel, x: Matrix): Float64Array {
  const f = Math.fround;
  const out = new Float64Array(x.rows);
  const dot = (row: number, weights: (j: number) => number) => {
    let sum = 0;
    for (let j = 0; j < x.cols; j++) sum = f(sum + f(f(x.data[row * x.cols + j]!) * weights(j)));
    return sum;
  };
  for (let r = 0; r < x.rows; r++) {
    switch (model.kind) {
      case 'linear':
        out[r] = f(dot(r, (j) => model.params[j]!) + model.intercept);
        break;
      case 'binary_logistic': {
        const z = f(dot(r, (j) => model.params[j]!) + model.intercept);
        const probability = f(1 / f(1 + f(Math.exp(-z))));
        out[r] = probability >= model.threshold ? model.positive : model.negative;
        break;
      }
      case 'multi_logistic': {
        const k = model.classes.length;
        let best = 0;
        let bestScore = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < k; c++) {
          const score = f(dot(r, (j) => model.params[j * k + c]!) + model.intercept[c]!);
          if (score > bestScore) [best, bestScore] = [c, score];
        }
        out[r] = model.classes[best]!;
        break;
      }
    }
  }
  return out;
}

export interface LinfaConversion {
  payload: Uint8Array;
  /** Classifiers: the class values, by class index (0..k-1 as 2.x trained them). */
  labels?: number[];
  numClasses?: number;
}

/** The native model computing the same function; classes must be 0..k-1 (2.x's class codes). */
export function linfaToNative(model: LinfaModel): LinfaConversion {
  const { numFeatures } = model;
  switch (model.kind) {
    case 'linear':
      return { payload: linearPayload('LinearRegression', { numFeatures, coef: model.params, intercept: [model.intercept] }) };
    case 'binary_logistic': {
      if (model.threshold !== 0.5) throw new NotConvertible(`a decision threshold of ${model.threshold} (the native model decides at 0.5)`);
      const [low, high] = [model.negative, model.positive];
      if (low !== 0 || high !== 1) throw new NotConvertible(`classes ${low} and ${high} (the native model takes class codes 0 and 1)`);
      return { payload: logisticPayload(2, [0, 1], { numFeatures, coef: model.params, intercept: [model.intercept] }), labels: [0, 1], numClasses: 2 };
    }
    case 'multi_logistic': {
      const k = model.classes.length;
      if (model.classes.some((c, i) => c !== i)) throw new NotConvertible(`classes ${model.classes.join(', ')} (the native model takes class codes 0..${k - 1})`);
      // linfa keeps features × classes; the native body is one row of coefficients per class.
      const coef = Array.from({ length: k * numFeatures }, (_, i) => model.params[(i % numFeatures) * k + Math.floor(i / numFeatures)]!);
      return { payload: logisticPayload(k, model.classes, { numFeatures, coef, intercept: model.intercept }), labels: [...model.classes], numClasses: k };
    }
  }
}
