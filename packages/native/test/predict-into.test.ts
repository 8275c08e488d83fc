// The allocation-free single-row path: predictInto / predictProbaInto / FeaturePreprocessor.applyInto write exactly
// what predict / predictProba / apply return, into the caller's Float64Array; a wrong length, an aliasing output or
// a non-Float64Array input are typed errors; inlineRows is false only where a call has a large fixed cost (XGBoost).
import { describe, expect, it } from 'vitest';
import { FeaturePreprocessor, NativeModel, TableDecoder } from '../index.js';
import { copyStream, float8 } from '../../core/test/db/copy-builder.js';

const rows = 80;
const cols = 3;
const x = Float64Array.from({ length: rows * cols }, (_, k) => (((k * 7919) % 257) - 128) / 64);
const y = Float64Array.from({ length: rows }, (_, i) => x[i * cols]! * 2 - x[i * cols + 1]! + (i % 3) / 4);
const labels = Float64Array.from({ length: rows }, (_, i) => (x[i * cols]! + x[i * cols + 2]! > 0 ? 1 : 0));

function fit(task: 'regression' | 'classification', algorithm: string, hyperparams: Record<string, unknown> = {}): NativeModel {
  return NativeModel.fit({ task, algorithm, hyperparams, x, y: task === 'regression' ? y : labels, rows, cols, numClasses: task === 'classification' ? 2 : 0 }).model;
}

describe('predictInto', () => {
  it.each([
    ['linear', {}],
    ['random_forest', { n_estimators: 5, random_state: 1 }],
    ['xgboost', { n_estimators: 5, n_jobs: 1 }],
  ] as const)('%s: equals predict for every row, bit for bit', (algorithm, hyperparams) => {
    const model = fit('regression', algorithm, hyperparams);
    expect(model.inlineRows).toBe(algorithm !== 'xgboost');
    const expected = model.predict(x, rows);
    const out = new Float64Array(1);
    for (let r = 0; r < rows; r++) {
      model.predictInto(x.subarray(r * cols, (r + 1) * cols), 1, out);
      expect(Object.is(out[0], expected[r])).toBe(true);
    }
    const all = new Float64Array(rows);
    model.predictInto(x, rows, all);
    expect(all).toEqual(expected);
  });

  it('predictProbaInto equals predictProba', () => {
    const model = fit('classification', 'logistic');
    const out = new Float64Array(rows * 2);
    model.predictProbaInto(x, rows, out);
    expect(out).toEqual(model.predictProba(x, rows));
  });

  it('refuses a wrong output length, an output aliasing the input, and inputs that are not Float64Arrays', () => {
    const model = fit('regression', 'linear');
    const row = x.slice(0, cols);
    expect(() => model.predictInto(row, 1, new Float64Array(2))).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    const shared = new Float64Array(cols + 1);
    shared.set(row);
    expect(() => model.predictInto(shared.subarray(0, cols), 1, shared.subarray(1, 2))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => model.predictInto([...row] as unknown as Float64Array, 1, new Float64Array(1))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => model.predictInto(row, 1, new Float32Array(1) as unknown as Float64Array)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('FeaturePreprocessor.applyInto', () => {
  it('writes what apply returns, and checks the output', async () => {
    // One numeric column standardized: fitted on a decoded table as the data path does.
    const decoder = new TableDecoder([{ name: 'v', type: 'float8', role: 'feature' }]);
    decoder.push(copyStream([1, 2, 3, 4].map((v) => [float8(v)])));
    const table = decoder.finish();
    const state = await table.fitPreprocessor([{ encode: 'native', impute: 'error', scale: 'standard' }], Uint32Array.of(0, 1, 2, 3));
    const preprocessor = new FeaturePreprocessor(state);
    const raw = Float64Array.of(2.5, 7);
    const out = new Float64Array(2);
    preprocessor.applyInto(raw, 2, out);
    expect(out).toEqual(preprocessor.apply(raw, 2));
    expect(() => preprocessor.applyInto(raw, 2, new Float64Array(3))).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    expect(() => preprocessor.applyInto(raw, 2, raw)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
