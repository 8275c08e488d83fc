// Writes test/fixtures/ml/format-v1-*.bin (+ .json with the input and expected outputs): models serialized by
// payload format version 1. Run once per format version and commit the output; test/ml-format.test.ts then
// checks that every committed version still loads and predicts the same. Never regenerate an existing version.
// Usage: node scripts/make-format-fixtures.mjs   (after `pnpm --filter @pgml-ts/native build`)
import { writeFileSync } from 'node:fs';

import { NativeModel } from '../index.js';

const OUT = new URL('../test/fixtures/ml/', import.meta.url);
const VERSION = 1;

// Deterministic small data: 24 rows × 3 features, no RNG so the script is reproducible anywhere.
const rows = 24;
const cols = 3;
const x = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.7) * 2 + ((i * 37) % 11) / 5);
const row = (i) => x.subarray(i * cols, (i + 1) * cols);
const yReg = Float64Array.from({ length: rows * 2 }, (_, i) => {
  const r = row(i >> 1);
  return i % 2 === 0 ? 1.5 + r[0] - 2 * r[1] + 0.3 * r[2] : -0.5 * r[0] + r[2] + Math.cos(i);
});
// Three classes by tertile of a linear score, so the multinomial (3 coefficient rows) layout is covered.
const score = Array.from({ length: rows }, (_, i) => row(i)[0] - row(i)[1] + 0.5 * row(i)[2]);
const sorted = [...score].sort((a, b) => a - b);
const yCls = Float64Array.from(score, (s) => (s < sorted[rows / 3] ? 0 : s < sorted[(2 * rows) / 3] ? 1 : 2));

const cases = [
  {
    name: 'ridge',
    fit: { task: 'regression', algorithm: 'ridge', hyperparams: { alpha: 0.5 }, x, rows, cols, y: yReg, yCols: 2 },
  },
  {
    name: 'logistic',
    fit: { task: 'classification', algorithm: 'logistic', hyperparams: { C: 2 }, x, rows, cols, y: yCls, numClasses: 3 },
  },
];

for (const { name, fit } of cases) {
  const { model } = NativeModel.fit(fit);
  const base = `format-v${VERSION}-${name}`;
  writeFileSync(new URL(`${base}.bin`, OUT), model.toBytes());
  const expected = {
    formatVersion: VERSION,
    task: model.task,
    estimator: model.estimator,
    numFeatures: model.numFeatures,
    numOutputs: model.numOutputs,
    numClasses: model.numClasses ?? null,
    rows,
    x: Array.from(x),
    predictions: Array.from(model.predict(x, rows)),
    proba: fit.task === 'classification' ? Array.from(model.predictProba(x, rows)) : null,
  };
  writeFileSync(new URL(`${base}.json`, OUT), `${JSON.stringify(expected, null, 2)}\n`);
  console.log(`${base}: ${model.toBytes().length} bytes`);
}
