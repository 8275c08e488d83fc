// How the model functions take X and y: a sync call reads a Float64Array in place, an async call works on its own
// copy (so the caller may overwrite or transfer its arrays at once); the result is the same as from number[] or a
// Float32Array; detached buffers are INVALID_ARGUMENT, resizable ones are read like any other; NaN is a missing value
// for hist_gradient_boosting and a DATA_ERROR elsewhere.
import { describe, expect, it } from 'vitest';

import { dotProduct, NativeModel, nativeAlgorithms, type NativeFitInput } from '../index.js';

/** rows × cols values that f32 holds exactly (multiples of 1/64), so every input kind carries the same numbers. */
function grid(rows: number, cols: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, (_, k) => (((k * 7919 + Math.floor(k / cols) * 104729) % 257) - 128) / 64);
}

function detach(array: Float64Array): void {
  structuredClone(array.buffer, { transfer: [array.buffer as ArrayBuffer] });
}

describe('model inputs', () => {
  const rows = 60;
  const cols = 4;
  const x = grid(rows, cols);
  const targets = {
    regression: Float64Array.from({ length: rows }, (_, i) => x[i * cols]! * 2 - x[i * cols + 1]! + (i % 3) / 4),
    classification: Float64Array.from({ length: rows }, (_, i) => (x[i * cols]! + x[i * cols + 2]! > 0 ? 1 : 0) + (i % 5 === 0 ? 1 : 0)),
  };

  it('gives the same model and predictions from a Float64Array, a view at an offset, a Float32Array and number[], sync and async, for every algorithm', async () => {
    const padded = new Float64Array(rows * cols + 5);
    padded.set(x, 3);
    const kinds = { float64: x, offsetView: padded.subarray(3, 3 + rows * cols), float32: Float32Array.from(x), numbers: Array.from(x) };
    for (const row of nativeAlgorithms()) {
      // Deterministic, small ensembles (xgboost's OpenMP threads crawl on a loaded machine), SVC with probabilities.
      const wanted = { random_state: 0, n_estimators: 5, n_jobs: 1, probability: true };
      const hyperparams = Object.fromEntries(Object.entries(wanted).filter(([name]) => name in row.hyperparams));
      const y = row.task === 'regression' || row.task === 'classification' ? Array.from(targets[row.task]) : undefined;
      const base = { task: row.task, algorithm: row.algorithm, hyperparams, rows, cols, y, numClasses: row.task === 'classification' ? 3 : 0 };
      const reference = NativeModel.fit({ ...base, x: kinds.numbers });
      const bytes = reference.model.toBytes();
      const predicted = reference.model.predict(kinds.numbers, rows);
      for (const [kind, input] of Object.entries(kinds)) {
        const label = `${row.task} ${row.algorithm} from ${kind}`;
        const yTyped = y && Float64Array.from(y);
        for (const fitted of [NativeModel.fit({ ...base, x: input as Float64Array, y: yTyped }), await NativeModel.fitAsync({ ...base, x: input as Float64Array, y: yTyped })]) {
          expect(fitted.model.toBytes(), label).toEqual(bytes);
          expect(fitted.model.predict(input as Float64Array, rows), label).toEqual(predicted);
          expect(await fitted.model.predictAsync(input as Float64Array, rows), label).toEqual(predicted);
          if (row.predictProba) {
            const proba = reference.model.predictProba(kinds.numbers, rows);
            expect(fitted.model.predictProba(input as Float64Array, rows), label).toEqual(proba);
            expect(await fitted.model.predictProbaAsync(input as Float64Array, rows), label).toEqual(proba);
          }
        }
      }
    }
  }, 120_000);

  it('async calls work on their own copy: the caller may overwrite or transfer its inputs right after the call', async () => {
    const big = { rows: 200_000, cols: 20 };
    const make = () => {
      const xs = grid(big.rows, big.cols);
      return { x: xs, y: Float64Array.from({ length: big.rows }, (_, i) => xs[i * big.cols]! - 0.5 * xs[i * big.cols + 3]! + (i % 7) / 8) };
    };
    const input = (data: { x: Float64Array; y: Float64Array }): NativeFitInput => ({ task: 'regression', algorithm: 'ridge', ...big, ...data });
    const expected = NativeModel.fit(input(make())).model;
    const overwritten = make();
    const fitting = NativeModel.fitAsync(input(overwritten));
    overwritten.x.fill(Number.NaN);
    detach(overwritten.y);
    const { model } = await fitting;
    expect(model.toBytes()).toEqual(expected.toBytes());
    const probe = make().x;
    const expectedPrediction = expected.predict(probe, big.rows);
    const predicting = model.predictAsync(probe, big.rows);
    detach(probe);
    expect(await predicting).toEqual(expectedPrediction);
  }, 60_000);

  it('refuses views of detached ArrayBuffers with INVALID_ARGUMENT, sync and async', async () => {
    const { model } = NativeModel.fit({ task: 'regression', algorithm: 'ridge', x, rows, cols, y: targets.regression });
    const detached = x.slice();
    detach(detached);
    const invalid = expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('detached') });
    const fitInput = { task: 'regression' as const, algorithm: 'ridge', x: detached, rows, cols, y: targets.regression };
    expect(() => NativeModel.fit(fitInput)).toThrow(invalid);
    await expect(NativeModel.fitAsync(fitInput)).rejects.toEqual(invalid);
    const detachedY = targets.regression.slice();
    detach(detachedY);
    await expect(NativeModel.fitAsync({ ...fitInput, x, y: detachedY })).rejects.toEqual(invalid);
    expect(() => model.predict(detached, rows)).toThrow(invalid);
    await expect(model.predictAsync(detached, rows)).rejects.toEqual(invalid);
    // The vector functions share the argument parsing.
    expect(() => dotProduct(detached, detached)).toThrow(invalid);
  });

  it('reads views of resizable ArrayBuffers, sync and async', async () => {
    // ES2024 resizable ArrayBuffer (Node 20 has it; this package's TypeScript lib predates it).
    const ResizableArrayBuffer = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
    const resizable = new Float64Array(new ResizableArrayBuffer(x.byteLength, { maxByteLength: 2 * x.byteLength }));
    resizable.set(x);
    const input = { task: 'regression' as const, algorithm: 'ridge', x: resizable, rows, cols, y: targets.regression };
    const expected = NativeModel.fit({ ...input, x });
    const { model } = NativeModel.fit(input);
    expect(model.toBytes()).toEqual(expected.model.toBytes());
    expect(model.predict(resizable, rows)).toEqual(expected.model.predict(x, rows));
    expect((await NativeModel.fitAsync(input)).model.toBytes()).toEqual(expected.model.toBytes());
    expect(await model.predictAsync(resizable, rows)).toEqual(expected.model.predict(x, rows));
  });
});

describe('NaN in X', () => {
  // 600 × 4 with NaN in feature 0 every 5th row and in feature 2 every 7th; the targets depend on where NaN is.
  const rows = 600;
  const cols = 4;
  const x = new Float64Array(rows * cols);
  const yr = new Float64Array(rows);
  const yc = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) x[i * cols + j] = ((i * (2 * j + 3) * 7919 + j * 104729) % 1009) / 1009;
    if (i % 5 === 0) x[i * cols] = Number.NaN;
    if (i % 7 === 3) x[i * cols + 2] = Number.NaN;
    const a = Number.isNaN(x[i * cols]!) ? 2 : x[i * cols]!;
    yr[i] = 3 * a + (x[i * cols + 1]! > 0.5 ? 1 : 0) + ((i * 31) % 17) / 17;
    yc[i] = (a + x[i * cols + 1]! > 1.1 ? 1 : 0) + (Number.isNaN(x[i * cols + 2]!) ? 1 : 0);
  }
  const nan = Number.NaN;
  const probe = Float64Array.from([nan, 0.2, 0.5, 0.5, nan, 0.8, nan, 0.1, 0.3, 0.7, nan, 0.9, 0.9, 0.1, 0.4, 0.2, nan, nan, nan, nan, 0.5, 0.5, 0.5, 0.5]);
  // scikit-learn 1.2.1 on the same arrays (x, yr, yc written as raw f64; nan = np.nan):
  //   HistGradientBoostingRegressor().fit(x, yr).predict(probe)
  //   HistGradientBoostingClassifier().fit(x, yc).predict_proba(probe).round(12)
  const sklearnPredictions = [6.379258613464126, 7.515600849348041, 2.3616411263684958, 3.508109608395717, 6.844574057859204, 2.5722020643448014];
  const sklearnProba = [
    [2.361989e-6, 0.999995830181, 1.80783e-6],
    [2.5764e-8, 2.60178e-6, 0.999997372455],
    [1.9842555e-5, 0.997491383899, 0.002488773546],
    [0.999731883522, 0.000268111122, 5.356e-9],
    [9.4759e-8, 4.170381e-6, 0.999995734861],
    [0.128489251845, 0.871509813021, 9.35134e-7],
  ];

  it('is a missing value for hist_gradient_boosting, in fit and predict, sync and async, as in scikit-learn', async () => {
    const regression = { task: 'regression' as const, algorithm: 'hist_gradient_boosting', x, rows, cols, y: yr };
    const classification = { task: 'classification' as const, algorithm: 'hist_gradient_boosting', x, rows, cols, y: yc, numClasses: 3 };
    for (const { model } of [NativeModel.fit(regression), await NativeModel.fitAsync(regression)]) {
      for (const predicted of [model.predict(probe, 6), await model.predictAsync(probe, 6)]) {
        Array.from(predicted).forEach((v, i) => expect(v).toBeCloseTo(sklearnPredictions[i]!, 9));
      }
    }
    for (const { model } of [NativeModel.fit(classification), await NativeModel.fitAsync(classification)]) {
      for (const proba of [model.predictProba(probe, 6), await model.predictProbaAsync(probe, 6)]) {
        Array.from(proba).forEach((v, k) => expect(v).toBeCloseTo(sklearnProba[Math.floor(k / 3)]![k % 3]!, 9));
      }
    }
  }, 60_000);

  it('is a DATA_ERROR for every other algorithm, and ±Infinity and NaN targets are for all', async () => {
    const dataError = (what: string) => expect.objectContaining({ code: 'DATA_ERROR', message: expect.stringContaining(what) });
    const ridge = { task: 'regression' as const, algorithm: 'ridge', x, rows, cols, y: yr };
    expect(() => NativeModel.fit(ridge)).toThrow(dataError('X contains NaN at row 0, column 0; Ridge needs finite values'));
    await expect(NativeModel.fitAsync(ridge)).rejects.toEqual(dataError('X contains NaN at row 0, column 0'));
    const { model } = NativeModel.fit({ ...ridge, x: x.map((v) => (Number.isNaN(v) ? 0 : v)) });
    expect(() => model.predict(probe, 6)).toThrow(dataError('X contains NaN at row 0, column 0'));
    await expect(model.predictAsync(probe, 6)).rejects.toEqual(dataError('X contains NaN at row 0, column 0'));
    const rejecting = nativeAlgorithms().filter((a) => a.algorithm !== 'hist_gradient_boosting');
    for (const row of rejecting) {
      const fit = () => NativeModel.fit({ task: row.task, algorithm: row.algorithm, x, rows, cols, y: row.task === 'classification' ? yc : yr, numClasses: 3 });
      expect(fit, `${row.task} ${row.algorithm}`).toThrow(dataError('X contains NaN'));
    }
    const hist = { task: 'regression' as const, algorithm: 'hist_gradient_boosting', x, rows, cols, y: yr };
    const infinite = x.slice();
    infinite[9] = Number.NEGATIVE_INFINITY;
    expect(() => NativeModel.fit({ ...hist, x: infinite })).toThrow(dataError('X contains -inf at row 2, column 1; HistGradientBoostingRegressor takes NaN as missing but no infinite values'));
    const nanTarget = yr.slice();
    nanTarget[4] = Number.NaN;
    await expect(NativeModel.fitAsync({ ...hist, y: nanTarget })).rejects.toEqual(dataError('y contains NaN at row 4'));
  });
});
