/**
 * The --convert-native table without a database: which fitted estimators convert, which are refused and why, and
 * that the TypeScript-written payloads load in @pgml-ts/native and predict what the parameters say.
 */
import { describe, expect, it } from 'vitest';
import { NativeRuntime } from '@pgml-ts/sdk';
import { compare, MATCH_TOLERANCE } from '../../packages/sdk/src/migrate/compare.js';
import type { FittedAttributes } from '../../packages/sdk/src/migrate/fitted-attributes.js';
import { converterFor, convertToNative } from '../../packages/sdk/src/migrate/native-converters.js';

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
    expect(converterFor('sklearn.ensemble._forest.RandomForestRegressor', 'regression')).toBeUndefined();
    expect(converterFor('evil.LinearRegression', 'regression')).toBeUndefined();
  });

  it('write linear payloads that the native runtime loads and that predict X·coefᵀ + intercept (n×1 targets too)', async () => {
    const native = await NativeRuntime.load();
    const conversion = convertToNative(converterFor('sklearn.linear_model._base.LinearRegression', 'regression')!, {
      task: 'regression',
      numFeatures: 2,
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
        classes: ['a', 'b'],
        fitted: fitted(LOGISTIC, {}, {}),
      }),
    ).toEqual({ unsupported: 'text class labels' });
  });

  it('report wrong parameter shapes as not convertible instead of throwing', () => {
    const conversion = convertToNative(converterFor('sklearn.linear_model._ridge.Ridge', 'regression')!, {
      task: 'regression',
      numFeatures: 3,
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
});
