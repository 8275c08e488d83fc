// Native side of the hist_gradient_boosting speed comparison, on the data scripts/speed/hist_gbdt.py writes (run that
// first with /usr/bin/python3; it prints sklearn's numbers). Prints one JSON line per case: best-of-3 fit and batch
// predict seconds. `--memory` fits the 1M × 20 regression in this process and reports peak RSS against the raw size.
// usage (from packages/native, after `pnpm build`): node scripts/speed/hist_gbdt.mjs [--memory]
import { readFileSync } from 'node:fs';

import { NativeModel } from '../../index.js';

const DIR = '/tmp/pgml-hgb-speed';
const f64 = (name) => {
  const buf = readFileSync(`${DIR}/${name}.f64`);
  return new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
};
const seconds = (t) => Number(process.hrtime.bigint() - t) / 1e9;

if (process.argv.includes('--memory')) {
  const x = f64('x1m');
  const y = f64('y1m');
  const before = process.resourceUsage().maxRSS;
  const t = process.hrtime.bigint();
  const { nIter } = NativeModel.fit({ task: 'regression', algorithm: 'hist_gradient_boosting', hyperparams: { random_state: 0 }, x, y, rows: 1_000_000, cols: 20 });
  const peak = process.resourceUsage().maxRSS;
  const raw = (x.byteLength + y.byteLength) / 1024;
  console.log(JSON.stringify({ case: 'regression 1M x 20', fit_s: seconds(t), n_iter: nIter, raw_mb: raw / 1024, rss_before_mb: before / 1024, peak_rss_mb: peak / 1024, growth_over_raw: (peak - before) / raw }));
} else {
  const cases = [
    ['regression 100k x 20', 'regression', 'x100k', 'y100k', 20, undefined],
    ['binary 100k x 20', 'classification', 'x100k', 'ycls100k', 20, 2],
    ['digits (10 classes)', 'classification', 'xdigits', 'ydigits', 64, 10],
  ];
  for (const [name, task, xName, yName, cols, numClasses] of cases) {
    const x = f64(xName);
    const y = f64(yName);
    const rows = y.length;
    let fit = Infinity;
    let predict = Infinity;
    let nIter;
    for (let r = 0; r < 3; r++) {
      let t = process.hrtime.bigint();
      const result = NativeModel.fit({ task, algorithm: 'hist_gradient_boosting', hyperparams: { random_state: 0 }, x, y, rows, cols, numClasses });
      fit = Math.min(fit, seconds(t));
      nIter = result.nIter;
      t = process.hrtime.bigint();
      result.model.predict(x, rows);
      predict = Math.min(predict, seconds(t));
    }
    console.log(JSON.stringify({ case: name, fit_s: fit, predict_s: predict, n_iter: nIter }));
  }
}
