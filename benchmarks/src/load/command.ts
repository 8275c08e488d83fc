/**
 * `pnpm bench load [--duration S] [--clients N] [--database-url URL] [--out DIR] [--json] [--quiet]`: the long load
 * run (tests/reliability/load.test.ts is its bounded twin in `npm test`). Writes load.json and load.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { maskSecrets } from '@pgml-ts/sdk';
import { loadSummaryLines, runLoad, type LoadReport } from './run.js';
import { benchmarkDatabase } from '../database.js';

export const LOAD_HELP = `pgml bench load [options]

  N concurrent clients (one pg pool) doing single-row and batch predicts against a real PostgreSQL while the
  project's model is deployed and rolled back every second; checks every answer against both models' known
  outputs and reports errors, throughput, p50/p99 latency, model-cache hit rate and deploy-to-served time.

  --duration S          seconds of traffic (default 60)
  --clients N           concurrent clients and pool size (default 50)
  --deploy-every MS     pause between deployments (default 1000; 0: no deployments)
  --database-url URL    PostgreSQL to run in (default: DATABASE_URL, else a throw-away local PostgreSQL 15)
  --out DIR             where load.json and load.md go
  --json                print the report as one JSON object on stdout
  --quiet               no progress on stderr
`;

export async function runLoadCommand(argv: string[], defaultOut: string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '60' },
      clients: { type: 'string', default: '50' },
      'deploy-every': { type: 'string', default: '1000' },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(LOAD_HELP);
    return 0;
  }
  const duration = Number(values.duration);
  const clients = Number(values.clients);
  const deployEveryMs = Number(values['deploy-every']);
  if (!(duration > 0) || !Number.isInteger(clients) || clients < 1 || !(deployEveryMs >= 0)) {
    process.stderr.write('--duration must be > 0, --clients a positive integer, --deploy-every ≥ 0\n');
    return 1;
  }
  const progress = values.quiet ? undefined : (msg: string) => process.stderr.write(`  ${msg}\n`);
  const server = await benchmarkDatabase(values['database-url'] ?? process.env.DATABASE_URL, progress);
  const databaseUrl = server.url;
  try {
    progress?.(`load: ${clients} clients for ${duration} s on ${maskSecrets(databaseUrl)}`);
    const report = await runLoad({ databaseUrl, clients, durationMs: duration * 1000, deployEveryMs, ...(progress ? { progress } : {}) });
    const out = values.out ?? defaultOut;
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'load.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(out, 'load.md'), loadMarkdown(report));
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${loadSummaryLines(report).join('\n')}\nreports written to ${out}/load.{json,md}\n`);
    return report.errors === 0 && report.incompleteModelAnswers === 0 && report.staleAfterCommit === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`load run failed: ${maskSecrets(String((error as Error)?.message ?? error))}\n`);
    return 2;
  } finally {
    server.stop();
  }
}

export function loadMarkdown(r: LoadReport): string {
  const row = (name: string, l: LoadReport['latency']['all']): string => `| ${name} | ${l.count} | ${l.p50Ms} | ${l.p99Ms} | ${l.maxMs} |`;
  return [
    `# Load: ${r.clients} clients, ${r.durationS} s`,
    '',
    `${r.requests} calls (${r.rows} rows), **errors ${r.errors}**; ${r.throughputPerS} calls/s, ${r.rowsPerS} rows/s.`,
    `Model cache: ${r.cache.hits} hits, ${r.cache.misses} misses (hit rate ${(r.cache.hitRate * 100).toFixed(2)} %).`,
    `${r.deployments.length} deployments during traffic; slowest commit → first answer from the new model: ${r.maxFirstServedMs ?? '—'} ms.`,
    `Answers from neither model: ${r.incompleteModelAnswers}; answered by the previous model after a commit: ${r.staleAfterCommit}.`,
    '',
    '| calls | count | p50 ms | p99 ms | max ms |',
    '|---|---|---|---|---|',
    row('single-row predict', r.latency.single),
    row('batch predict', r.latency.batch),
    row('all', r.latency.all),
    '',
  ].join('\n');
}
