// The native tree family (DecisionTree, RandomForest, ExtraTrees, GradientBoosting) grows scikit-learn 1.2.1's very
// trees for the same random_state: every reference case committed by scripts/references/trees.py (no Python at test
// time) — every hyperparameter the rows accept, on the bundled datasets and on synthetic sets with tied, constant,
// duplicated and differently scaled features, several targets, an absent class — must give sklearn's test
// predictions and probabilities to 1e-12 (relative). Gradient boosting classifiers go through numpy's exp and log,
// whose last bits depend on the CPU; they are held to references generated on a like CPU only.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { NativeModel, type NativeTask } from '../index.js';
import { close } from './helpers.js';
import { loadSplit, loadSplitOf, readReferences, type DatasetInfo, type Split } from './ml-fixtures.js';
import { caseLabel as label, splitFitInput } from './ml-helpers.js';

interface Case {
  dataset: string;
  task: NativeTask;
  algorithm: string;
  estimator: string;
  hyperparams: Record<string, number | string | boolean | null>;
  testPredictions: number[] | number[][];
  /** Rows × declared classes (digits: its first rows only). */
  testProba?: number[][];
}
const refs = readReferences<{ numpyMath: 'svml' | 'libm'; datasets: Record<string, DatasetInfo>; cases: Case[] }>('trees.json');
const TOLERANCE = 1e-12;

/** numpy's float64 exp/log on this CPU: SVML's kernels with AVX-512 (F, CD, BW, DQ, VL), else the C library. */
function numpyMath(): 'svml' | 'libm' {
  let flags: string[] = [];
  try {
    flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
  } catch {
    // Not Linux: numpy's SVML build is Linux-only.
  }
  return ['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => flags.includes(f)) ? 'svml' : 'libm';
}
const sameNumpyMath = numpyMath() === refs.numpyMath;

function split(dataset: string): Split {
  const own = refs.datasets[dataset];
  return own ? loadSplitOf(own) : loadSplit(dataset);
}

/** How many of `actual` are not within TOLERANCE (relative) of `expected`, and the largest relative difference. */
function compare(actual: ArrayLike<number>, expected: number[]): { off: number; worst: number } {
  expect(actual.length).toBe(expected.length);
  let off = 0;
  let worst = 0;
  expected.forEach((want, i) => {
    const got = actual[i]!;
    if (!close(got, want, TOLERANCE, 0)) off++;
    if (got !== want) worst = Math.max(worst, want === 0 ? Infinity : Math.abs(got - want) / Math.abs(want));
  });
  return { off, worst };
}

describe('tree family: the same random_state grows scikit-learn 1.2.1\'s trees', () => {
  for (const ref of refs.cases) {
    const usesNumpyMath = ref.algorithm === 'gradient_boosting_trees' && ref.task === 'classification';
    it.skipIf(usesNumpyMath && !sameNumpyMath)(label(ref), async () => {
      const s = split(ref.dataset);
      const { model } = await NativeModel.fitAsync(splitFitInput(s, ref.task, ref.algorithm, ref.hyperparams));
      const pred = compare(await model.predictAsync(s.xTest, s.testRows), ref.testPredictions.flat());
      let proba = { off: 0, worst: 0 };
      if (ref.testProba) {
        const rows = ref.testProba.length;
        const k = s.info.numClasses!;
        proba = compare(model.predictProba(s.xTest, s.testRows).subarray(0, rows * k), ref.testProba.flat());
      }
      if (pred.worst > 0 || proba.worst > 0) {
        console.info(`${label(ref)}: largest relative difference ${pred.worst.toExponential(2)} (predictions), ${proba.worst.toExponential(2)} (probabilities)`);
      }
      expect(pred.off).toBe(0);
      expect(proba.off).toBe(0);
    }, 120_000);
  }
});

describe('tree models as payloads and typed errors', () => {
  const iris = loadSplit('iris');
  const fit = (algorithm: string, hyperparams: Record<string, unknown> = {}) =>
    NativeModel.fit({
      task: 'classification',
      algorithm,
      hyperparams: { random_state: 1, ...hyperparams },
      x: iris.xTrain,
      rows: iris.info.trainRows,
      cols: iris.info.features,
      y: iris.yTrain,
      numClasses: 3,
    }).model;

  it('round trips bit-exactly and rejects truncated or altered payloads', () => {
    for (const algorithm of ['decision_tree', 'random_forest', 'extra_trees', 'gradient_boosting_trees']) {
      const model = fit(algorithm, algorithm === 'decision_tree' ? {} : { n_estimators: 10 });
      const bytes = model.toBytes();
      const back = NativeModel.fromBytes(bytes);
      expect(Buffer.from(back.toBytes()).equals(Buffer.from(bytes))).toBe(true);
      expect(back.predictProba(iris.xTest, iris.testRows)).toEqual(model.predictProba(iris.xTest, iris.testRows));
      for (const cut of [9, bytes.length >> 1, bytes.length - 1]) {
        expect(() => NativeModel.fromBytes(bytes.slice(0, cut))).toThrow(expect.objectContaining({ code: 'CORRUPT_MODEL' }));
      }
      // A first node pointing at a child before itself is not a tree.
      const cyclic = bytes.slice();
      const view = new DataView(cyclic.buffer);
      const firstNode = algorithm === 'gradient_boosting_trees' ? -1 : 8 + 16 + 8;
      if (firstNode > 0) {
        view.setUint32(firstNode + 8, 0, true); // feature 0
        view.setUint32(firstNode + 12, 0, true); // child 0: itself
        expect(() => NativeModel.fromBytes(cyclic)).toThrow(expect.objectContaining({ code: 'CORRUPT_MODEL' }));
      }
    }
  });

  it('rejects out-of-range and unimplemented hyperparameters with INVALID_HYPERPARAMETER', () => {
    for (const [algorithm, hyperparams] of [
      ['random_forest', { n_estimators: 0 }],
      ['random_forest', { max_features: 2.5 }],
      ['random_forest', { oob_score: true }],
      ['decision_tree', { criterion: 'absolute_error' }],
      ['decision_tree', { ccp_alpha: 0.01 }],
      ['extra_trees', { max_samples: 0.5 }],
      ['gradient_boosting_trees', { n_iter_no_change: 3 }],
      ['gradient_boosting_trees', { max_depht: 3 }],
    ] as const) {
      expect(() => fit(algorithm, hyperparams)).toThrow(expect.objectContaining({ code: 'INVALID_HYPERPARAMETER' }));
    }
  });

  it('draws a new seed for each fit without random_state (as sklearn\'s global random state), repeats with one', () => {
    const diabetes = loadSplit('diabetes');
    const fitForest = (hyperparams: Record<string, unknown>) =>
      NativeModel.fit(splitFitInput(diabetes, 'regression', 'extra_trees', { n_estimators: 5, ...hyperparams })).model.predict(diabetes.xTest, diabetes.testRows);
    expect(fitForest({})).not.toEqual(fitForest({}));
    expect(fitForest({ random_state: 4 })).toEqual(fitForest({ random_state: 4 }));
  });

  it('fits a single class like sklearn (trees) or refuses it (boosting)', () => {
    const x = Float64Array.from([1, 2, 3, 4]);
    const y = Float64Array.from([1, 1, 1, 1]);
    const input = { task: 'classification' as const, x, rows: 4, cols: 1, y, numClasses: 2 };
    const { model } = NativeModel.fit({ ...input, algorithm: 'random_forest', hyperparams: { n_estimators: 3 } });
    expect(Array.from(model.predict(x, 4))).toEqual([1, 1, 1, 1]);
    expect(() => NativeModel.fit({ ...input, algorithm: 'gradient_boosting_trees' })).toThrow(
      expect.objectContaining({ code: 'DATA_ERROR' }),
    );
  });
});
