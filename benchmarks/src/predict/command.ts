/**
 * `pnpm bench predict [--algorithms a,b] [--rows N] [--baseline FILE.node] [--python] [--out DIR] [--json]`: batch and
 * single-row predict of native against scikit-learn in Python on a synthetic set (run.ts), and against another
 * build of the addon when `--baseline` names one — the before/after of a predict change, measured in one process.
 * Exit 1 when the baseline's predictions differ from this build's in any bit.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchAlgorithms } from '../parity/algorithms.js';
import { prepareDataset, syntheticSource, type PreparedDataset } from '../parity/datasets.js';
import { datasetsFor } from '../parity/run.js';
import { pythonRunner } from '../parity/runners/python-worker.js';
import { sklearnInProcessRunner } from '../parity/runners/sklearn-inprocess.js';
import { measurePredictSpeed, type PredictSpeedRow } from './run.js';

export const PREDICT_HELP = `pgml bench predict [options]

  Fits each algorithm natively once on a synthetic set and times batch predict of its test split (25% of the rows)
  and single-row predict, against scikit-learn timed inside Python on the same split. With --baseline, the same
  model is also timed in another build of the addon (interleaved call by call) and its predictions are compared
  bit for bit with this build's.

  --algorithms a,b      only these algorithms (default: every native algorithm)
  --rows N              rows of the synthetic sets (default 100000)
  --baseline FILE       another build's pgml-native .node file (e.g. one built from main) to compare with
  --python              also time single-row predict through the python worker (a second sklearn fit)
  --single-row-calls N  single-row calls per build (default 200)
  --out DIR             write predict-speed.json and predict-speed.md there
  --json                print the rows as JSON on stdout
`;

const ratio = (slow: number | undefined, fast: number | undefined): string => {
  if (slow === undefined || fast === undefined) return '—';
  const r = slow / fast;
  return r >= 1 ? `${r.toFixed(2)}×` : `1/${(1 / r).toFixed(2)}×`;
};
const ms = (v: number | undefined): string => (v === undefined ? '—' : v < 0.1 ? `${(v * 1000).toFixed(1)} µs` : `${v.toFixed(2)} ms`);

export function predictSpeedMarkdown(rows: readonly PredictSpeedRow[]): string {
  const lines = [
    '| algorithm | dataset | batch native / before / sklearn | batch vs sklearn before → after | single-row p50 native / before / sklearn / python | single-row vs python before → after | identical |',
    '|---|---|---|---|---|---|:---:|',
  ];
  for (const r of rows) {
    const b = r.batchMs;
    const s = r.singleRowP50Ms;
    lines.push(
      `| ${r.task} \`${r.algorithm}\` | ${r.dataset} (${r.testRows} test rows) | ${ms(b.native)} / ${ms(b.baseline)} / ${ms(b.sklearn)} | ` +
        `${ratio(b.sklearn, b.baseline)} → ${ratio(b.sklearn, b.native)} | ${ms(s.native)} / ${ms(s.baseline)} / ${ms(s.sklearn)} / ${ms(s.python)} | ` +
        `${ratio(s.python, s.baseline)} → ${ratio(s.python, s.native)} | ${r.identical === undefined ? '—' : r.identical ? '✓' : '✗'} |`,
    );
  }
  const notes = rows.flatMap((r) => r.notes.map((n) => `- ${r.task} ${r.algorithm}: ${n}`));
  return `${lines.join('\n')}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}

export async function runPredictCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      algorithms: { type: 'string' },
      rows: { type: 'string', default: '100000' },
      baseline: { type: 'string' },
      python: { type: 'boolean', default: false },
      'single-row-calls': { type: 'string', default: '200' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(PREDICT_HELP);
    return 0;
  }
  const rows = Number(values.rows);
  const singleRowCalls = Number(values['single-row-calls']);
  if (!Number.isInteger(rows) || rows < 100 || !Number.isInteger(singleRowCalls) || singleRowCalls < 1) {
    process.stderr.write('--rows must be an integer ≥ 100, --single-row-calls a positive integer\n');
    return 1;
  }
  const wanted = values.algorithms?.split(',').map((a) => a.trim());
  const algorithms = benchAlgorithms().filter((a) => !wanted || wanted.includes(a.algorithm) || a.aliases.some((n) => wanted.includes(n)));
  if (algorithms.length === 0) {
    process.stderr.write(`no native algorithm matches --algorithms ${values.algorithms}\n`);
    return 1;
  }
  const sources = [syntheticSource('regression', rows), syntheticSource('classification', rows)];
  const dir = mkdtempSync(join(os.tmpdir(), 'pgml-predict-'));
  const prepared = new Map<string, PreparedDataset>();
  const results: PredictSpeedRow[] = [];
  try {
    for (const algorithm of algorithms) {
      const source = datasetsFor(algorithm.task, sources)[0]!;
      if (!prepared.has(source.id)) prepared.set(source.id, await prepareDataset(source, dir));
      process.stderr.write(`  ${algorithm.task} ${algorithm.algorithm} on ${source.id}…\n`);
      const row = await measurePredictSpeed({
        algorithm,
        data: prepared.get(source.id)!.forTask(algorithm.task),
        ...(values.baseline ? { baseline: resolve(values.baseline) } : {}),
        python: values.python,
        singleRowCalls,
        fitTimeoutMs: 600_000,
      });
      results.push(row);
      process.stderr.write(predictSpeedMarkdown([row]).split('\n')[2]! + '\n');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sklearnInProcessRunner.close?.();
    await pythonRunner.close?.();
  }
  const markdown = predictSpeedMarkdown(results);
  if (values.out) {
    const out = resolve(values.out);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'predict-speed.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(out, 'predict-speed.md'), markdown);
  }
  process.stdout.write(values.json ? `${JSON.stringify(results)}\n` : markdown);
  return results.some((r) => r.identical === false) ? 1 : 0;
}
