import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PgmlError } from '@pgml-ts/core';
import type { Command } from '../command.js';

interface BenchmarksModule {
  runBenchCommand(args: string[]): Promise<number | void> | number | void;
}

const NOT_A_CHECKOUT = 'benchmarks run from a pgml-ts checkout: pnpm bench';

/**
 * `@pgml-ts/benchmarks` is private and depends on this package, so it cannot be our dependency: resolve it by
 * name when the workspace links it, else find it in the checkout around the current directory.
 */
async function importBenchmarks(): Promise<BenchmarksModule> {
  try {
    return (await import('@pgml-ts/benchmarks' as string)) as BenchmarksModule;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const manifest = join(dir, 'benchmarks', 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === '@pgml-ts/benchmarks') {
      const entry = join(dir, 'benchmarks', 'dist', 'index.js');
      if (!existsSync(entry)) {
        throw new PgmlError('INVALID_ARGUMENT', `${NOT_A_CHECKOUT} (benchmarks are not built yet: pnpm build)`);
      }
      return (await import(pathToFileURL(entry).href)) as BenchmarksModule;
    }
    if (dirname(dir) === dir) break;
  }
  throw new PgmlError('INVALID_ARGUMENT', NOT_A_CHECKOUT);
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmarks (from a pgml-ts checkout)',
  help: `Usage: pgml bench [vector|parity|all] [--rows N] [--out DIR]

Runs the benchmark suites and writes a JSON + Markdown (+ SVG) report:
  vector   dot-product scoring over a seeded table: SQL, JS and native kernels, cold and warm
  parity   every algorithm on the toy datasets: native vs scikit-learn quality and speed
  all      both (default)

Options:
  --rows N    rows in the vector table
  --out DIR   where to write the report

The benchmarks live in the pgml-ts repository, not in the published package: run them from a checkout
(pnpm bench).`,
  options: {},
  passThrough: true,
  async run({ rawArgs, global }) {
    const benchmarks = await importBenchmarks();
    const forwarded = [...rawArgs];
    if (global.json) forwarded.push('--json');
    if (global.quiet) forwarded.push('--quiet');
    if (global.databaseUrl) forwarded.push('--database-url', global.databaseUrl);
    const code = await benchmarks.runBenchCommand(forwarded);
    return typeof code === 'number' ? code : 0;
  },
};
