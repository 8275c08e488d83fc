// The CI gate (issues 7, 14): runs the quick parity profile, prints its table, writes results/quick/, and fails when a
// native algorithm's key metric differs from the committed full report's (1e-9: every run is seeded, so results
// reproduce), stops matching python where the report has them identical, or loses parity. Speed is printed, never
// asserted.
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { checkAgainstCommitted, summaryLines, writeParityReports } from '../src/parity/command.js';
import { PROFILES } from '../src/parity/profiles.js';
import { createProgress } from '../src/parity/progress.js';
import { runParity } from '../src/parity/run.js';
import { verdicts } from '../src/parity/verdict.js';

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

it('quick parity profile: native quality reproduces the committed report', { timeout: 15 * 60_000 }, async () => {
  const run = await runParity({ profile: PROFILES.quick, progress: createProgress({ quiet: true }) });
  const all = verdicts(run);
  writeParityReports(`${RESULTS}quick`, run, all);
  const check = checkAgainstCommitted(all, `${RESULTS}parity.json`);
  process.stdout.write(`\nparity (quick profile, ${run.durationSeconds} s)\n${summaryLines(all).join('\n')}\n${check.lines.join('\n')}\n`);
  expect(all.length).toBeGreaterThan(0);
  expect(check.failures).toEqual([]);
});
