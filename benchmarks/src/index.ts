import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runVectorBenchmark } from './vector/run.js';
import { vectorMarkdown, vectorSvg } from './vector/report.js';
import { runParityCommand } from './parity/command.js';
import type { ProfileName } from './parity/profiles.js';
import { runLoadCommand } from './load/command.js';
import { runE2eCommand } from './e2e/command.js';
import { runPredictCommand } from './predict/command.js';
import { runServeCommand } from './serve/command.js';
import { benchmarkDatabase } from './database.js';

export { runVectorBenchmark } from './vector/run.js';
export type { VectorReport, VectorRow } from './vector/run.js';
export { runParity, type ParityRun } from './parity/run.js';
export { verdicts, parityTable } from './parity/verdict.js';

const DEFAULT_OUT = fileURLToPath(new URL('../results', import.meta.url));
const SUITES = ['vector', 'parity', 'all'] as const;
const PROFILE_NAMES: readonly ProfileName[] = ['quick', 'full'];

const HELP = `pgml bench [vector|parity|all|load|e2e|predict|serve] [options]

Runs the benchmark suite and writes JSON + Markdown + SVG reports.

  vector   PostgresML 2.0's dot-product table (SQL, PL/pgSQL, PL/Python, NumPy) vs pgml-ts's cold, warm and
           kernel-only paths, measured side by side on a real PostgreSQL.
  parity   every native algorithm (nativeAlgorithms()) vs scikit-learn through the python worker, scikit-learn
           timed inside Python, and the ml.js peers: quality, fit, predict, single-row latency, RSS, model size.
           Writes parity.json (what runtime 'auto' follows), parity.md, parity-speedup.svg, parity-quality.svg.
  all      every suite (default)
  load     50 concurrent predict clients with deployments during traffic (own options: pgml bench load --help)
  e2e      train from a table and score a table, end to end, against the Python it replaces (own options:
           pgml bench e2e --help)
  predict  batch and single-row predict of native vs scikit-learn in Python, and vs another build of the addon
           (own options: pgml bench predict --help)
  serve    single-row predicts/s with deployments flipping, in-process serving vs the per-call lookup (own
           options: pgml bench serve --help)

Options:
  --profile quick|full  parity: quick (bundled + 1k synthetic, ≤ 5 min, written to results/quick/) or full
                        (adds 100k and 1M synthetic; the committed report). Default full.
  --check               parity: exit 1 if a native algorithm's quality regressed vs the committed parity.json
  --algorithms a,b      parity: only these algorithms
  --rows N              embeddings in the vector table (default 10000)
  --runs N              timed runs per row (default 9)
  --out DIR             where reports go (default benchmarks/results)
  --database-url URL    PostgreSQL to run in (default: DATABASE_URL, else a throw-away local PostgreSQL 15)
  --json                print the report as one JSON object on stdout
  --quiet               no progress on stderr
`;

/** Entry point shared by `pnpm bench` and `pgml bench`; returns the process exit code. */
export async function runBenchCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'load') return runLoadCommand(argv.slice(1), DEFAULT_OUT);
  if (argv[0] === 'e2e') return runE2eCommand(argv.slice(1), DEFAULT_OUT);
  if (argv[0] === 'predict') return runPredictCommand(argv.slice(1));
  if (argv[0] === 'serve') return runServeCommand(argv.slice(1), DEFAULT_OUT);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rows: { type: 'string' },
      runs: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string', default: 'full' },
      check: { type: 'boolean', default: false },
      algorithms: { type: 'string' },
      note: { type: 'string' },
      'database-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const suite = positionals[0] ?? 'all';
  if (!(SUITES as readonly string[]).includes(suite)) {
    process.stderr.write(`unknown benchmark suite ${JSON.stringify(suite)}; choose one of: ${SUITES.join(', ')}\n`);
    return 1;
  }
  const profile = values.profile as ProfileName;
  if (!PROFILE_NAMES.includes(profile)) {
    process.stderr.write(`--profile must be one of ${PROFILE_NAMES.join(', ')}, got ${JSON.stringify(values.profile)}\n`);
    return 1;
  }
  if (suite === 'vector' || suite === 'all') {
    const exitCode = await runVectorSuite(values);
    if (exitCode !== 0 || suite === 'vector') return exitCode;
  }
  return runParityCommand({
    profile,
    out: resolve(values.out ?? (profile === 'full' ? DEFAULT_OUT : join(DEFAULT_OUT, profile))),
    baseline: join(DEFAULT_OUT, 'parity.json'),
    check: values.check,
    ...(values.algorithms ? { algorithms: values.algorithms.split(',').map((a) => a.trim()) } : {}),
    ...(values.note ? { note: values.note } : {}),
    json: values.json,
    quiet: values.quiet,
  });
}

interface VectorFlags {
  rows?: string;
  runs?: string;
  out?: string;
  'database-url'?: string;
  json: boolean;
  quiet: boolean;
}

async function runVectorSuite(values: VectorFlags): Promise<number> {
  const rows = positiveInt(values.rows, 10_000, '--rows');
  const runs = positiveInt(values.runs, 9, '--runs');
  if (rows === undefined || runs === undefined) return 1;
  const out = resolve(values.out ?? DEFAULT_OUT);
  const progress = values.quiet ? undefined : (msg: string) => process.stderr.write(`  ${msg}\n`);

  const server = await benchmarkDatabase(values['database-url'] ?? process.env.DATABASE_URL, progress);
  const databaseUrl = server.url;
  try {
    const report = await runVectorBenchmark({ databaseUrl, rows, runs, ...(progress ? { progress } : {}) });
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'vector.json'), `${JSON.stringify(report, null, 2)}\n`);
    const markdown = vectorMarkdown(report);
    writeFileSync(join(out, 'vector.md'), markdown);
    writeFileSync(join(out, 'vector.svg'), vectorSvg(report));
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${markdown}\nreports written to ${out}/vector.{json,md,svg}\n`);
    return 0;
  } finally {
    server.stop();
  }
}

function positiveInt(raw: string | undefined, fallback: number, flag: string): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`${flag} must be a positive integer, got ${JSON.stringify(raw)}\n`);
    return undefined;
  }
  return n;
}
