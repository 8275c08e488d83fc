// NativeRuntime against the sklearn references committed in packages/native (no Python at test time).
import { readFileSync } from 'node:fs';
import { PgmlError, type Matrix } from '@pgml-ts/core';
import { describe, expect, it } from 'vitest';

import { NativeRuntime } from '../../src/runtimes/native.js';

const FIXTURES = new URL('../../../native/test/fixtures/ml/', import.meta.url);
const refs = JSON.parse(readFileSync(new URL('references.json', FIXTURES), 'utf8')) as {
  datasets: Record<string, { file: string; rows: number; features: number; targets: number; trainRows: number; numClasses?: number }>;
  cases: { dataset: string; algorithm: string; hyperparams: Record<string, unknown>; metrics: Record<string, number> }[];
};

function split(name: string): { train: [Matrix, Matrix]; test: [Matrix, Matrix]; numClasses?: number } {
  const info = refs.datasets[name]!;
  const buf = readFileSync(new URL(info.file, FIXTURES));
  const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const width = info.features + info.targets;
  const part = (from: number, to: number): [Matrix, Matrix] => {
    const rows = to - from;
    const x = new Float64Array(rows * info.features);
    const y = new Float64Array(rows * info.targets);
    for (let i = 0; i < rows; i++) {
      const row = all.subarray((from + i) * width, (from + i + 1) * width);
      x.set(row.subarray(0, info.features), i * info.features);
      y.set(row.subarray(info.features), i * info.targets);
    }
    return [{ data: x, rows, cols: info.features }, { data: y, rows, cols: info.targets }];
  };
  return { train: part(0, info.trainRows), test: part(info.trainRows, info.rows), numClasses: info.numClasses };
}

function r2(y: Float64Array, pred: Float64Array): number {
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const ssRes = y.reduce((a, v, i) => a + (v - pred[i]!) ** 2, 0);
  const ssTot = y.reduce((a, v) => a + (v - mean) ** 2, 0);
  return 1 - ssRes / ssTot;
}

function macroF1(y: Float64Array, pred: Float64Array, k: number): number {
  let sum = 0;
  for (let c = 0; c < k; c++) {
    let tp = 0, fp = 0, fn = 0;
    y.forEach((v, i) => {
      if (pred[i] === c && v === c) tp++;
      else if (pred[i] === c) fp++;
      else if (v === c) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / k;
}

const runtime = await NativeRuntime.load();
const reference = (dataset: string, algorithm: string) =>
  refs.cases.find((c) => c.dataset === dataset && c.algorithm === algorithm && Object.keys(c.hyperparams).length === 0)!;

describe('NativeRuntime', () => {
  it('supports what the Rust table lists, nothing else', () => {
    expect(runtime.supports('regression', 'linear')).toBe(true);
    expect(runtime.supports('regression', 'ridge')).toBe(true);
    expect(runtime.supports('classification', 'linear')).toBe(true);
    expect(runtime.supports('classification', 'logistic')).toBe(true);
    expect(runtime.supports('regression', 'xgboost')).toBe(true);
    expect(runtime.supports('regression', 'ada_boost')).toBe(false);
    expect(runtime.supports('clustering', 'kmeans')).toBe(true);
    expect(runtime.supports('clustering', 'dbscan')).toBe(false);
  });

  for (const algorithm of ['linear', 'ridge']) {
    it(`diabetes ${algorithm}: r2 equals sklearn's within 1e-6`, async () => {
      const { train, test } = split('diabetes');
      const model = await runtime.fit({ task: 'regression', algorithm, hyperparams: {}, x: train[0], y: train[1] });
      const pred = await runtime.predict(model, test[0]);
      expect(Math.abs(r2(test[1].data, pred) - reference('diabetes', algorithm).metrics.r2!)).toBeLessThan(1e-6);
    });
  }

  it("iris logistic: macro f1 within 0.01 of sklearn's, probabilities sum to 1", async () => {
    const { train, test, numClasses } = split('iris');
    const model = await runtime.fit({ task: 'classification', algorithm: 'linear', hyperparams: {}, x: train[0], y: train[1], numClasses });
    expect(model).toMatchObject({ runtime: 'native', numFeatures: 4, numOutputs: 1, numClasses: 3 });
    const pred = await runtime.predict(model, test[0]);
    expect(Math.abs(macroF1(test[1].data, pred, 3) - reference('iris', 'linear').metrics.f1!)).toBeLessThanOrEqual(0.01);
    const proba = await runtime.predictProba(model, test[0]);
    expect(proba.length).toBe(test[0].rows * 3);
    expect(Math.abs(proba[0]! + proba[1]! + proba[2]! - 1)).toBeLessThan(1e-12);
  });

  it('serialization round trips bit-exactly', async () => {
    const { train, test, numClasses } = split('iris');
    const model = await runtime.fit({ task: 'classification', algorithm: 'logistic', hyperparams: { C: 0.5 }, x: train[0], y: train[1], numClasses });
    const bytes = await runtime.serialize(model);
    const back = await runtime.deserialize(bytes, { task: model.task, algorithm: model.algorithm, numFeatures: 4, numOutputs: 1, numClasses: 3 });
    expect(await runtime.serialize(back)).toEqual(bytes);
    expect(await runtime.predictProba(back, test[0])).toEqual(await runtime.predictProba(model, test[0]));
    await expect(runtime.deserialize(bytes.subarray(0, bytes.length - 3), back)).rejects.toMatchObject({ code: 'CORRUPT_MODEL' });
    await expect(runtime.deserialize(bytes, { ...back, numFeatures: 5 })).rejects.toMatchObject({ code: 'CORRUPT_MODEL' });
  });

  it('bad hyperparameters are typed errors naming the key', () => {
    const attempt = (hp: Record<string, unknown>) => () => runtime.validateHyperparams('regression', 'ridge', hp);
    expect(attempt({ alpah: 1 })).toThrow(PgmlError);
    expect(attempt({ alpah: 1 })).toThrow(/"alpah".*allowed: alpha/);
    for (const hp of [{ alpha: -1 }, { alpha: 'big' }, { fit_intercept: 1 }]) {
      try {
        attempt(hp)();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(PgmlError);
        expect((error as PgmlError).code).toBe('INVALID_HYPERPARAMETER');
      }
    }
    expect(runtime.validateHyperparams('classification', 'linear', { max_iter: 500 })).toMatchObject({ max_iter: 500, C: 1 });
    expect(() => runtime.validateHyperparams('regression', 'ada_boost', {})).toThrow(expect.objectContaining({ code: 'ALGORITHM_UNAVAILABLE' }));
  });

  it('NaN in X is a typed DATA_ERROR and the process lives on', async () => {
    const x = new Float64Array([1, 2, NaN, 4, 5, 6]);
    const fit = runtime.fit({ task: 'regression', algorithm: 'linear', hyperparams: {}, x: { data: x, rows: 3, cols: 2 }, y: { data: new Float64Array([1, 2, 3]), rows: 3, cols: 1 } });
    await expect(fit).rejects.toBeInstanceOf(PgmlError);
    await expect(fit).rejects.toMatchObject({ code: 'DATA_ERROR' });
    const { train } = split('diabetes');
    const model = await runtime.fit({ task: 'regression', algorithm: 'ridge', hyperparams: {}, x: train[0], y: train[1] });
    await expect(runtime.predict(model, { data: new Float64Array(10).fill(Infinity), rows: 1, cols: 10 })).rejects.toMatchObject({ code: 'DATA_ERROR' });
    await expect(runtime.predict(model, { data: new Float64Array(3), rows: 1, cols: 3 })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
  });

  it('an aborted fit rejects with ABORTED', async () => {
    const { train, numClasses } = split('digits');
    const controller = new AbortController();
    controller.abort();
    await expect(
      runtime.fit({ task: 'classification', algorithm: 'linear', hyperparams: {}, x: train[0], y: train[1], numClasses, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
