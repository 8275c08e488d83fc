// Speed and memory of the native clustering/decomposition family (and Lasso/ElasticNet) against scikit-learn 1.2.1,
// side by side in one run: best-of-3 fit and batch predict on a synthetic 100k × 20 set (8 gaussian blobs; y linear
// in X plus noise) and on digits; peak RSS of a 1M × 20 fit in a child process.
// usage: node scripts/speed/cluster.mjs   (from packages/native, after `pnpm build`)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeModel } from '../../index.js';

const HERE = new URL('.', import.meta.url);
const ALGORITHMS = {
  kmeans: { task: 'clustering', hyperparams: { random_state: 0 } },
  mini_batch_kmeans: { task: 'clustering', hyperparams: { random_state: 0 } },
  pca: { task: 'decomposition', hyperparams: {} },
  lasso: { task: 'regression', hyperparams: { alpha: 0.01 } },
  elastic_net: { task: 'regression', hyperparams: { alpha: 0.01 } },
};

/** Deterministic blobs: 8 centers in [-10, 10]^cols, unit gaussian noise; y = X·w + noise. */
function synthetic(rows, cols) {
  let state = 12345n;
  const uniform = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(state >> 11n) / 2 ** 53;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const centers = Array.from({ length: 8 * cols }, () => uniform() * 20 - 10);
  const w = Array.from({ length: cols }, (_, j) => (j % 3 === 0 ? 0 : uniform() * 4 - 2));
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % 8;
    let t = 0;
    for (let j = 0; j < cols; j++) {
      const v = centers[c * cols + j] + gauss();
      x[i * cols + j] = v;
      t += v * w[j];
    }
    y[i] = t + gauss();
  }
  return { x, y, rows, cols };
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
  return { x, y, rows: info.rows, cols: info.features };
}

function sklearn(data, name) {
  const xPath = join(tmpdir(), `speed-${name}-x.f64`);
  const yPath = join(tmpdir(), `speed-${name}-y.f64`);
  writeFileSync(xPath, data.x);
  writeFileSync(yPath, data.y);
  const out = execFileSync('/usr/bin/python3', [new URL('cluster.py', HERE).pathname, xPath, String(data.rows), String(data.cols), yPath], { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.algorithm, r]));
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

function native(data, algorithm) {
  const { task, hyperparams } = ALGORITHMS[algorithm];
  const supervised = task === 'regression';
  let fit = Infinity;
  let predict = Infinity;
  for (let r = 0; r < 3; r++) {
    let start = process.hrtime.bigint();
    const { model } = NativeModel.fit({ task, algorithm, hyperparams, x: data.x, rows: data.rows, cols: data.cols, ...(supervised ? { y: data.y } : {}) });
    fit = Math.min(fit, seconds(start));
    start = process.hrtime.bigint();
    model.predict(data.x, data.rows);
    predict = Math.min(predict, seconds(start));
  }
  return { fit, predict };
}

/** Child mode: fit one algorithm on 1M × 20 and report peak RSS. */
if (process.argv[2] === '--memory') {
  const algorithm = process.argv[3];
  const data = synthetic(1_000_000, 20);
  const before = process.resourceUsage().maxRSS;
  const { task, hyperparams } = ALGORITHMS[algorithm];
  NativeModel.fit({ task, algorithm, hyperparams, x: data.x, rows: data.rows, cols: data.cols, ...(task === 'regression' ? { y: data.y } : {}) });
  console.log(JSON.stringify({ before: before * 1024, peak: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

for (const [name, data] of [['synthetic 100k×20', synthetic(100_000, 20)], ['digits', digits()]]) {
  const reference = sklearn(data, name.split(' ')[0]);
  for (const algorithm of Object.keys(ALGORITHMS)) {
    const ours = native(data, algorithm);
    const theirs = reference[algorithm];
    console.log(
      `${name.padEnd(18)} ${algorithm.padEnd(18)} fit ${ours.fit.toFixed(4)}s vs ${theirs.fit.toFixed(4)}s (${(ours.fit / theirs.fit).toFixed(2)}×)  ` +
        `predict ${ours.predict.toFixed(5)}s vs ${theirs.predict.toFixed(5)}s (${(theirs.predict / ours.predict).toFixed(1)}× faster)`,
    );
  }
}
const raw = 1_000_000 * 20 * 8;
for (const algorithm of Object.keys(ALGORITHMS)) {
  const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--memory', algorithm], { encoding: 'utf8' });
  const { before, peak } = JSON.parse(out);
  console.log(`1M×20 ${algorithm.padEnd(18)} peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB = ${(peak / raw).toFixed(2)}× raw data (${(before / 2 ** 20).toFixed(0)} MiB before fit, data included)`);
}
