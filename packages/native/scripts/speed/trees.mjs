// Fit/predict speed and fit memory of the native tree family against scikit-learn 1.2.1, in one run so the ratios
// share the machine's load. Usage (from packages/native, after `pnpm build`):
//   node scripts/speed/trees.mjs [rows=100000] [algorithms=decision_tree,random_forest,extra_trees,gradient_boosting_trees]
// Writes the synthetic set (rows × 20 f64, y from a nonlinear function + noise) and digits' train split to a temp
// dir, times NativeModel.fit/predict in a child process per algorithm (maxRSS from process.resourceUsage), then
// sklearn's fit/predict on the same bytes with /usr/bin/python3 (time.perf_counter).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const native = new URL('../../index.js', import.meta.url).pathname;
const fixtures = new URL('../../test/fixtures/ml/', import.meta.url).pathname;

if (process.argv[2] === '--child') {
  const [, , , file, rows, cols, task, algorithm, hyperparams, numClasses] = process.argv;
  const { NativeModel } = await import(native);
  const buf = readFileSync(file);
  const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const n = Number(rows), p = Number(cols);
  const x = all.subarray(0, n * p), y = all.subarray(n * p, n * p + n);
  const before = process.resourceUsage().maxRSS;
  let t = process.hrtime.bigint();
  const { model } = NativeModel.fit({ task, algorithm, hyperparams: JSON.parse(hyperparams), x, rows: n, cols: p, y, ...(task === 'classification' ? { numClasses: Number(numClasses) } : {}) });
  const fit = Number(process.hrtime.bigint() - t) / 1e9;
  const peak = process.resourceUsage().maxRSS;
  t = process.hrtime.bigint();
  model.predict(x, n);
  const predict = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(JSON.stringify({ fit, predict, rssBeforeMB: before / 1024, rssPeakMB: peak / 1024, dataMB: (x.byteLength) / 2 ** 20 }));
  process.exit(0);
}

const rows = Number(process.argv[2] ?? 100000);
const algorithms = (process.argv[3] ?? 'decision_tree,random_forest,extra_trees,gradient_boosting_trees').split(',');
const dir = mkdtempSync(join(tmpdir(), 'trees-speed-'));

function synthetic(n, p) {
  // xorshift-driven uniform features; y depends nonlinearly on the first five.
  let s = 0x9e3779b9;
  const rand = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
  const data = new Float64Array(n * p + n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) data[i * p + j] = rand();
    const r = data.subarray(i * p, i * p + 5);
    data[n * p + i] = 10 * Math.sin(Math.PI * r[0] * r[1]) + 20 * (r[2] - 0.5) ** 2 + 10 * r[3] + 5 * r[4] + rand();
  }
  return data;
}

function digits() {
  const info = JSON.parse(readFileSync(join(fixtures, 'references.json'), 'utf8')).datasets.digits;
  const buf = readFileSync(join(fixtures, info.file));
  const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const n = info.trainRows, p = info.features, w = p + 1;
  const data = new Float64Array(n * p + n);
  for (let i = 0; i < n; i++) {
    data.set(all.subarray(i * w, i * w + p), i * p);
    data[n * p + i] = all[i * w + p];
  }
  return { data, n, p };
}

const sets = [];
const synth = synthetic(rows, 20);
writeFileSync(join(dir, 'synthetic.f64'), synth);
sets.push({ name: `synthetic ${rows}x20`, file: join(dir, 'synthetic.f64'), n: rows, p: 20, task: 'regression', k: 0 });
// Same synthetic rows as a 2-class problem (y above its median).
const median = Float64Array.from(synth.subarray(rows * 20)).sort()[rows >> 1];
const synthClass = synth.slice();
for (let i = 0; i < rows; i++) synthClass[rows * 20 + i] = synth[rows * 20 + i] > median ? 1 : 0;
writeFileSync(join(dir, 'synthetic-class.f64'), synthClass);
sets.push({ name: `synthetic ${rows}x20 (2 classes)`, file: join(dir, 'synthetic-class.f64'), n: rows, p: 20, task: 'classification', k: 2 });
const d = digits();
writeFileSync(join(dir, 'digits.f64'), d.data);
sets.push({ name: 'digits', file: join(dir, 'digits.f64'), n: d.n, p: d.p, task: 'classification', k: 10 });

// Forests on 100k rows take sklearn minutes per 100 trees; both sides fit the same reduced count there.
const hyperparams = (algorithm, set) => ({ random_state: 0, ...(set.n > 10000 && algorithm !== 'decision_tree' && algorithm !== 'gradient_boosting_trees' ? { n_estimators: 20 } : {}) });

console.log('| data | algorithm | native fit s | sklearn fit s | fit ratio (native/sklearn) | native predict s | sklearn predict s | predict speedup | fit peak RSS MB (data MB) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const set of sets) {
  for (const algorithm of algorithms) {
    const hp = hyperparams(algorithm, set);
    const nat = JSON.parse(execFileSync(process.execPath, [join(here, 'trees.mjs'), '--child', set.file, set.n, set.p, set.task, algorithm, JSON.stringify(hp), set.k], { encoding: 'utf8' }));
    const sk = JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'trees_sklearn.py'), set.file, String(set.n), String(set.p), set.task, algorithm, JSON.stringify(hp)], { encoding: 'utf8' }));
    console.log(`| ${set.name} | ${algorithm} ${JSON.stringify(hp)} | ${nat.fit.toFixed(3)} | ${sk.fit.toFixed(3)} | ${(nat.fit / sk.fit).toFixed(2)} | ${nat.predict.toFixed(4)} | ${sk.predict.toFixed(4)} | ${(sk.predict / nat.predict).toFixed(1)}x | ${nat.rssPeakMB.toFixed(0)} (${nat.dataMB.toFixed(0)}) |`);
  }
}
