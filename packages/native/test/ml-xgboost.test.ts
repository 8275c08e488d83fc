// Parity of the native XGBoost family with python-xgboost 1.7.4 (same libxgboost.so), against references committed
// by scripts/references/xgboost.py (no Python at test time): the same trees (SHA-256 of XGBoost's UBJSON model),
// predictions and probabilities to 1e-6, the same key metric; payload round trips, corruption, thread counts.
import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { NativeModel, type NativeTask } from '../index.js';
import { loadSplit, readReferences, type Split } from './ml-fixtures.js';
import { caseLabel as label, splitFitInput, testMetric } from './ml-helpers.js';

interface Case {
  dataset: string;
  task: NativeTask;
  algorithm: string;
  estimator: string;
  hyperparams: Record<string, number | string>;
  testPredictions: number[];
  testProba?: number[];
  modelSha256: string;
  metrics: Record<string, number>;
}
const refs = readReferences<{ cases: Case[] }>('xgboost.json');

// Fits are milliseconds alone but the test machine is shared: generous per-test budgets.
const SLOW_MS = 120_000;

function fit(s: Split, task: NativeTask, algorithm: string, hyperparams: Record<string, unknown>): NativeModel {
  return NativeModel.fit(splitFitInput(s, task, algorithm, hyperparams)).model;
}

/** XGBoost's UBJSON models inside our payload, one after the other (layout documented in
 * crates/ml-xgboost/src/model.rs: one model, or one per target). */
function xgboostModelBytes(payload: Uint8Array): Uint8Array {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const nTrained = view.getUint32(8 + 12, true);
  const format = view.getUint32(8 + 16 + 4 * nTrained, true);
  const models = format === 2 ? view.getUint32(8 + 4, true) : 1;
  const parts: Uint8Array[] = [];
  let at = 8 + 16 + 4 * nTrained + 4;
  for (let m = 0; m < models; m++) {
    const len = view.getUint32(at + 8, true);
    parts.push(payload.subarray(at + 12, at + 12 + len));
    at += 12 + len;
  }
  return Buffer.concat(parts);
}

const maxAbsDiff = (got: Float64Array, expected: number[]) => {
  expect(got.length).toBe(expected.length);
  return Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i]!)));
};

describe('parity with python-xgboost (same library, same parameters)', () => {
  for (const ref of refs.cases) {
    it(label(ref), () => {
      const s = loadSplit(ref.dataset);
      const model = fit(s, ref.task, ref.algorithm, ref.hyperparams);
      const sha = createHash('sha256').update(xgboostModelBytes(model.toBytes())).digest('hex');
      const pred = model.predict(s.xTest, s.testRows);
      const predDiff = maxAbsDiff(pred, ref.testPredictions);
      const metric = testMetric(s, ref.task, pred);
      let probaDiff = 0;
      if (ref.task === 'classification') {
        probaDiff = maxAbsDiff(model.predictProba(s.xTest, s.testRows), ref.testProba!);
        expect(probaDiff).toBeLessThanOrEqual(1e-6);
        expect(predDiff).toBe(0);
        expect(Math.abs(metric - ref.metrics.f1!)).toBeLessThanOrEqual(1e-12);
      } else {
        // float32 predictions of values in the hundreds: 1e-6 relative is the float32 resolution.
        ref.testPredictions.forEach((v, i) => expect(Math.abs(pred[i]! - v)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v))));
        expect(Math.abs(metric - ref.metrics.r2!)).toBeLessThanOrEqual(1e-6);
      }
      console.info(
        `${label(ref)}: same trees ${sha === ref.modelSha256}, max |Δpred| ${predDiff.toExponential(2)}, ` +
          `max |Δproba| ${probaDiff.toExponential(2)}, metric ${metric.toFixed(6)}`,
      );
      expect(sha).toBe(ref.modelSha256);
    }, SLOW_MS);
  }
});

describe('xgboost models', () => {
  const iris = loadSplit('iris');
  const diabetes = loadSplit('diabetes');

  it('round-trips bit-exactly and predicts the same after loading', () => {
    for (const [s, task, algorithm] of [
      [iris, 'classification', 'xgboost'],
      [diabetes, 'regression', 'xgboost_random_forest'],
    ] as const) {
      const model = fit(s, task, algorithm, { n_estimators: 10, random_state: 1 });
      const bytes = model.toBytes();
      const back = NativeModel.fromBytes(bytes);
      expect(Buffer.from(back.toBytes()).equals(Buffer.from(bytes))).toBe(true);
      expect(back.predict(s.xTest, s.testRows)).toEqual(model.predict(s.xTest, s.testRows));
      if (task === 'classification') expect(back.predictProba(s.xTest, s.testRows)).toEqual(model.predictProba(s.xTest, s.testRows));
    }
  });

  it('refuses truncated or damaged payloads with CORRUPT_MODEL', () => {
    const bytes = fit(iris, 'classification', 'xgboost', { n_estimators: 3 }).toBytes();
    for (const len of [0, 8, 20, 40, bytes.length >> 1, bytes.length - 1]) {
      expect(() => NativeModel.fromBytes(bytes.subarray(0, len))).toThrow(expect.objectContaining({ code: 'CORRUPT_MODEL' }));
    }
    for (let i = 8; i < bytes.length; i += 97) {
      const bad = bytes.slice();
      bad[i] = bad[i]! ^ 0xa5;
      expect(() => NativeModel.fromBytes(bad)).toThrow(expect.objectContaining({ code: 'CORRUPT_MODEL' }));
    }
  });

  it('builds the same model whatever the thread count', () => {
    const cancer = loadSplit('breast_cancer');
    for (const tree_method of ['exact', 'approx', 'hist']) {
      const payloads = [1, 2].map((n_jobs) =>
        Buffer.from(fit(cancer, 'classification', 'xgboost', { n_estimators: 10, subsample: 0.8, tree_method, n_jobs }).toBytes()),
      );
      expect(payloads[0]!.equals(payloads[1]!)).toBe(true);
    }
  }, SLOW_MS);

  it('rejects unknown and out-of-range hyperparameters', () => {
    for (const hyperparams of [{ eta: 0.1 }, { subsample: 1.5 }, { max_depth: -1 }, { objective: 'reg:squarederror' }, { num_parallel_tree: 'x' }]) {
      expect(() => fit(iris, 'classification', 'xgboost', hyperparams)).toThrow(expect.objectContaining({ code: 'INVALID_HYPERPARAMETER' }));
    }
    expect(() => fit(diabetes, 'regression', 'xgboost_random_forest', { num_parallel_tree: 3 })).toThrow(
      expect.objectContaining({ code: 'INVALID_HYPERPARAMETER' }),
    );
  });
});
