/**
 * Converters for decision trees, random forests, extra trees and gradient boosting (their `tree_` arrays), and for
 * XGBoost (its booster's own UBJSON, which the native runtime loads into the same libxgboost).
 */
import { items, NotConvertible, numeric, numericClasses, type ConversionInput, type NativeConverter, type NumericValue } from './converter-kit.js';
import type { FittedValue } from './fitted-attributes.js';
import { xgboostPayload, type NativeEstimator } from './native-payload.js';
import { boostingPayload, flattenTree, treeEnsemblePayload, type FlatTree } from './tree-payload.js';

const TREE_ARRAYS = ['children_left', 'children_right', 'feature', 'threshold', 'value'] as const;

function treePaths(prefix: string): string[] {
  return TREE_ARRAYS.map((a) => `${prefix}tree_.${a}`);
}

/** The sklearn trees under `prefix` (`''`, `estimators_.*.` or `estimators_.*.*.`), each with its `value` array. */
function sklearnTrees(input: ConversionInput, prefix: string): Array<{ arrays: NumericValue[] }> {
  const columns = treePaths(prefix).map((path) => (prefix === '' ? [numeric(input.fitted, path)] : items(input.fitted, path)));
  return columns[0]!.map((_, t) => ({ arrays: columns.map((column) => column[t]!) }));
}

/**
 * `value` is (n_nodes, n_outputs, max_n_classes): regressors' leaf means (one per output), classifiers' class
 * counts, which predict_proba normalises per leaf.
 */
function flatten(arrays: NumericValue[], classifier: boolean, valuesPerLeaf: number): FlatTree {
  const [left, right, feature, threshold, value] = arrays as [NumericValue, NumericValue, NumericValue, NumericValue, NumericValue];
  const [, outputs = 1, width = 1] = value.shape;
  if (classifier ? outputs !== 1 || width !== valuesPerLeaf : outputs !== valuesPerLeaf || width !== 1) {
    throw new NotConvertible(`tree value has shape (${value.shape.join(', ')}), expected ${valuesPerLeaf} values per leaf`);
  }
  return flattenTree({ left: left.data, right: right.data, feature: feature.data, threshold: threshold.data }, (node) => {
    const leaf = Array.from(value.data.subarray(node * outputs * width, (node + 1) * outputs * width));
    if (!classifier) return leaf;
    const total = leaf.reduce((a, b) => a + b, 0);
    return leaf.map((v) => v / (total === 0 ? 1 : total));
  });
}

function ensemble(estimator: NativeEstimator, classifier: boolean, prefix: string): NativeConverter {
  return {
    estimator,
    package: 'sklearn',
    task: classifier ? 'classification' : 'regression',
    attributes: treePaths(prefix),
    convert(input) {
      const labels = classifier ? numericClasses(input.classes) : undefined;
      const valuesPerLeaf = labels ? labels.length : input.numOutputs;
      const trees = sklearnTrees(input, prefix).map((t) => flatten(t.arrays, classifier, valuesPerLeaf));
      const payload = treeEnsemblePayload(estimator, input.numFeatures, classifier, valuesPerLeaf, trees);
      return labels ? { payload, labels, numClasses: labels.length } : { payload };
    },
  };
}

const STAGES = 'estimators_.*.*.';

function gradientBoosting(classifier: boolean): NativeConverter {
  const estimator = classifier ? 'GradientBoostingClassifier' : 'GradientBoostingRegressor';
  return {
    estimator,
    package: 'sklearn',
    task: classifier ? 'classification' : 'regression',
    attributes: [...treePaths(STAGES), classifier ? 'init_.class_prior_' : 'init_.constant_'],
    convert(input) {
      const { params } = input.fitted;
      if (!('init' in params)) return { unsupported: 'a custom init estimator' };
      if (classifier && params.loss !== 'log_loss' && params.loss !== 'deviance') return { unsupported: `loss ${String(params.loss)}` };
      const labels = classifier ? numericClasses(input.classes) : undefined;
      const k = labels?.length ?? 0;
      const perStage = k > 2 ? k : 1;
      const prior = params.init === 'zero' ? undefined : numeric(input.fitted, classifier ? 'init_.class_prior_' : 'init_.constant_').data;
      const trees = sklearnTrees(input, STAGES).map((t) => flatten(t.arrays, false, 1));
      if (trees.length % perStage !== 0) throw new NotConvertible(`${trees.length} trees for ${perStage} per stage`);
      const payload = boostingPayload(estimator, {
        numFeatures: input.numFeatures,
        link: !classifier ? 0 : k === 2 ? 1 : 2,
        numClasses: k,
        learningRate: Number(params.learning_rate),
        init: initialRaw(prior, k, perStage),
        trees,
      });
      return labels ? { payload, labels, numClasses: k } : { payload };
    },
  };
}

/** sklearn's `get_init_raw_predictions`: the mean for regression, log-odds / log-priors (clipped to float32 eps) for log loss. */
function initialRaw(prior: Float64Array | undefined, k: number, perStage: number): number[] {
  if (!prior) return new Array<number>(perStage).fill(0);
  if (k === 0) return [prior[0]!];
  const eps = 2 ** -23;
  const clip = (p: number): number => Math.min(Math.max(p, eps), 1 - eps);
  if (k === 2) {
    const p = clip(prior[1]!);
    return [Math.log(p / (1 - p))];
  }
  return Array.from(prior, (p) => Math.log(clip(p)));
}

function xgboost(estimator: 'XGBRegressor' | 'XGBClassifier' | 'XGBRFRegressor' | 'XGBRFClassifier'): NativeConverter {
  const classifier = estimator.endsWith('Classifier');
  return {
    estimator,
    package: 'xgboost',
    task: classifier ? 'classification' : 'regression',
    attributes: ['@xgboost_ubj'],
    convert(input) {
      const ubj: FittedValue | null | undefined = input.fitted.attributes['@xgboost_ubj'];
      if (!ubj || !('bytes' in ubj)) throw new NotConvertible('the booster could not be saved as UBJSON');
      const labels = classifier ? numericClasses(input.classes) : undefined;
      if (labels && labels.some((label, i) => Number(label) !== i)) return { unsupported: 'XGBoost classes other than 0..k-1' };
      const payload = xgboostPayload(estimator, input.numFeatures, classifier ? 1 : input.numOutputs, labels?.length ?? 0, ubj.bytes);
      return labels ? { payload, labels, numClasses: labels.length } : { payload };
    },
  };
}

export const TREE_CONVERTERS: readonly NativeConverter[] = [
  ensemble('DecisionTreeRegressor', false, ''),
  ensemble('DecisionTreeClassifier', true, ''),
  ensemble('RandomForestRegressor', false, 'estimators_.*.'),
  ensemble('RandomForestClassifier', true, 'estimators_.*.'),
  ensemble('ExtraTreesRegressor', false, 'estimators_.*.'),
  ensemble('ExtraTreesClassifier', true, 'estimators_.*.'),
  gradientBoosting(false),
  gradientBoosting(true),
  xgboost('XGBRegressor'),
  xgboost('XGBClassifier'),
  xgboost('XGBRFRegressor'),
  xgboost('XGBRFClassifier'),
];
