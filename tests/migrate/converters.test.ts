/**
 * The --convert-native table without a database: which fitted estimators convert, which are refused and why, and
 * that the TypeScript-written payloads load in @pgml-ts/native and predict what the parameters say.
 */
import { describe, expect, it } from 'vitest';
import { NativeRuntime } from '@pgml-ts/sdk';
import { compare, MATCH_TOLERANCE } from '../../packages/sdk/src/migrate/compare.js';
import type { FittedAttributes } from '../../packages/sdk/src/migrate/fitted-attributes.js';
import { converterFor, convertToNative } from '../../packages/sdk/src/migrate/native-converters.js';
import { flattenTree } from '../../packages/sdk/src/migrate/tree-payload.js';

function fitted(className: string, params: Record<string, unknown>, arrays: Record<string, [number[], number[]]>): FittedAttributes {
  return {
    className,
    params,
    attributes: Object.fromEntries(Object.entries(arrays).map(([k, [shape, data]]) => [k, { shape, data: Float64Array.from(data) }])),
  };
}

const LOGISTIC = 'sklearn.linear_model._logistic.LogisticRegression';
const x = { data: Float64Array.from([1, 2, -1, 0.5, 0, 3]), rows: 3, cols: 2 };

describe('native converters', () => {
  it('find converters by package and class name, per task', () => {
    expect(converterFor('sklearn.linear_model._base.LinearRegression', 'regression')?.estimator).toBe('LinearRegression');
    expect(converterFor('sklearn.linear_model.base.LinearRegression', 'regression')?.estimator).toBe('LinearRegression');
    expect(converterFor('sklearn.linear_model._ridge.RidgeClassifier', 'classification')).toBeUndefined();
    expect(converterFor('sklearn.ensemble._forest.RandomForestRegressor', 'regression')?.estimator).toBe('RandomForestRegressor');
    expect(converterFor('xgboost.sklearn.XGBClassifier', 'classification')?.estimator).toBe('XGBClassifier');
    expect(converterFor('sklearn.svm._classes.SVC', 'classification')).toBeUndefined();
    expect(converterFor('evil.LinearRegression', 'regression')).toBeUndefined();
  });

  it('write linear payloads that the native runtime loads and that predict X·coefᵀ + intercept (n×1 targets too)', async () => {
    const native = await NativeRuntime.load();
    const conversion = convertToNative(converterFor('sklearn.linear_model._base.LinearRegression', 'regression')!, {
      task: 'regression',
      numFeatures: 2,
      numOutputs: 1,
      fitted: fitted('sklearn.linear_model._base.LinearRegression', {}, { coef_: [[1, 2], [3, -2]], intercept_: [[1], [0.5]] }),
    });
    if (!('payload' in conversion)) throw new Error(conversion.unsupported);
    const model = await native.deserialize(conversion.payload, { task: 'regression', algorithm: 'linear', numFeatures: 2, numOutputs: 1 });
    const expected = [1 * 3 + 2 * -2 + 0.5, -1 * 3 + 0.5 * -2 + 0.5, 0 * 3 + 3 * -2 + 0.5];
    expect(compare(await native.predict(model, x), expected).matches).toBe(true);
  });

  it('map logistic classes to native class indices and keep the 1.0 labels', async () => {
    const native = await NativeRuntime.load();
    const conversion = convertToNative(converterFor(LOGISTIC, 'classification')!, {
      task: 'classification',
      numFeatures: 2,
      numOutputs: 1,
      classes: [3, 7],
      fitted: fitted(LOGISTIC, { multi_class: 'auto', solver: 'lbfgs' }, { coef_: [[1, 2], [0.5, -1]], intercept_: [[1], [-0.25]] }),
    });
    if (!('payload' in conversion)) throw new Error(conversion.unsupported);
    expect(conversion).toMatchObject({ labels: [3, 7], numClasses: 2 });
    const model = await native.deserialize(conversion.payload, { task: 'classification', algorithm: 'linear', numFeatures: 2, numOutputs: 1, numClasses: 2 });
    const decision = [1 * 0.5 + 2 * -1 - 0.25, -1 * 0.5 + 0.5 * -1 - 0.25, 0 + 3 * -1 - 0.25];
    const proba = await native.predictProba(model, x);
    decision.forEach((d, i) => expect(proba[i * 2 + 1]).toBeCloseTo(1 / (1 + Math.exp(-d)), 12));
  });

  it('refuse logistic regressions whose probabilities the native model does not compute', () => {
    const convert = (k: number, params: Record<string, unknown>) =>
      convertToNative(converterFor(LOGISTIC, 'classification')!, {
        task: 'classification',
        numFeatures: 1,
        numOutputs: 1,
        classes: Array.from({ length: k }, (_, i) => i),
        fitted: fitted(LOGISTIC, params, { coef_: [[k === 2 ? 1 : k, 1], Array(k === 2 ? 1 : k).fill(1)], intercept_: [[k === 2 ? 1 : k], Array(k === 2 ? 1 : k).fill(0)] }),
      });
    expect(convert(3, { multi_class: 'ovr', solver: 'lbfgs' })).toEqual({ unsupported: expect.stringMatching(/one-vs-rest/) });
    expect(convert(3, { multi_class: 'auto', solver: 'liblinear' })).toEqual({ unsupported: expect.stringMatching(/one-vs-rest/) });
    expect(convert(2, { multi_class: 'multinomial', solver: 'lbfgs' })).toEqual({ unsupported: expect.stringMatching(/softmax of ±d/) });
    expect(convert(3, { multi_class: 'auto', solver: 'lbfgs' })).toHaveProperty('payload');
    expect(
      convertToNative(converterFor(LOGISTIC, 'classification')!, {
        task: 'classification',
        numFeatures: 1,
        numOutputs: 1,
        classes: ['a', 'b'],
        fitted: fitted(LOGISTIC, {}, {}),
      }),
    ).toEqual({ unsupported: 'text class labels' });
  });

  it('report wrong parameter shapes as not convertible instead of throwing', () => {
    const conversion = convertToNative(converterFor('sklearn.linear_model._ridge.Ridge', 'regression')!, {
      task: 'regression',
      numFeatures: 3,
      numOutputs: 1,
      fitted: fitted('sklearn.linear_model._ridge.Ridge', {}, { coef_: [[2], [1, 2]], intercept_: [[], [0]] }),
    });
    expect(conversion).toEqual({ unsupported: expect.stringMatching(/expected 3 features/) });
  });

  it('compare within 1e-6, relative above magnitude 1, and fail on any different class', () => {
    expect(MATCH_TOLERANCE).toBe(1e-6);
    expect(compare([1000.0005], [1000]).matches).toBe(true);
    expect(compare([0.5 + 2e-6], [0.5]).matches).toBe(false);
    expect(compare([3, 7], [3, 3])).toMatchObject({ matches: false, maxDiff: 4 });
    expect(compare([1], [1, 2]).matches).toBe(false);
  });

  it('write trees that send a row left exactly when scikit-learn\'s float32(x) <= threshold', async () => {
    const native = await NativeRuntime.load();
    // A threshold between two neighbouring float32s (1 and 1 + 2⁻²³), as extra trees draw them.
    const threshold = 1 + 2 ** -25;
    const className = 'sklearn.tree._classes.DecisionTreeRegressor';
    const conversion = convertToNative(converterFor(className, 'regression')!, {
      task: 'regression',
      numFeatures: 1,
      numOutputs: 1,
      fitted: fitted(className, {}, {
        'tree_.children_left': [[3], [1, -1, -1]],
        'tree_.children_right': [[3], [2, -1, -1]],
        'tree_.feature': [[3], [0, -2, -2]],
        'tree_.threshold': [[3], [threshold, -2, -2]],
        'tree_.value': [[3, 1, 1], [0, -1, 1]],
      }),
    });
    if (!('payload' in conversion)) throw new Error(conversion.unsupported);
    const model = await native.deserialize(conversion.payload, { task: 'regression', algorithm: 'decision_tree', numFeatures: 1, numOutputs: 1 });
    // Doubles above the threshold whose float32 rounding (1) is not: scikit-learn sends them left.
    const rows = [1, threshold, 1 + 2 ** -24, 1 + 0.4 * 2 ** -23, 1 + 0.6 * 2 ** -23, 2];
    const expected = rows.map((x) => (Math.fround(x) <= threshold ? -1 : 1));
    expect(expected).toEqual([-1, -1, -1, -1, 1, 1]);
    expect(Array.from(await native.predict(model, { data: Float64Array.from(rows), rows: rows.length, cols: 1 }))).toEqual(expected);
  });

  it('lay sklearn trees out with each node\'s children side by side after it', () => {
    // root: x0 <= 0.5 ? (x1 <= 1.5 ? leaf A : leaf B) : leaf C
    const tree = { left: [1, 2, -1, -1, -1], right: [4, 3, -1, -1, -1], feature: [0, 1, -2, -2, -2], threshold: [0.5, 1.5, -2, -2, -2] };
    const flat = flattenTree(tree, (node) => [node * 10]);
    expect(flat.children[0]).toBe(1); // root's children at 1 (sklearn node 1) and 2 (sklearn node 4, a leaf)
    expect(flat.features.slice(0, 3)).toEqual([0, 1, 0xffffffff]);
    expect(flat.children[1]).toBe(3); // node 1's children at 3 and 4
    expect(flat.values).toEqual([40, 20, 30]); // leaves in breadth-first order: C, A, B
    expect(flat.children.slice(2)).toEqual([0, 1, 2]);
  });
});
