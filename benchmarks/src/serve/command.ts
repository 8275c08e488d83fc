/**
 * `pnpm bench serve [--duration S] [--clients N] [--processes N] [--algorithms a,b] [--database-url URL] [--out DIR]`:
 * in-process serving against the per-call lookup (serve/run.ts). Writes serve.json and serve.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { maskSecrets } from '@pgml-ts/sdk';
import { runServe, SERVE_MODELS, type PhaseReport, type ServeReport } from './run.js';
import { benchmarkDatabase } from '../database.js';

export const SERVE_HELP = `pgml bench serve [options]

  Single-row predicts/s on 2 cores with the deployed model flipped every second by another client, for linear,
  random_forest and xgboost models: in-process serving (notified of deployments, no query per call) against the
  per-call lookup, side by side; deploy commit → first answer from the new model; N processes against one
  server; bytes allocated per predict. Every answer is checked against both models' known outputs.

  --duration S          seconds of traffic per phase (default 8)
  --clients N           concurrent callers per process (default 50)
  --processes N         processes in the multi-process phase (default 2)
  --deploy-every MS     pause between deployments (default 1000)
  --algorithms a,b      default linear,random_forest,xgboost
  --database-url URL    PostgreSQL to run in (default: DATABASE_URL, else a throw-away local PostgreSQL 15)
  --out DIR             where serve.json and serve.md go
  --quiet               no progress on stderr
`;

export async function runServeCommand(argv: string[], defaultOut: string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '8' },
      clients: { type: 'string', default: '50' },
      processes: { type: 'string', default: '2' },
      'deploy-every': { type: 'string', default: '1000' },
      algorithms: { type: 'string', default: Object.keys(SERVE_MODELS).join(',') },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  const options = {
    durationMs: Number(values.duration) * 1000,
    clients: Number(values.clients),
    processes: Number(values.processes),
    deployEveryMs: Number(values['deploy-every']),
    algorithms: values.algorithms.split(',').map((a) => a.trim()),
  };
  if (!(options.durationMs > 0) || !Number.isInteger(options.clients) || options.clients < 1 || !Number.isInteger(options.processes) || options.processes < 1 || !(options.deployEveryMs > 0)) {
    process.stderr.write('--duration and --deploy-every must be > 0, --clients and --processes positive integers\n');
    return 1;
  }
  const unknown = options.algorithms.filter((a) => !SERVE_MODELS[a]);
  if (unknown.length) {
    process.stderr.write(`unknown --algorithms ${unknown.join(', ')}; choose from ${Object.keys(SERVE_MODELS).join(', ')}\n`);
    return 1;
  }
  const progress = values.quiet ? undefined : (msg: string) => process.stderr.write(`  ${msg}\n`);
  const server = await benchmarkDatabase(values['database-url'] ?? process.env.DATABASE_URL, progress);
  const databaseUrl = server.url;
  try {
    progress?.(`serve: ${options.clients} callers per process on ${maskSecrets(databaseUrl)}`);
    const report = await runServe({ databaseUrl, ...options, ...(progress ? { progress } : {}) });
    const out = values.out ?? defaultOut;
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'serve.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(out, 'serve.md'), serveMarkdown(report));
    process.stdout.write(`${serveMarkdown(report)}\nreports written to ${out}/serve.{json,md}\n`);
    const broken = report.phases.some((p) => p.errors > 0 || p.wrongAnswers > 0 || (p.staleAnswers ?? 0) > 0);
    return broken ? 1 : 0;
  } catch (error) {
    process.stderr.write(`serve run failed: ${maskSecrets(String((error as Error)?.message ?? error))}\n`);
    return 2;
  } finally {
    server.stop();
  }
}

export function serveMarkdown(r: ServeReport): string {
  const ms = (v: number | undefined): string => (v === undefined ? '—' : String(v));
  const row = (p: PhaseReport, baseline: PhaseReport | undefined): string =>
    `| ${p.algorithm} | ${p.mode} | ${p.processes} × ${p.clients / p.processes} | ${p.callsPerS.toLocaleString('en-US')} | ` +
    `${baseline && p !== baseline ? `${(p.callsPerS / baseline.callsPerS).toFixed(1)}×` : '1.0×'} | ${p.latency.p50Ms} / ${p.latency.p99Ms} | ` +
    `${p.firstServed ? `${ms(p.firstServed.p50Ms)} / ${ms(p.firstServed.p99Ms)} / ${ms(p.firstServed.maxMs)}` : '—'} | ${p.deployments} | ` +
    `${p.lookupsPerS.toLocaleString('en-US')} | ${p.errors} | ${p.wrongAnswers} | ${p.staleAnswers ?? '—'} |`;
  const baselineOf = (p: PhaseReport): PhaseReport | undefined =>
    r.phases.find((b) => b.algorithm === p.algorithm && b.processes === p.processes && b.mode === 'per-call');
  const a = r.allocation;
  return [
    '# Serving benchmark',
    '',
    `${r.generatedAt} · ${r.machine.cpus} CPUs · Node ${r.machine.node} · ${r.options.durationMs / 1000} s per phase, the deployed model ` +
      `flipped every ${r.options.deployEveryMs} ms by another client. \`per-call\`: one deployment lookup query per predict (the behaviour ` +
      'before in-process serving); `auto`: the client is notified of deployments (LISTEN) and answers from memory. Reproduce: `pnpm bench serve`.',
    '',
    '| model | mode | processes × callers | predicts/s | vs per-call | latency p50 / p99 ms | deploy → served p50 / p99 / max ms | deploys | lookups/s | errors | wrong answers | stale answers |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...r.phases.map((p) => row(p, baselineOf(p))),
    '',
    `Stale answers: calls that started more than ${r.staleAllowanceMs} ms (auto) or 0 ms (per-call) after a deployment committed and were ` +
      'still answered by the previous model. Wrong answers: equal to neither model. Callers yield to the event loop every 32 calls, as requests ' +
      'arriving over I/O would. Multi-process rows: summed throughput, the slowest process\'s latency; deploy → served is measured in-process.',
    '',
    '## Allocation per single-row predict (bytes, young generation, warm)',
    '',
    '| `await pgml.predict(p, Float64Array)` | `await pgml.predict(p, number[])` | floor: `await Promise.resolve(Math.random())` |',
    '|--:|--:|--:|',
    `| ${ms(a.predictTypedArray)} | ${ms(a.predictNumberArray)} | ${ms(a.awaitFloor)} |`,
    '',
  ].join('\n');
}
