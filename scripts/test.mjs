#!/usr/bin/env zx
// Every test, against both databases: starts a throw-away PostgreSQL 15 (stopped on exit, failure or Ctrl-C),
// exports DATABASE_URL for the run, type-checks, then runs the vitest workspace. vitest's summary is the last output.
import { $ } from 'zx';
import { startPostgres } from './lib/postgres-server.mjs';

$.verbose = false;
// Tests run two vitest workers (plus Python workers) on two cores: OpenMP's busy-waiting threads (libxgboost,
// OpenBLAS) oversubscribe and stall each other — a 60-row XGBoost fit was seen taking 28 s. Results don't depend on
// the thread count (tested); the benchmarks, which measure speed, run outside this script with the defaults.
process.env.OMP_NUM_THREADS ??= '1';
process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
const server = await startPostgres();
process.env.DATABASE_URL = server.url;
let exitCode = 0;
try {
  const typecheck = await $({ stdio: 'inherit', nothrow: true })`pnpm exec turbo run typecheck --output-logs=errors-only`;
  if (typecheck.exitCode !== 0) {
    process.stderr.write('typecheck failed\n');
    exitCode = 1;
  }
  const vitest = await $({ stdio: 'inherit', nothrow: true })`pnpm exec vitest run ${process.argv.slice(3)}`;
  exitCode ||= vitest.exitCode ?? 1;
} finally {
  server.stop();
}
process.exit(exitCode);
