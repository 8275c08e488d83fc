// Parity of the native linear models with scikit-learn 1.2.1, against references committed by
// scripts/make-ml-references.py (no Python at test time).
import { f1 as macroF1 } from '@pgml-ts/core';
import { describe, expect, it } from 'vitest';

import { NativeModel, type NativeTask } from '../index.js';
import { loadSplit, readReferences } from './ml-fixtures.js';
import { caseLabel as label, splitFitInput, testR2 } from './ml-helpers.js';

interface Case {
  dataset: string;
  task: NativeTask;
  algorithm: string;
  estimator: string;
  hyperparams: Record<string, number>;
  coef: number[][];
  intercept: number[];
  testPredictions: number[] | number[][];
  testProba?: number[][];
  converged?: boolean;
  /** sklearn's lbfgs objective (sum of log-losses + ‖W‖²/2C) at its fitted coefficients. */
  objective?: number;
  nIter?: number;
  metrics: Record<string, number>;
}
const refs = readReferences<{ cases: Case[] }>('references.json');

/** Coefficients and intercepts read back from the documented payload layout (crates/ml-linear/src/linear_model.rs, logistic.rs). */
function parameters(model: NativeModel, task: NativeTask): { coef: number[]; intercept: number[] } {
  const bytes = model.toBytes();
  // Payload: 8-byte header, then (logistic: n_classes, n_trained, classes[]) u32s, n_features, n_outputs, coef, intercept.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  if (task === 'classification') at += 8 + 4 * view.getUint32(12, true);
  const features = view.getUint32(at, true);
  const outputs = view.getUint32(at + 4, true);
  at += 8;
  const read = (n: number) => Array.from({ length: n }, (_, i) => view.getFloat64(at + 8 * i, true));
  const coef = read(outputs * features);
  at += 8 * outputs * features;
  const intercept = read(outputs);
  return { coef, intercept };
}

/** max |a − b| / max(|b|, floor) over all coefficients and intercepts. */
function maxRelDiff(model: NativeModel, ref: Case, floor: number): number {
  const { coef, intercept } = parameters(model, ref.task);
  const expected = [...ref.coef.flat(), ...ref.intercept];
  const got = [...coef, ...intercept];
  expect(got.length).toBe(expected.length);
  return Math.max(...got.map((v, i) => Math.abs(v - expected[i]!) / Math.max(Math.abs(expected[i]!), floor)));
}

describe('regression parity with scikit-learn', () => {
  for (const ref of refs.cases.filter((c) => c.task === 'regression')) {
    it(label(ref), async () => {
      const s = loadSplit(ref.dataset);
      const { model } = await NativeModel.fitAsync(splitFitInput(s, 'regression', ref.algorithm, ref.hyperparams));
      const diff = maxRelDiff(model, ref, 1e-3);
      console.info(`${label(ref)}: max relative coefficient diff ${diff.toExponential(2)}`);
      expect(diff).toBeLessThan(1e-6);
      const pred = await model.predictAsync(s.xTest, s.testRows);
      expect(testR2(s, pred)).toBeCloseTo(ref.metrics.r2!, 9);
      const expected = ref.testPredictions.flat();
      pred.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected[i]!))));
    });
  }
});

describe('classification parity with scikit-learn (lbfgs, to solver tolerance)', () => {
  for (const ref of refs.cases.filter((c) => c.task === 'classification')) {
    it(label(ref), async () => {
      const s = loadSplit(ref.dataset);
      const k = s.info.numClasses!;
      const fitted = await NativeModel.fitAsync(splitFitInput(s, 'classification', ref.algorithm, ref.hyperparams));
      const { model } = fitted;
      const pred = model.predict(s.xTest, s.testRows);
      const f1 = macroF1(s.yTest, pred);
      const proba = model.predictProba(s.xTest, s.testRows);
      const expectedProba = ref.testProba!.flat();
      const probaDiff = Math.max(...Array.from(proba, (p, i) => Math.abs(p - expectedProba[i]!)));
      const agree = pred.filter((p, i) => p === ref.testPredictions[i]).length / pred.length;
      const diff = maxRelDiff(model, ref, 1e-2);
      const trainProba = model.predictProba(s.xTrain, s.info.trainRows);
      let objective = 0.5 * parameters(model, 'classification').coef.reduce((a, w) => a + w * w, 0) / (ref.hyperparams.C ?? 1);
      s.yTrain.forEach((label, i) => (objective -= Math.log(trainProba[i * k + label]!)));
      const objectiveGap = (objective - ref.objective!) / ref.objective!;
      console.info(
        `${label(ref)}: coef max rel diff ${diff.toExponential(2)}, proba max abs diff ${probaDiff.toExponential(2)}, ` +
          `f1 ${f1.toFixed(6)} vs ${ref.metrics.f1!.toFixed(6)}, predictions agree ${(agree * 100).toFixed(1)}%, ` +
          `iterations ${fitted.nIter} (sklearn ${ref.nIter}), converged ${fitted.converged} (sklearn ${ref.converged}), ` +
          `objective relative gap ${objectiveGap.toExponential(2)}`,
      );
      expect(fitted.converged).toBe(ref.converged);
      expect(Math.abs(f1 - ref.metrics.f1!)).toBeLessThanOrEqual(0.01);
      // Same iteration rules as scipy, but on the unscaled, ill-conditioned datasets (wine, breast_cancer) the
      // paths drift apart and the relative-reduction stop fires at different points of a flat valley: coefficients
      // differ there while the objective stays within ~1% and the key metric agrees (see the log line).
      const samePath = ref.dataset === 'iris' || (ref.dataset === 'digits' && !ref.converged);
      expect(objectiveGap).toBeLessThan(samePath ? 1e-6 : 0.02);
      expect(agree).toBeGreaterThanOrEqual(0.99);
      if (samePath) {
        // The same iterates as scipy's: the same model up to the solver's tolerance.
        expect(diff).toBeLessThan(1e-2);
        expect(probaDiff).toBeLessThan(1e-3);
      }
      if (ref.converged) expect(f1).toBeCloseTo(ref.metrics.f1!, 12);
      for (let i = 0; i < s.testRows; i++) {
        const row = proba.subarray(i * k, (i + 1) * k);
        expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      }
    });
  }
});
