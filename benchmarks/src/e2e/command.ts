/** `pgml bench e2e [--scale F] [--cases a,b] [--database-url URL] [--out DIR] [--json] [--quiet]`: writes e2e.{json,md,svg}. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { maskSecrets } from '@pgml-ts/sdk';
import { e2eMarkdown, e2eSvg } from './report.js';
import { runE2eBenchmark } from './run.js';
import { benchmarkDatabase } from '../database.js';

export const E2E_HELP = `pgml bench e2e [options]

  Trains from PostgreSQL tables (1M × 20 float8 regression and 3-class, 100k × real[256] embeddings, 500k mixed
  numeric + text) and scores a 1M-row table, timing in one run: the pgml CLI (native and python runtimes), the
  Python client a user would write (psycopg2 + pandas + scikit-learn/xgboost), PostgresML 1.0-style training in
  PL/Python inside the database, and a bare binary COPY of the same columns (the floor).

  --scale F             table sizes relative to 1M rows (default 1; e.g. 0.1 for a quick look)
  --cases a,b           only these cases: num_reg_linear, num_reg_xgboost, num_cls_linear, embeddings_linear,
                        mixed_xgboost, score_1m (score_1m uses num_reg_linear's models)
  --database-url URL    PostgreSQL to run in (default: a throw-away local PostgreSQL 15 with shared_buffers=1GB)
  --out DIR             where e2e.json, e2e.md and e2e.svg go (default benchmarks/results)
  --json                print the report as one JSON object on stdout
  --quiet               no progress on stderr
`;

export async function runE2eCommand(argv: string[], defaultOut: string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: '1' },
      cases: { type: 'string' },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(E2E_HELP);
    return 0;
  }
  const scale = Number(values.scale);
  if (!(scale > 0)) {
    process.stderr.write('--scale must be a positive number\n');
    return 1;
  }
  const progress = values.quiet ? undefined : (m: string) => process.stderr.write(`  ${maskSecrets(m)}\n`);
  // The issue measured a server with 1 GB of shared buffers: the tables stay in memory between runners.
  const server = await benchmarkDatabase(values['database-url'], progress, { shared_buffers: '1GB' });
  const databaseUrl = server.url;
  try {
    const report = await runE2eBenchmark({
      databaseUrl,
      psql: join(server.pgBin ?? '/usr/lib/postgresql/15/bin', 'psql'),
      scale,
      ...(values.cases ? { cases: values.cases.split(',').map((c) => c.trim()) } : {}),
      ...(progress ? { progress } : {}),
    });
    const out = values.out ?? defaultOut;
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'e2e.json'), `${JSON.stringify(report, null, 2)}\n`);
    const markdown = e2eMarkdown(report);
    writeFileSync(join(out, 'e2e.md'), markdown);
    writeFileSync(join(out, 'e2e.svg'), e2eSvg(report));
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${markdown}\nreports written to ${out}/e2e.{json,md,svg}\n`);
    return 0;
  } finally {
    server.stop();
  }
}
