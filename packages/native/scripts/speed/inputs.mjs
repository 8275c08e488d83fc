// What the addon's input handling costs, old build against new in one run: batch predict of cheap models on
// 100k × 20 (sync and async, best of 25 with the builds interleaved; scikit-learn 1.2.1's predict/transform of the
// same data alongside when /usr/bin/python3 has it), the NaN/Inf check alone, and the peak RSS of a ridge fit on
// 1M × 20 (160 MB of f64) in a child process, as `maxRSS − RSS before X was created` over the raw size.
// usage: node scripts/speed/inputs.mjs [--before path/to/an-older.node]   (from packages/native, after `pnpm build`)
//   an older build: git worktree add /tmp/old <commit> && (cd /tmp/old/packages/native && pnpm build), then
//   --before /tmp/old/packages/native/pgml-native.linux-x64-gnu.node
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRng } from '@pgml-ts/core';

const require = createRequire(import.meta.url);
const CURRENT = new URL('../../pgml-native.linux-x64-gnu.node', import.meta.url).pathname;
const SCRIPT = new URL(import.meta.url).pathname;
const MODELS = {
  ridge: { task: 'regression', hyperparams: {}, sklearn: 'Ridge()' },
  lasso: { task: 'regression', hyperparams: { alpha: 0.01 }, sklearn: 'Lasso(alpha=0.01)' },
  pca: { task: 'decomposition', hyperparams: {}, sklearn: 'PCA()' },
};
const RUNS = 25;

/** Deterministic rows: mulberry32 uniforms in [-1, 1); y = X·w + noise. Fast enough for 20M values. */
function synthetic(rows, cols) {
  const uniform = createRng(12345).next;
  const w = Array.from({ length: cols }, (_, j) => (j % 3 === 0 ? 0 : uniform() * 4 - 2));
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const v = uniform() * 2 - 1;
      x[i * cols + j] = v;
      s += v * w[j];
    }
    y[i] = s + 0.1 * (uniform() - 0.5);
  }
  return { x, y, rows, cols };
}

function fit(binding, algorithm, data) {
  const { task, hyperparams } = MODELS[algorithm];
  const y = task === 'regression' ? data.y : undefined;
  return binding.mlFit(task, algorithm, JSON.stringify(hyperparams), data.x, y, [data.rows, data.cols, 1, 0]).model;
}

const elapsed = (start) => Number(process.hrtime.bigint() - start) / 1e6;

/** Best-of-RUNS milliseconds of each job, the jobs interleaved run by run so that load from elsewhere on the
 * machine hits them alike. */
async function bestOf(jobs) {
  const best = jobs.map(() => Infinity);
  for (let r = 0; r < RUNS; r++) {
    for (const [k, job] of jobs.entries()) {
      const start = process.hrtime.bigint();
      await job();
      best[k] = Math.min(best[k], elapsed(start));
    }
  }
  return best;
}

/** Best-of-RUNS milliseconds of sklearn's predict (transform for PCA) per model, or undefined without python. */
function sklearnPredict(data) {
  const path = join(tmpdir(), 'pgml-speed-inputs.f64');
  writeFileSync(path, Buffer.concat([Buffer.from(data.x.buffer), Buffer.from(data.y.buffer)]));
  const program = `
import json, sys, time
import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import Lasso, Ridge
rows, cols = ${data.rows}, ${data.cols}
raw = np.fromfile(${JSON.stringify(path)}, dtype="<f8")
x, y = raw[: rows * cols].reshape(rows, cols), raw[rows * cols :]
out = {}
for name, make in {${Object.entries(MODELS).map(([name, m]) => `"${name}": lambda: ${m.sklearn}`)}}.items():
    model = make().fit(x) if name == "pca" else make().fit(x, y)
    run = model.transform if name == "pca" else model.predict
    best = float("inf")
    for _ in range(${RUNS}):
        t = time.perf_counter()
        run(x)
        best = min(best, time.perf_counter() - t)
    out[name] = best * 1000
print(json.dumps(out))
`;
  try {
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return undefined;
  }
}

/** Child mode: fit ridge on 1M × 20 with one binary and report the peak RSS above the baseline. */
async function memoryChild(binaryPath, mode) {
  const binding = require(binaryPath);
  const baseline = process.memoryUsage().rss;
  const data = synthetic(1_000_000, 20);
  const args = ['regression', 'ridge', '{}', data.x, data.y, [data.rows, data.cols, 1, 0]];
  if (mode === 'async') await binding.mlFitAsync(...args, undefined);
  else binding.mlFit(...args);
  console.log(JSON.stringify({ peak: process.resourceUsage().maxRSS * 1024 - baseline }));
}

function sklearnRidgeMemory() {
  const program = `
import json, resource
import numpy as np
from sklearn.linear_model import Ridge
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
baseline = rss()
rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, (1_000_000, 20))
y = x @ rng.uniform(-2, 2, 20)
Ridge().fit(x, y)
print(json.dumps({"peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - baseline}))
`;
  try {
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).peak;
  } catch {
    return undefined;
  }
}

async function main() {
  const at = process.argv.indexOf('--before');
  const builds = [...(at > 0 ? [['before', resolve(process.argv[at + 1])]] : []), ['after', CURRENT]];
  const data = synthetic(100_000, 20);
  const sklearn = sklearnPredict(data);
  console.log(`batch predict ${data.rows} × ${data.cols}, best of ${RUNS} (ms)${sklearn ? '; ratio = sklearn time / ours' : ''}`);
  for (const algorithm of Object.keys(MODELS)) {
    const jobs = builds.flatMap(([, path]) => {
      const binding = require(path);
      const model = fit(binding, algorithm, data);
      return [() => binding.mlPredict(model, data.x, data.rows), () => binding.mlPredictAsync(model, data.x, data.rows, undefined)];
    });
    const times = await bestOf(jobs);
    const ratio = (ms) => (sklearn ? ` (${(sklearn[algorithm] / ms).toFixed(1)}×)` : '');
    const cells = builds.map(([label], b) => {
      const [sync, async] = times.slice(2 * b, 2 * b + 2);
      return `${label}: sync ${sync.toFixed(2)}${ratio(sync)} async ${async.toFixed(2)}${ratio(async)}`;
    });
    const reference = sklearn ? `  sklearn ${sklearn[algorithm].toFixed(2)}` : '';
    console.log(`  ${algorithm.padEnd(6)} ${cells.join('  |  ')}${reference}`);
  }
  // What the NaN/Inf pass costs on its own: X whose last value is NaN fails only once the whole pass is done.
  const current = require(CURRENT);
  const model = fit(current, 'ridge', data);
  const lastNaN = data.x.slice();
  lastNaN[lastNaN.length - 1] = Number.NaN;
  const [check] = await bestOf([
    () => {
      try {
        current.mlPredict(model, lastNaN, data.rows);
      } catch {
        // The refusal is expected: what is timed is how fast the NaN is found.
      }
    },
  ]);
  console.log(`  the NaN/Inf check alone (after, sync): ${check.toFixed(2)}`);
  const raw = 1_000_000 * 20 * 8;
  const share = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB = ${(bytes / raw).toFixed(2)}×`;
  console.log(`ridge fit 1M × 20: peak RSS above the baseline (X and y included) / ${raw / 1e6} MB of raw X`);
  for (const [label, path] of builds) {
    for (const mode of ['sync', 'async']) {
      const out = execFileSync(process.execPath, [SCRIPT, '--memory-child', path, mode], { encoding: 'utf8' });
      console.log(`  ${label} ${mode.padEnd(5)} ${share(JSON.parse(out).peak)}`);
    }
  }
  const theirs = sklearnRidgeMemory();
  if (theirs !== undefined) console.log(`  sklearn Ridge().fit ${share(theirs)}`);
}

if (process.argv[2] === '--memory-child') await memoryChild(process.argv[3], process.argv[4]);
else await main();
