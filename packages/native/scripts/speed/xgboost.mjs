// Speed and memory of the native XGBoost family against python-xgboost 1.7.4 in-process (the same libxgboost.so),
// side by side in one run: best-of fit, batch predict and one-row predict on a synthetic 100k × 20 set (regression
// and binary classification) and on digits (10 classes); peak RSS of a 1M × 20 fit, native and python, in child
// processes.
// usage: node scripts/speed/xgboost.mjs   (from packages/native, after `pnpm build`)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeModel } from '../../index.js';

const HERE = new URL('.', import.meta.url);
const ALGORITHMS = ['xgboost', 'xgboost_random_forest'];

/** Deterministic: X uniform in [-1, 1)^cols; y = a smooth nonlinear score plus noise (classification: score > 0). */
function synthetic(rows, cols, task) {
  let state = 12345n;
  const uniform = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(state >> 11n) / 2 ** 53;
  };
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) x[i * cols + j] = uniform() * 2 - 1;
    const r = x.subarray(i * cols, (i + 1) * cols);
    const score = 2 * r[0] - r[1] + Math.sin(3 * r[2]) + r[3] * r[4] + 0.3 * (uniform() - 0.5);
    y[i] = task === 'classification' ? Number(score > 0) : score;
  }
  return { x, y, rows, cols, task, numClasses: 2 };
}

function digits() {
  const info = JSON.parse(readFileSync(new URL('../../test/fixtures/ml/references.json', HERE), 'utf8')).datasets.digits;
  const buf = readFileSync(new URL(`../../test/fixtures/ml/${info.file}`, HERE));
  const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const width = info.features + info.targets;
  const x = new Float64Array(info.rows * info.features);
  const y = new Float64Array(info.rows);
  for (let i = 0; i < info.rows; i++) {
    x.set(all.subarray(i * width, i * width + info.features), i * info.features);
    y[i] = all[i * width + info.features];
  }
  return { x, y, rows: info.rows, cols: info.features, task: 'classification', numClasses: info.numClasses };
}

function python(data, tag, extra = []) {
  const xPath = join(tmpdir(), `speed-xgb-${tag}-x.f64`);
  const yPath = join(tmpdir(), `speed-xgb-${tag}-y.f64`);
  writeFileSync(xPath, data.x);
  writeFileSync(yPath, data.y);
  const args = [new URL('xgboost.py', HERE).pathname, xPath, String(data.rows), String(data.cols), yPath, data.task, ...extra];
  return execFileSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').map((l) => JSON.parse(l));
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

function fitNative(data, algorithm) {
  const { x, y, rows, cols, task, numClasses } = data;
  return NativeModel.fit({ task, algorithm, hyperparams: {}, x, rows, cols, y, ...(task === 'classification' ? { numClasses } : {}) }).model;
}

function native(data, algorithm) {
  const repeats = data.rows > 10_000 ? 2 : 3;
  let fit = Infinity;
  let predict = Infinity;
  let model;
  for (let r = 0; r < repeats; r++) {
    let start = process.hrtime.bigint();
    model = fitNative(data, algorithm);
    fit = Math.min(fit, seconds(start));
    start = process.hrtime.bigint();
    model.predict(data.x, data.rows);
    predict = Math.min(predict, seconds(start));
  }
  const n = 200;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) model.predict(data.x.subarray(i * data.cols, (i + 1) * data.cols), 1);
  return { fit, predict, oneRow: seconds(start) / n };
}

/** Child mode: fit one algorithm on 1M × 20 regression data and report peak RSS. */
if (process.argv[2] === '--memory') {
  const data = synthetic(1_000_000, 20, 'regression');
  const before = process.resourceUsage().maxRSS * 1024;
  fitNative(data, process.argv[3]);
  console.log(JSON.stringify({ before, peak: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

const sets = [
  ['synthetic 100k×20 regression', synthetic(100_000, 20, 'regression')],
  ['synthetic 100k×20 binary', synthetic(100_000, 20, 'classification')],
  ['digits (10 classes)', digits()],
];
for (const [name, data] of sets) {
  const reference = Object.fromEntries(python(data, name.split(' ')[0] + data.task).map((r) => [r.algorithm, r]));
  for (const algorithm of ALGORITHMS) {
    const ours = native(data, algorithm);
    const theirs = reference[algorithm];
    console.log(
      `${name.padEnd(30)} ${algorithm.padEnd(22)} fit ${ours.fit.toFixed(3)}s vs ${theirs.fit.toFixed(3)}s (${(ours.fit / theirs.fit).toFixed(2)}×)  ` +
        `batch predict ${ours.predict.toFixed(4)}s vs ${theirs.predict.toFixed(4)}s (${(theirs.predict / ours.predict).toFixed(2)}× faster)  ` +
        `one row ${(ours.oneRow * 1e6).toFixed(1)}µs vs ${(theirs.oneRow * 1e6).toFixed(1)}µs (${(theirs.oneRow / ours.oneRow).toFixed(1)}× faster)`,
    );
  }
}
const raw = 1_000_000 * 20 * 8;
const big = synthetic(1_000_000, 20, 'regression');
for (const algorithm of ALGORITHMS) {
  const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--memory', algorithm], { encoding: 'utf8' });
  const ours = JSON.parse(out);
  const [theirs] = python(big, 'memory', ['--memory', algorithm]);
  const mib = (b) => (b / 2 ** 20).toFixed(0);
  console.log(
    `1M×20 ${algorithm.padEnd(22)} peak RSS native ${mib(ours.peak)} MiB = ${(ours.peak / raw).toFixed(2)}× raw (${mib(ours.before)} MiB before fit, data included); ` +
      `python ${mib(theirs.peak)} MiB = ${(theirs.peak / raw).toFixed(2)}× raw (${mib(theirs.before)} MiB before fit)`,
  );
}
