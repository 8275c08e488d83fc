// Native timings for the SVM family on the data scripts/speed/svm.py writes (run that first, with /usr/bin/python3;
// it prints sklearn's numbers). Prints one JSON line per case: {case, fit_s, predict_s}. Memory: run with
// `--memory <case>` to fit that one case in this process and report maxRSS (process.resourceUsage()).
import { readFileSync } from 'node:fs';

import { NativeModel } from '../../index.js';

const DIR = '/tmp/pgml-svm-speed';
const f64 = (name) => {
  const buf = readFileSync(`${DIR}/${name}.f64`);
  return new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
};
const seconds = (t) => Number(process.hrtime.bigint() - t) / 1e9;

function timed(c, input, xPredict, rowsPredict) {
  let t = process.hrtime.bigint();
  const { model } = NativeModel.fit(input);
  const fit = seconds(t);
  t = process.hrtime.bigint();
  model.predict(xPredict, rowsPredict);
  console.log(JSON.stringify({ case: c, fit_s: fit, predict_s: seconds(t) }));
}

const x = f64('x');
const yClass = f64('y_class');
const yReg = f64('y_reg');
const p = 20;
const small = 20_000;
const sub = (a, rows, cols = 1) => a.subarray(0, rows * cols);
const cases = {
  'synthetic SVC (20k fit)': () => timed('synthetic SVC (20k fit)', { task: 'classification', algorithm: 'svm', x: sub(x, small, p), rows: small, cols: p, y: sub(yClass, small), numClasses: 2 }, x, 100_000),
  'synthetic SVR (20k fit)': () => timed('synthetic SVR (20k fit)', { task: 'regression', algorithm: 'svm', x: sub(x, small, p), rows: small, cols: p, y: sub(yReg, small) }, x, 100_000),
  'synthetic LinearSVC (100k)': () => timed('synthetic LinearSVC (100k)', { task: 'classification', algorithm: 'linear_svm', hyperparams: { random_state: 0 }, x, rows: 100_000, cols: p, y: yClass, numClasses: 2 }, x, 100_000),
  'synthetic LinearSVR (100k)': () => timed('synthetic LinearSVR (100k)', { task: 'regression', algorithm: 'linear_svm', hyperparams: { random_state: 0 }, x, rows: 100_000, cols: p, y: yReg }, x, 100_000),
};
const digitsX = f64('digits_x');
const digitsY = f64('digits_y');
const big = f64('digits_predict');
for (const [name, algorithm, hyperparams] of [
  ['digits SVC', 'svm', {}],
  ['digits SVC probability', 'svm', { probability: true, random_state: 0 }],
  ['digits LinearSVC', 'linear_svm', { random_state: 0 }],
]) {
  cases[name] = () => timed(name, { task: 'classification', algorithm, hyperparams, x: digitsX, rows: digitsY.length, cols: 64, y: digitsY, numClasses: 10 }, big, 100_000);
}

const memoryCase = process.argv.indexOf('--memory');
if (memoryCase >= 0) {
  const before = process.resourceUsage().maxRSS;
  cases[process.argv[memoryCase + 1]]();
  console.log(JSON.stringify({ maxRSS_MB: process.resourceUsage().maxRSS / 1024, beforeFit_MB: before / 1024 }));
} else {
  for (const run of Object.values(cases)) run();
}
