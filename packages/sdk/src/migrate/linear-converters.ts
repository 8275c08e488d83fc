/** Converters for the linear family and k-means: their fitted state is a few arrays (`coef_`, `cluster_centers_`). */
import { NotConvertible, numeric, numericClasses, type NativeConverter } from './converter-kit.js';
import type { FittedAttributes } from './fitted-attributes.js';
import { centroidsPayload, linearPayload, logisticPayload, multiTargetLinearPayload } from './native-payload.js';

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

function linearRegression(estimator: 'LinearRegression' | 'Ridge' | 'Lasso' | 'ElasticNet'): NativeConverter {
  return {
    estimator,
    package: 'sklearn',
    task: 'regression',
    attributes: ['coef_', 'intercept_'],
    convert({ numFeatures, fitted }) {
      const { coef, outputs } = coefficients(fitted, numFeatures);
      const parameters = { numFeatures, coef, intercept: intercepts(numeric(fitted, 'intercept_'), outputs) };
      return {
        payload: estimator === 'Lasso' || estimator === 'ElasticNet' ? multiTargetLinearPayload(estimator, parameters) : linearPayload(estimator, parameters),
      };
    },
  };
}

const logisticRegression: NativeConverter = {
  estimator: 'LogisticRegression',
  package: 'sklearn',
  task: 'classification',
  attributes: ['coef_', 'intercept_'],
  convert({ numFeatures, fitted, classes }) {
    const labels = numericClasses(classes);
    const k = labels.length;
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
    const trained = labels.map((_, i) => i);
    const intercept = intercepts(numeric(fitted, 'intercept_'), outputs);
    return { payload: logisticPayload(k, trained, { numFeatures, coef, intercept }), labels, numClasses: k };
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

export const LINEAR_CONVERTERS: readonly NativeConverter[] = [
  linearRegression('LinearRegression'),
  linearRegression('Ridge'),
  linearRegression('Lasso'),
  linearRegression('ElasticNet'),
  logisticRegression,
  kmeans('KMeans'),
  kmeans('MiniBatchKMeans'),
];
