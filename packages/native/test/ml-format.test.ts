// Models serialized by older payload format versions must keep loading (issue 5). The fixtures were written once by
// scripts/make-format-fixtures.mjs with the build of their version and are never regenerated.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { NativeModel, type NativeTask } from '../index.js';

const FIXTURES = new URL('./fixtures/ml/', import.meta.url);

interface Expected {
  formatVersion: number;
  task: NativeTask;
  estimator: string;
  numFeatures: number;
  numOutputs: number;
  numClasses: number | null;
  rows: number;
  x: number[];
  predictions: number[];
  proba: number[] | null;
}

const names = readdirSync(FIXTURES)
  .filter((f) => /^format-v\d+-.+\.bin$/.test(f))
  .map((f) => f.slice(0, -'.bin'.length));

function expectClose(got: ArrayLike<number>, want: number[]) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want[i]!)));
  }
}

describe('committed payloads of earlier format versions', () => {
  it('has a ridge and a logistic fixture of format 1', () => {
    expect(names).toEqual(expect.arrayContaining(['format-v1-ridge', 'format-v1-logistic']));
  });

  for (const name of names) {
    it(`${name} loads, predicts as when it was saved, and re-serializes byte-identically`, () => {
      const bytes = new Uint8Array(readFileSync(new URL(`${name}.bin`, FIXTURES)));
      const expected = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Expected;
      const model = NativeModel.fromBytes(bytes);
      expect(model.task).toBe(expected.task);
      expect(model.estimator).toBe(expected.estimator);
      expect(model.numFeatures).toBe(expected.numFeatures);
      expect(model.numOutputs).toBe(expected.numOutputs);
      expect(model.numClasses ?? null).toBe(expected.numClasses);
      const x = Float64Array.from(expected.x);
      expectClose(model.predict(x, expected.rows), expected.predictions);
      if (expected.proba) expectClose(model.predictProba(x, expected.rows), expected.proba);
      if (expected.formatVersion === 1) expect(model.toBytes()).toEqual(bytes);
    });
  }
});
