/**
 * Deterministic synthetic sets (rows × 20 features, standard normal), generated from core's seeded PRNG so every
 * machine and every runner sees the same numbers. Regression: a linear signal plus a smooth non-linear term and
 * noise (so linear models and trees both have something to learn). Classification: 3 classes from the argmax of
 * noisy linear scores.
 */
import { createRng, type Matrix, type Rng } from '@pgml-ts/core';

export const SYNTHETIC_FEATURES = 20;
export const SYNTHETIC_CLASSES = 3;

function gaussian(rng: Rng): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    const u = rng.next() || Number.MIN_VALUE;
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * rng.next();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

function weights(normal: () => number, count: number): Float64Array {
  return Float64Array.from({ length: count }, () => normal());
}

export function syntheticRegression(rows: number, seed = 1): { x: Matrix; y: Matrix } {
  const normal = gaussian(createRng(seed));
  const cols = SYNTHETIC_FEATURES;
  const w = weights(normal, cols);
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const v = normal();
      x[i * cols + j] = v;
      s += v * w[j]!;
    }
    y[i] = s + 2 * Math.sin(2 * x[i * cols]!) + x[i * cols + 1]! * x[i * cols + 2]! + 0.5 * normal();
  }
  return { x: { data: x, rows, cols }, y: { data: y, rows, cols: 1 } };
}

export function syntheticClassification(rows: number, seed = 2): { x: Matrix; y: Matrix } {
  const normal = gaussian(createRng(seed));
  const cols = SYNTHETIC_FEATURES;
  const w = weights(normal, cols * SYNTHETIC_CLASSES);
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) x[i * cols + j] = normal();
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < SYNTHETIC_CLASSES; c++) {
      let s = 1.5 * normal();
      for (let j = 0; j < cols; j++) s += x[i * cols + j]! * w[c * cols + j]!;
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    y[i] = best;
  }
  return { x: { data: x, rows, cols }, y: { data: y, rows, cols: 1 } };
}
