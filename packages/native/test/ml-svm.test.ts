// Parity of the native SVM family (SVC, SVR, LinearSVC, LinearSVR) with scikit-learn 1.2.1, against references
// committed by scripts/references/svm.py (no Python at test time). The solvers follow libsvm/liblinear step for step
// with sklearn's random numbers, so besides the key metric (within 0.01) the tests check libsvm's internal state
// (support vector counts, rho, Platt's A/B) and liblinear's coefficients.
import { f1 } from '@pgml-ts/core';
import { describe, expect, it } from 'vitest';

import { NativeModel, type NativeTask } from '../index.js';
import { loadSplit, readReferences } from './ml-fixtures.js';
import { caseLabel as label, splitFitInput, testMetric, testR2 } from './ml-helpers.js';

interface Case {
  dataset: string;
  task: NativeTask;
  algorithm: string;
  estimator: string;
  hyperparams: Record<string, number | string | boolean>;
  testPredictions: number[] | number[][];
  nSupport?: number[];
  rho?: number[];
  probA?: number[];
  probB?: number[];
  testProba?: number[][];
  coef?: number[][];
  intercept?: number[];
  nIter: number;
  metrics: Record<string, number>;
}
const refs = readReferences<{ cases: Case[] }>('svm.json');

async function fitCase(ref: Case) {
  const s = loadSplit(ref.dataset);
  const fitted = await NativeModel.fitAsync(splitFitInput(s, ref.task, ref.algorithm, ref.hyperparams));
  return { s, ...fitted };
}

/** Little-endian reader over a payload body (layouts documented in crates/ml-svm/src). */
function bodyReader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  const u32 = () => ((at += 4), view.getUint32(at - 4, true));
  const f64s = (n: number) => Array.from({ length: n }, () => ((at += 8), view.getFloat64(at - 8, true)));
  return { u32, f64s, u32s: (n: number) => Array.from({ length: n }, u32) };
}

/** SVC body: classes, kernel, n_features, n_sv per class, SVs, dual coefficients, rho, Platt's A/B. */
function svcState(model: NativeModel) {
  const r = bodyReader(model.toBytes());
  r.u32();
  const k = r.u32();
  r.u32s(k);
  r.u32s(2);
  r.f64s(2);
  const features = r.u32();
  const nSupport = r.u32s(k);
  const total = nSupport.reduce((a, b) => a + b, 0);
  r.f64s(total * features + (k - 1) * total);
  const pairs = (k * (k - 1)) / 2;
  const rho = r.f64s(pairs);
  const platt = r.u32() === 1 ? { probA: r.f64s(pairs), probB: r.f64s(pairs) } : undefined;
  return { nSupport, rho, ...platt };
}

/** LinearSVC / LinearSVR bodies: coefficient rows and intercepts per output (per target for LinearSVR). */
function linearState(model: NativeModel, task: NativeTask) {
  const r = bodyReader(model.toBytes());
  let models = 1;
  if (task === 'classification') {
    r.u32(); // n_classes
    r.u32s(r.u32()); // trained classes
  } else {
    models = r.u32();
  }
  const coef: number[] = [];
  const intercept: number[] = [];
  for (let m = 0; m < models; m++) {
    const features = r.u32();
    const outputs = r.u32();
    coef.push(...r.f64s(features * outputs));
    intercept.push(...r.f64s(outputs));
  }
  return { coef, intercept };
}

const maxRelDiff = (got: number[], expected: number[], floor: number) =>
  Math.max(...got.map((v, i) => Math.abs(v - expected[i]!) / Math.max(Math.abs(expected[i]!), floor)));

function agreement(pred: Float64Array, expected: number[]): number {
  return pred.filter((p, i) => p === expected[i]).length / pred.length;
}

// Probability fits train 6× per class pair (digits: 270 SMO problems); the shared CI cores can be slow.
const SLOW_FIT_MS = 60_000;

describe('SVC parity with scikit-learn (libsvm)', () => {
  for (const ref of refs.cases.filter((c) => c.estimator === 'SVC')) {
    it(label(ref), { timeout: SLOW_FIT_MS }, async () => {
      const { s, model, nIter, converged } = await fitCase(ref);
      const pred = await model.predictAsync(s.xTest, s.testRows);
      const macroF1 = f1(s.yTest, pred);
      const agree = agreement(pred, ref.testPredictions as number[]);
      const state = svcState(model);
      const rhoDiff = maxRelDiff(state.rho, ref.rho!, 1);
      let probaLine = '';
      if (ref.testProba) {
        const k = s.info.numClasses!;
        const proba = model.predictProba(s.xTest, s.testRows);
        let logLoss = 0;
        s.yTest.forEach((y, i) => (logLoss -= Math.log(Math.min(Math.max(proba[i * k + y]!, 1e-15), 1 - 1e-15))));
        logLoss /= s.testRows;
        const probaDiff = Math.max(...Array.from(proba, (p, i) => Math.abs(p - ref.testProba!.flat()[i]!)));
        const abDiff = maxRelDiff([...state.probA!, ...state.probB!], [...ref.probA!, ...ref.probB!], 1);
        probaLine = `, log-loss ${logLoss.toFixed(5)} vs ${ref.metrics.log_loss!.toFixed(5)}, proba max diff ${probaDiff.toExponential(2)}, Platt A/B max rel diff ${abDiff.toExponential(2)}`;
        expect(Math.abs(logLoss - ref.metrics.log_loss!)).toBeLessThan(0.01);
        // Same SMO path and the same Platt cross-validation folds: libsvm's numbers, to rounding.
        expect(probaDiff).toBeLessThan(1e-9);
        expect(abDiff).toBeLessThan(1e-9);
        for (let i = 0; i < s.testRows; i++) expect(Math.abs(proba.subarray(i * k, (i + 1) * k).reduce((a, b) => a + b) - 1)).toBeLessThan(1e-9);
      }
      console.info(
        `${label(ref)}: f1 ${macroF1.toFixed(6)} vs ${ref.metrics.f1!.toFixed(6)}, predictions agree ${(agree * 100).toFixed(1)}%, ` +
          `n_support ${state.nSupport.join('/')} vs ${ref.nSupport!.join('/')}, rho max rel diff ${rhoDiff.toExponential(2)}, ` +
          `iterations ${nIter} vs ${ref.nIter}${probaLine}`,
      );
      expect(converged).toBe(true);
      expect(Math.abs(macroF1 - ref.metrics.f1!)).toBeLessThanOrEqual(0.01);
      expect(agree).toBeGreaterThanOrEqual(0.99);
      expect(state.nSupport).toEqual(ref.nSupport);
      expect(rhoDiff).toBeLessThan(1e-4);
    });
  }
});

describe('SVR parity with scikit-learn (libsvm)', () => {
  for (const ref of refs.cases.filter((c) => c.estimator === 'SVR')) {
    it(label(ref), async () => {
      const { s, model } = await fitCase(ref);
      const pred = await model.predictAsync(s.xTest, s.testRows);
      const r2 = testR2(s, pred);
      const expected = (ref.testPredictions as number[][]).flat();
      const predDiff = maxRelDiff(Array.from(pred), expected, 1);
      console.info(`${label(ref)}: r2 ${r2.toFixed(6)} vs ${ref.metrics.r2!.toFixed(6)}, predictions max rel diff ${predDiff.toExponential(2)}`);
      expect(Math.abs(r2 - ref.metrics.r2!)).toBeLessThanOrEqual(0.01);
      expect(predDiff).toBeLessThan(1e-4);
    });
  }
});

describe('LinearSVC / LinearSVR parity with scikit-learn (liblinear)', () => {
  for (const ref of refs.cases.filter((c) => c.estimator.startsWith('Linear'))) {
    it(label(ref), async () => {
      const { s, model, nIter, converged } = await fitCase(ref);
      const pred = await model.predictAsync(s.xTest, s.testRows);
      const { coef, intercept } = linearState(model, ref.task);
      const coefDiff = maxRelDiff([...coef, ...intercept], [...ref.coef!.flat(), ...ref.intercept!], 1e-2);
      const metric = testMetric(s, ref.task, pred);
      const expectedMetric = ref.task === 'classification' ? ref.metrics.f1! : ref.metrics.r2!;
      console.info(
        `${label(ref)}: metric ${metric.toFixed(6)} vs ${expectedMetric.toFixed(6)}, coef max rel diff ${coefDiff.toExponential(2)}, ` +
          `iterations ${nIter} vs ${ref.nIter} (converged ${converged})`,
      );
      expect(Math.abs(metric - expectedMetric)).toBeLessThanOrEqual(0.01);
      expect(nIter).toBe(ref.nIter);
      expect(coefDiff).toBeLessThan(1e-6);
    });
  }
});

describe('SVM family contract', () => {
  const s = loadSplit('iris');
  const base = { task: 'classification' as const, x: s.xTrain, rows: s.info.trainRows, cols: s.info.features, y: s.yTrain, numClasses: 3 };

  it('round trips bit-exactly and rejects corrupt payloads', () => {
    for (const [task, algorithm, hyperparams] of [
      ['classification', 'svm', { probability: true }],
      ['classification', 'linear_svm', {}],
      ['regression', 'svm', {}],
      ['regression', 'linear_svm', {}],
    ] as const) {
      const input = task === 'classification' ? { ...base, algorithm, hyperparams } : { ...base, task, algorithm, hyperparams, numClasses: undefined };
      const { model } = NativeModel.fit(input);
      const bytes = model.toBytes();
      const back = NativeModel.fromBytes(bytes);
      expect(back.toBytes()).toEqual(bytes);
      expect(back.predict(s.xTest, s.testRows)).toEqual(model.predict(s.xTest, s.testRows));
      for (const cut of [9, bytes.length - 1]) {
        expect(() => NativeModel.fromBytes(bytes.subarray(0, cut))).toThrow(expect.objectContaining({ code: 'CORRUPT_MODEL' }));
      }
    }
  });

  it('types bad hyperparameters, a single class and NaN input', () => {
    for (const hyperparams of [{ gamma: 'big' }, { kernel: 'precomputed' }, { C: 0 }, { degre: 3 }, { probability: 1 }]) {
      expect(() => NativeModel.fit({ ...base, algorithm: 'svm', hyperparams })).toThrow(expect.objectContaining({ code: 'INVALID_HYPERPARAMETER' }));
    }
    expect(() => NativeModel.fit({ ...base, algorithm: 'linear_svm', hyperparams: { dual: false } })).toThrow(
      expect.objectContaining({ code: 'INVALID_HYPERPARAMETER' }),
    );
    expect(() => NativeModel.fit({ ...base, algorithm: 'svm', y: new Float64Array(s.info.trainRows) })).toThrow(
      expect.objectContaining({ code: 'DATA_ERROR' }),
    );
    const nan = Float64Array.from(s.xTrain);
    nan[5] = Number.NaN;
    expect(() => NativeModel.fit({ ...base, algorithm: 'svm', x: nan })).toThrow(expect.objectContaining({ code: 'DATA_ERROR' }));
  });

  it('predict_proba without probability=True says how to get it', () => {
    const { model } = NativeModel.fit({ ...base, algorithm: 'svm' });
    expect(() => model.predictProba(s.xTest, s.testRows)).toThrow(/"probability": true/);
  });
});
