// Parity of the native clustering/decomposition family (KMeans, MiniBatchKMeans, PCA) with scikit-learn 1.2.1,
// against references committed by scripts/references/cluster.py (no Python at test time). The key metrics are the
// ones core computes on held-out rows: silhouette of the test rows' clusters, cumulative explained variance.
import { cumulativeExplainedVariance, silhouette, totalVariance } from '@pgml-ts/core';
import { describe, expect, it } from 'vitest';

import { NativeModel } from '../index.js';
import { loadSplit, readReferences, type Split } from './ml-fixtures.js';

interface ClusterCase {
  dataset: string;
  task: 'clustering';
  algorithm: string;
  hyperparams: Record<string, number | string>;
  centers: number[][];
  inertia: number;
  trainLabels: number[];
  testLabels: number[];
  metrics: { silhouette: number; trainSilhouette: number };
}
interface PcaCase {
  dataset: string;
  task: 'decomposition';
  algorithm: 'pca';
  hyperparams: Record<string, number | boolean>;
  nComponents: number;
  svdSolver: string;
  mean: number[];
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  testTransform: number[][];
  metrics: { cumulative_explained_variance: number; trainCumulativeExplainedVariance: number };
}
const refs = readReferences<{ cases: (ClusterCase | PcaCase)[] }>('cluster.json');
const label = (c: { dataset: string; algorithm: string; hyperparams: object }) =>
  `${c.dataset} ${c.algorithm}(${JSON.stringify(c.hyperparams)})`;

async function fit(s: Split, task: 'clustering' | 'decomposition', algorithm: string, hyperparams: object) {
  const { model } = await NativeModel.fitAsync({
    task,
    algorithm,
    hyperparams: hyperparams as Record<string, unknown>,
    x: s.xTrain,
    rows: s.info.trainRows,
    cols: s.info.features,
  });
  return model;
}

const matrix = (data: Float64Array, cols: number) => ({ data, rows: data.length / cols, cols });

/** Reads f64 arrays from the payload body after `skip` bytes of u32 fields. */
function f64sAt(bytes: Uint8Array, at: number, n: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: n }, (_, i) => view.getFloat64(at + 8 * i, true));
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('clustering parity with scikit-learn', () => {
  for (const ref of refs.cases.filter((c): c is ClusterCase => c.task === 'clustering')) {
    it(label(ref), async () => {
      const s = loadSplit(ref.dataset);
      const model = await fit(s, 'clustering', ref.algorithm, ref.hyperparams);
      expect(model.numOutputs).toBe(1);
      const test = model.predict(s.xTest, s.testRows);
      const score = silhouette(matrix(s.xTest, s.info.features), test);
      const train = model.predict(s.xTrain, s.info.trainRows);
      const trainScore = silhouette(matrix(s.xTrain, s.info.features), train);
      const agreeing = train.filter((l, i) => l === ref.trainLabels[i]).length / train.length;
      console.info(
        `${label(ref)}: silhouette native ${score.toFixed(4)} sklearn ${ref.metrics.silhouette.toFixed(4)}; ` +
          `train ${trainScore.toFixed(4)} vs ${ref.metrics.trainSilhouette.toFixed(4)}; same train labels ${(100 * agreeing).toFixed(2)}%`,
      );
      expect(score).toBeGreaterThan(ref.metrics.silhouette - 0.01);
      expect(trainScore).toBeGreaterThan(ref.metrics.trainSilhouette - 0.01);
      if (ref.algorithm === 'kmeans') {
        // Same seeding draws, same Lloyd iterations: the same clustering and centers — up to rounding, which on
        // integer-valued digits can tip a point equidistant from two centers and end in a neighbouring optimum.
        expect(agreeing).toBeGreaterThan(0.995);
        const bytes = model.toBytes();
        const k = ref.centers.length;
        const inertia = f64sAt(bytes, 16 + 8 * k * s.info.features, 1)[0]!;
        if (agreeing === 1) {
          expect(maxAbsDiff(f64sAt(bytes, 16, k * s.info.features), ref.centers.flat())).toBeLessThan(1e-8);
          expect(Math.abs(inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-10);
        } else {
          // The neighbouring optimum is as good a clustering: its inertia within 0.1% of scikit-learn's.
          expect(Math.abs(inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-3);
        }
      }
    });
  }
});

describe('PCA parity with scikit-learn', () => {
  for (const ref of refs.cases.filter((c): c is PcaCase => c.task === 'decomposition')) {
    it(label(ref), async () => {
      const s = loadSplit(ref.dataset);
      const model = await fit(s, 'decomposition', 'pca', ref.hyperparams);
      const p = s.info.features;
      const k = ref.nComponents;
      expect(model.numOutputs).toBe(k);
      const bytes = model.toBytes();
      const at = 8 + 12;
      const components = f64sAt(bytes, at + 8 * p, k * p);
      const variance = f64sAt(bytes, at + 8 * p + 8 * k * p, k);
      const ratio = f64sAt(bytes, at + 8 * p + 8 * k * p + 8 * k, k);
      const transformed = model.predict(s.xTest, s.testRows);
      const metric = cumulativeExplainedVariance(
        columnVariances(transformed, k),
        totalVariance(matrix(s.xTest, p)),
      );
      // Components of (numerically) zero variance span the null space of X − mean: any basis is right, and LAPACK's
      // choice there is rounding noise. Compare the components that carry variance.
      const informative = ref.explainedVarianceRatio.filter((r) => r > 1e-12).length;
      const diff = maxAbsDiff(components.slice(0, informative * p), ref.components.flat().slice(0, informative * p));
      console.info(
        `${label(ref)}: cumulative explained variance native ${metric.toFixed(6)} sklearn ` +
          `${ref.metrics.cumulative_explained_variance.toFixed(6)}; max component diff ${diff.toExponential(2)} ` +
          `(sklearn solver ${ref.svdSolver})`,
      );
      expect(Math.abs(metric - ref.metrics.cumulative_explained_variance)).toBeLessThan(0.01);
      expect(Math.abs(ratio.reduce((a, b) => a + b, 0) - ref.metrics.trainCumulativeExplainedVariance)).toBeLessThan(1e-10);
      if (ref.svdSolver === 'full') {
        expect(diff).toBeLessThan(1e-8);
        expect(maxAbsDiff(variance, ref.explainedVariance) / ref.explainedVariance[0]!).toBeLessThan(1e-10);
        expect(maxAbsDiff(ratio, ref.explainedVarianceRatio)).toBeLessThan(1e-10);
        if (informative === k) {
          const scale = Math.max(...ref.testTransform.flat().map(Math.abs));
          expect(maxAbsDiff(transformed, ref.testTransform.flat()) / scale).toBeLessThan(1e-8);
        }
      }
    });
  }
});

function columnVariances(data: Float64Array, cols: number): Float64Array {
  const rows = data.length / cols;
  const out = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += data[i * cols + j]!;
    mean /= rows;
    let ss = 0;
    for (let i = 0; i < rows; i++) ss += (data[i * cols + j]! - mean) ** 2;
    out[j] = ss / (rows - 1);
  }
  return out;
}
