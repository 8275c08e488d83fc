/**
 * `--convert-native`: one entry per estimator class the native runtime can represent, each turning FITTED parameters
 * (never a refit) into a native payload. Adding an algorithm is one entry here: which attributes to read from the
 * pickle (dotted paths, `*` over lists) and how to lay them out (see native-payload.ts). Whatever has no entry, or is
 * refused by its entry, stays on the python runtime; an entry's payload is only used after its predictions matched.
 */
import type { Label, Task } from '@pgml-ts/core';
import type { FittedAttributes, FittedValue } from './fitted-attributes.js';
import { centroidsPayload, linearPayload, logisticPayload } from './native-payload.js';

export interface ConversionInput {
  task: Task;
  numFeatures: number;
  fitted: FittedAttributes;
  /** `classes_` as the python runtime reported it (the labels 1.0 fitted on, in their own type). */
  classes?: readonly Label[];
}

export type Conversion =
  | { payload: Uint8Array; /** classification: the label of each native class index */ labels?: Label[]; numClasses?: number }
  | { unsupported: string };

export interface NativeConverter {
  /** The class name without its module, e.g. `LinearRegression`. */
  estimator: string;
  package: 'sklearn' | 'xgboost';
  task: Task;
  /** Fitted attributes the conversion reads. */
  attributes: readonly string[];
  convert(input: ConversionInput): Conversion;
}

class NotConvertible extends Error {}

function numeric(fitted: FittedAttributes, name: string): { shape: number[]; data: Float64Array } {
  const value: FittedValue | null | undefined = fitted.attributes[name];
  if (!value || !('data' in value)) throw new NotConvertible(`${fitted.className} has no numeric ${name}`);
  return value;
}

/** `intercept_` is the scalar 0.0 when `fit_intercept=False`; spread it over the outputs. */
function intercepts(value: { data: Float64Array }, outputs: number): Float64Array {
  return value.data.length === outputs ? value.data : new Float64Array(outputs).fill(value.data[0] ?? 0);
}

function coefficients(fitted: FittedAttributes, numFeatures: number): { coef: Float64Array; outputs: number } {
  const coef = numeric(fitted, 'coef_');
  const outputs = coef.shape.length === 2 ? coef.shape[0]! : 1;
  if (coef.data.length !== outputs * numFeatures) {
    throw new NotConvertible(`coef_ has shape (${coef.shape.join(', ')}), expected ${numFeatures} features per output`);
  }
  return { coef: coef.data, outputs };
}

function linearRegression(estimator: 'LinearRegression' | 'Ridge'): NativeConverter {
  return {
    estimator,
    package: 'sklearn',
    task: 'regression',
    attributes: ['coef_', 'intercept_'],
    convert({ numFeatures, fitted }) {
      const { coef, outputs } = coefficients(fitted, numFeatures);
      return { payload: linearPayload(estimator, { numFeatures, coef, intercept: intercepts(numeric(fitted, 'intercept_'), outputs) }) };
    },
  };
}

const logisticRegression: NativeConverter = {
  estimator: 'LogisticRegression',
  package: 'sklearn',
  task: 'classification',
  attributes: ['coef_', 'intercept_'],
  convert({ numFeatures, fitted, classes }) {
    if (!classes || classes.some((c) => typeof c === 'string')) return { unsupported: 'text class labels' };
    const k = classes.length;
    const multiClass = String(fitted.params.multi_class ?? 'auto');
    // scikit-learn's _check_multi_class: auto → ovr for two classes or liblinear, else multinomial.
    const effective = multiClass === 'auto' ? (k === 2 || fitted.params.solver === 'liblinear' ? 'ovr' : 'multinomial') : multiClass;
    if (k === 2 && effective !== 'ovr') {
      return { unsupported: 'binary multi_class="multinomial" (probabilities are a softmax of ±d, the native model uses the sigmoid of d)' };
    }
    if (k > 2 && effective !== 'multinomial') {
      return { unsupported: 'one-vs-rest probabilities (the native model has the multinomial softmax only)' };
    }
    const { coef, outputs } = coefficients(fitted, numFeatures);
    if (outputs !== (k === 2 ? 1 : k)) return { unsupported: `${outputs} coefficient rows for ${k} classes` };
    const trained = classes.map((_, i) => i);
    const intercept = intercepts(numeric(fitted, 'intercept_'), outputs);
    return { payload: logisticPayload(k, trained, { numFeatures, coef, intercept }), labels: [...classes], numClasses: k };
  },
};

function kmeans(estimator: 'KMeans' | 'MiniBatchKMeans'): NativeConverter {
  return {
    estimator,
    package: 'sklearn',
    task: 'clustering',
    attributes: ['cluster_centers_', 'inertia_'],
    convert({ numFeatures, fitted }) {
      const centers = numeric(fitted, 'cluster_centers_');
      if (centers.shape.length !== 2 || centers.shape[1] !== numFeatures) {
        throw new NotConvertible(`cluster_centers_ has shape (${centers.shape.join(', ')}), expected (k, ${numFeatures})`);
      }
      return { payload: centroidsPayload(estimator, numFeatures, centers.data, numeric(fitted, 'inertia_').data[0] ?? 0) };
    },
  };
}

/** What the native runtime represents today; trees, forests, gradient boosting and xgboost will be one entry each. */
export const NATIVE_CONVERTERS: readonly NativeConverter[] = [
  linearRegression('LinearRegression'),
  linearRegression('Ridge'),
  logisticRegression,
  kmeans('KMeans'),
  kmeans('MiniBatchKMeans'),
];

/** The converter for a pickled class name (`sklearn.linear_model._base.LinearRegression`) and task, if any. */
export function converterFor(className: string, task: Task): NativeConverter | undefined {
  const [root] = className.split('.');
  return NATIVE_CONVERTERS.find((c) => c.task === task && c.package === root && className.endsWith(`.${c.estimator}`));
}

/** Runs a converter; a parameter layout it cannot represent comes back as `{ unsupported }`, never as a throw. */
export function convertToNative(converter: NativeConverter, input: ConversionInput): Conversion {
  try {
    return converter.convert(input);
  } catch (error) {
    if (error instanceof NotConvertible) return { unsupported: error.message };
    throw error;
  }
}
