// Parity of native Lasso and ElasticNet (coordinate descent) with scikit-learn 1.2.1, against references committed
// by scripts/references/linear_sparse.py (no Python at test time): same algorithm and stopping rule, so the same
// coefficients to 1e-6 relative, the same iteration counts, and the same test r2.
import { describe, expect, it } from 'vitest';

import { NativeModel } from '../index.js';
import { loadSplit, readReferences } from './ml-fixtures.js';
import { caseLabel as label, splitFitInput, testR2 } from './ml-helpers.js';

interface Case {
  dataset: string;
  algorithm: string;
  estimator: string;
  hyperparams: Record<string, number | string | boolean>;
  coef: number[][];
  intercept: number[];
  nIter: number[];
  converged: boolean;
  testPredictions: number[] | number[][];
  metrics: { r2: number };
}
const refs = readReferences<{ cases: Case[] }>('linear_sparse.json');

/** Per-target coefficients and intercepts from the payload: u32 n_targets, then per target the LinearModel body
 * (u32 n_features, u32 n_outputs = 1, f64 coef[n_features], f64 intercept). */
function parameters(model: NativeModel): { coef: number[][]; intercept: number[] } {
  const bytes = model.toBytes();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const targets = view.getUint32(8, true);
  let at = 12;
  const coef: number[][] = [];
  const intercept: number[] = [];
  for (let t = 0; t < targets; t++) {
    const features = view.getUint32(at, true);
    at += 8;
    coef.push(Array.from({ length: features }, (_, i) => view.getFloat64(at + 8 * i, true)));
    at += 8 * features;
    intercept.push(view.getFloat64(at, true));
    at += 8;
  }
  return { coef, intercept };
}

describe('Lasso / ElasticNet parity with scikit-learn', () => {
  for (const ref of refs.cases) {
    it(label(ref), async () => {
      const s = loadSplit(ref.dataset);
      const { model, nIter, converged } = await NativeModel.fitAsync(splitFitInput(s, 'regression', ref.algorithm, ref.hyperparams));
      const { coef, intercept } = parameters(model);
      const expected = [...ref.coef.flat(), ...ref.intercept];
      const got = [...coef.flat(), ...intercept];
      expect(got.length).toBe(expected.length);
      const scale = Math.max(...expected.map(Math.abs));
      // Relative to each value, with the largest coefficient as the floor for the ones that are (near) zero.
      const diff = Math.max(...got.map((v, i) => Math.abs(v - expected[i]!) / Math.max(Math.abs(expected[i]!), 1e-3 * scale)));
      const pred = await model.predictAsync(s.xTest, s.testRows);
      const r2 = testR2(s, pred);
      console.info(`${label(ref)}: max relative coefficient diff ${diff.toExponential(2)}; r2 ${r2.toFixed(6)} vs ${ref.metrics.r2.toFixed(6)}`);
      expect(diff).toBeLessThan(1e-6);
      // Sparsity pattern: exact zeros where sklearn's are.
      expect(coef.flat().map((v) => v === 0)).toEqual(ref.coef.flat().map((v) => v === 0));
      expect(nIter).toBe(Math.max(...ref.nIter));
      expect(converged).toBe(ref.converged);
      expect(r2).toBeCloseTo(ref.metrics.r2, 9);
    });
  }
});
