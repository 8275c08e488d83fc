#!/usr/bin/env zx
// Every check, in the order that fails fastest: type-check, lint (eslint, flake8, rustfmt, clippy — see each
// package's `lint` script), the Rust workspace's own tests, then every vitest project against both databases (a
// throw-away PostgreSQL 15 is started for it and stopped on exit, failure or Ctrl-C). Every step runs even when an
// earlier one failed, so one run reports everything; the exit code is 1 when any failed. vitest's summary comes last,
// then one line per step with its time. Arguments are passed to vitest.
import { $ } from 'zx';
import { startPostgres } from './lib/postgres-server.mjs';

$.verbose = false;
// Tests run two vitest workers (plus Python workers) on two cores: OpenMP's busy-waiting threads (libxgboost,
// OpenBLAS) oversubscribe and stall each other — a 60-row XGBoost fit was seen taking 28 s. Results don't depend on
// the thread count (tested); the benchmarks, which measure speed, run outside this script with the defaults.
process.env.OMP_NUM_THREADS ??= '1';
process.env.OMP_WAIT_POLICY ??= 'PASSIVE';

const NATIVE = new URL('../packages/native/', import.meta.url).pathname;
const results = [];

async function step(name, run) {
  const start = performance.now();
  const { exitCode } = await run($({ stdio: 'inherit', nothrow: true }));
  results.push({ name, ok: exitCode === 0, seconds: (performance.now() - start) / 1000 });
}

await step('typecheck', ($$) => $$`pnpm exec turbo run typecheck --output-logs=errors-only`);
await step('lint', ($$) => $$`pnpm exec turbo run lint lint:root --output-logs=errors-only`);
// The release profile: its dependencies are the ones the addon's build (`napi build --release`) already compiled.
await step('cargo test', ($$) => $$({ cwd: NATIVE })`cargo test --workspace --release --offline --quiet`);
const server = await startPostgres();
process.env.DATABASE_URL = server.url;
try {
  await step('vitest', ($$) => $$`pnpm exec vitest run ${process.argv.slice(3)}`);
} finally {
  server.stop();
}
for (const { name, ok, seconds } of results) {
  process.stderr.write(`${ok ? 'ok    ' : 'FAILED'} ${name.padEnd(10)} ${seconds.toFixed(0).padStart(5)} s\n`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
