/**
 * `pgml bench parity` / `pnpm bench parity`: runs a profile, writes parity.json (core's parity table + evidence),
 * parity.md and the two SVGs, prints the summary tables, and with `check` compares quality with the committed
 * full report (the CI gate, check.ts; exit 1 when a native result changed or lost parity, never on speed).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parityMarkdown, qualitySvg, speedupSvg, summaryTable } from '../report/parity-report.js';
import { checkQualityRegressions, type CheckResult } from './check.js';
import { PROFILES, type ProfileName } from './profiles.js';
import { createProgress } from './progress.js';
import { runParity, type ParityRun } from './run.js';
import { parityTable, targetChecks, verdicts, type AlgorithmVerdict } from './verdict.js';

export interface ParityCommandOptions {
  profile: ProfileName;
  out: string;
  /** The committed report that `check` compares against. */
  baseline: string;
  check: boolean;
  algorithms?: string[];
  json: boolean;
  quiet: boolean;
  note?: string;
}

export async function runParityCommand(options: ParityCommandOptions): Promise<number> {
  const progress = createProgress({ quiet: options.quiet });
  const run = await runParity({
    profile: PROFILES[options.profile],
    progress,
    ...(options.algorithms ? { algorithms: options.algorithms } : {}),
  });
  const all = verdicts(run);
  const table = writeParityReports(options.out, run, all, options.note);
  if (options.json) process.stdout.write(`${JSON.stringify(table)}\n`);
  const lines = summaryLines(all);
  let exitCode = 0;
  if (options.check) {
    const result = checkAgainstCommitted(all, options.baseline);
    lines.push(...result.lines);
    if (result.failures.length) exitCode = 1;
  }
  if (options.json) {
    process.stderr.write(`${lines.join('\n')}\n`);
  } else {
    process.stdout.write(`${lines.join('\n')}\nreports written to ${options.out}/parity{.json,.md,-speedup.svg,-quality.svg}\n`);
  }
  return exitCode;
}

/** Writes parity.json, parity.md and the SVGs into `out`; returns the parity table. */
export function writeParityReports(out: string, run: ParityRun, all: AlgorithmVerdict[], note?: string): ReturnType<typeof parityTable> {
  const targets = targetChecks(run, all);
  const table = parityTable(run, all);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'parity.json'), `${JSON.stringify(table, null, 2)}\n`);
  writeFileSync(join(out, 'parity.md'), parityMarkdown(run, all, targets, note));
  writeFileSync(join(out, 'parity-speedup.svg'), speedupSvg(run, all));
  writeFileSync(join(out, 'parity-quality.svg'), qualitySvg(run, all));
  return table;
}

/** The per-task summary tables, as printed to the terminal. */
export function summaryLines(all: readonly AlgorithmVerdict[]): string[] {
  const lines: string[] = [];
  for (const task of ['regression', 'classification', 'clustering', 'decomposition'] as const) {
    const of = all.filter((v) => v.task === task);
    if (of.length) lines.push(`${task} (${of[0]!.metric})`, ...summaryTable(of), '');
  }
  return lines;
}

/** The CI gate's comparison with the committed report at `baselinePath` (absent → parity of each algorithm only). */
export function checkAgainstCommitted(all: readonly AlgorithmVerdict[], baselinePath: string): CheckResult & { lines: string[] } {
  const baseline = existsSync(baselinePath) ? (JSON.parse(readFileSync(baselinePath, 'utf8')) as { entries: [] }) : undefined;
  const result = checkQualityRegressions(all, baseline);
  const lines = [baseline ? `quality check against ${baselinePath}:` : `quality check (no committed report at ${baselinePath}; parity only):`];
  for (const note of result.notes) lines.push(`  note: ${note}`);
  for (const failure of result.failures) lines.push(`  FAIL: ${failure}`);
  if (result.failures.length === 0) lines.push('  native quality reproduces the committed report');
  return { ...result, lines };
}
