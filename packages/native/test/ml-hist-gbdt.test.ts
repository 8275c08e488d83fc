// Parity of the native histogram gradient boosting (HistGradientBoostingRegressor/Classifier) with scikit-learn
// 1.2.1, against references committed by scripts/references/hist_gbdt.py (no Python at test time). The native
// grower replays sklearn's binning, split search and early-stopping split, so besides the key metric (within 0.01
// or better) the iteration counts match and predictions agree closely.
import { f1, r2 as r2Score } from '@pgml-ts/core';
import { describe, expect, it } from 'vitest';

import { NativeModel, type NativeTask } from '../index.js';
import { loadSplit, readReferences } from './ml-fixtures.js';
import { caseLabel as label } from './ml-helpers.js';

interface Case {
  dataset: string;
  task: 'regression' | 'classification';
  algorithm: string;
  estimator: string;
  hyperparams: Record<string, number | boolean | null>;
  nIter: number[];
  testPredictions: number[] | number[][];
  testProba?: number[][];
  metrics: Record<string, number>;
}
const refs = readReferences<{ cases: Case[] }>('hist_gbdt.json');

interface Data {
  xTrain: Float64Array;
  yTrain: Float64Array;
  xTest: Float64Array;
  yTest: Float64Array;
  trainRows: number;
  testRows: number;
  features: number;
  targets: number;
  numClasses?: number;
}

const SYNTHETIC_ROWS = 12000;
const SYNTHETIC_FEATURES = 6;
const SYNTHETIC_TRAIN = 9000;

/** The 12 000-row sets of hist_gbdt.py's `synthetic`, from the same integer arithmetic (identical float64s). */
function synthetic(task: NativeTask): Data {
  const x = new Float64Array(SYNTHETIC_ROWS * SYNTHETIC_FEATURES);
  const y = new Float64Array(SYNTHETIC_ROWS);
  for (let i = 0; i < SYNTHETIC_ROWS; i++) {
    const row = (j: number) => ((i * (2 * j + 3) * 7919 + j * 104729) % 10007) / 10007;
    for (let j = 0; j < SYNTHETIC_FEATURES; j++) x[i * SYNTHETIC_FEATURES + j] = row(j);
    const [x0, x1, x2, x3] = [row(0), row(1), row(2), row(3)];
    const noise = ((i * 31) % 17) / 17;
    y[i] =
      task === 'regression'
        ? 3.0 * x0 + 2.0 * (x1 > 0.5 ? 1 : 0) - x2 * x3 + noise
        : (x0 + x1 + 0.5 * noise > 1.2 ? 1 : 0) + (x2 > 0.7 ? 1 : 0);
  }
  const n = SYNTHETIC_TRAIN;
  const p = SYNTHETIC_FEATURES;
  return {
    xTrain: x.slice(0, n * p),
    yTrain: y.slice(0, n),
    xTest: x.slice(n * p),
    yTest: y.slice(n),
    trainRows: n,
    testRows: SYNTHETIC_ROWS - n,
    features: p,
    targets: 1,
    numClasses: task === 'classification' ? 3 : undefined,
  };
}

function data(c: Case): Data {
  if (c.dataset.startsWith('synthetic')) return synthetic(c.task);
  const s = loadSplit(c.dataset);
  return { ...s, trainRows: s.info.trainRows, features: s.info.features, targets: s.info.targets, numClasses: s.info.numClasses };
}

async function fit(c: Case, d: Data) {
  return NativeModel.fitAsync({
    task: c.task,
    algorithm: c.algorithm,
    hyperparams: c.hyperparams,
    x: d.xTrain,
    rows: d.trainRows,
    cols: d.features,
    y: d.yTrain,
    yCols: d.targets,
    numClasses: d.numClasses,
  });
}

const maxAbsDiff = (a: ArrayLike<number>, b: number[]) => Math.max(...b.map((v, i) => Math.abs(a[i]! - v)));

describe('hist_gradient_boosting parity with scikit-learn', () => {
  for (const c of refs.cases) {
    it(label(c), async () => {
      const d = data(c);
      const { model, nIter } = await fit(c, d);
      expect(nIter).toBe(Math.max(...c.nIter));
      const pred = await model.predictAsync(d.xTest, d.testRows);
      if (c.task === 'regression') {
        const got = r2Score({ data: d.yTest, rows: d.testRows, cols: d.targets }, { data: pred, rows: d.testRows, cols: d.targets });
        const diff = maxAbsDiff(pred, c.testPredictions.flat());
        const scale = Math.max(...c.testPredictions.flat().map(Math.abs));
        console.info(`${label(c)}: r2 ${got.toFixed(4)} vs ${c.metrics.r2!.toFixed(4)}, max |Δpred| ${diff.toExponential(2)}`);
        expect(got).toBeGreaterThan(c.metrics.r2! - 0.01);
        expect(diff / scale).toBeLessThan(1e-6);
      } else {
        const got = f1(d.yTest, pred);
        const proba = await model.predictProbaAsync(d.xTest, d.testRows);
        const diff = maxAbsDiff(proba, c.testProba!.flat());
        const mismatches = pred.filter((v, i) => v !== c.testPredictions[i]).length;
        console.info(`${label(c)}: f1 ${got.toFixed(4)} vs ${c.metrics.f1!.toFixed(4)}, max |Δproba| ${diff.toExponential(2)}, ${mismatches} labels differ`);
        expect(got).toBeGreaterThan(c.metrics.f1! - 0.01);
        expect(diff).toBeLessThan(1e-6);
      }
    });
  }
});

describe('hist_gradient_boosting through the addon', () => {
  const s = loadSplit('wine');
  const input = {
    task: 'classification' as const,
    algorithm: 'hist_gradient_boosting',
    hyperparams: { max_iter: 5 },
    x: s.xTrain,
    rows: s.info.trainRows,
    cols: s.info.features,
    y: s.yTrain,
    numClasses: 3,
  };

  it('round-trips payloads bit-exactly and refuses truncated ones', () => {
    const { model } = NativeModel.fit(input);
    const bytes = model.toBytes();
    const back = NativeModel.fromBytes(bytes);
    expect(back.toBytes()).toEqual(bytes);
    expect(back.predictProba(s.xTest, s.testRows)).toEqual(model.predictProba(s.xTest, s.testRows));
    for (let cut = 0; cut < bytes.length; cut += 7) {
      expect(() => NativeModel.fromBytes(bytes.subarray(0, cut))).toThrow(expect.objectContaining({ code: 'CORRUPT_MODEL' }));
    }
  });

  it('rejects unsupported hyperparameters and single-class data with typed errors', () => {
    for (const hyperparams of [{ max_bins: 256 }, { categorical_features: 'auto' }, { early_stopping: 'yes' }, { n_estimators: 5 }]) {
      expect(() => NativeModel.fit({ ...input, hyperparams })).toThrow(expect.objectContaining({ code: 'INVALID_HYPERPARAMETER' }));
    }
    expect(() => NativeModel.fit({ ...input, y: new Float64Array(s.info.trainRows) })).toThrow(
      expect.objectContaining({ code: 'DATA_ERROR' }),
    );
  });
});
