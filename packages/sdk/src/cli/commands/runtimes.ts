import { ClientRuntimes, type RuntimesReport } from '../../runtimes/client-runtimes.js';
import { loadParity } from '../../runtimes/parity.js';
import { loadNative } from '../../vector.js';
import type { Command } from '../command.js';
import { noPositionals, oneOfFlag } from '../flags.js';
import { formatTable } from '../format.js';

const TASKS = ['regression', 'classification', 'clustering', 'decomposition'] as const;

function describe(report: RuntimesReport): string {
  const native = report.native.available ? 'available' : `unavailable — ${report.native.reason}`;
  const parity = report.parity.source ? `${report.parity.source} (${report.parity.entries} entries)` : 'none (PGML_PARITY_FILE sets one)';
  const table = formatTable(
    ['task', 'algorithm', 'auto picks', 'implemented by', 'why'],
    report.algorithms.map((a) => [a.task, a.algorithm, a.runtime ?? '–', a.implementedBy.join(', ') || '–', a.reason]),
  );
  return `native runtime: ${native}\npython runtime: ${report.python.interpreter}, started on first use\nparity table:   ${parity}\n\n${table}`;
}

export const runtimesCommand: Command = {
  name: 'runtimes',
  summary: "which runtime trains each algorithm with --runtime auto, and why",
  help: `Usage: pgml runtimes [--task T]

For every PostgresML algorithm: the runtime 'auto' trains it with (native Rust or python scikit-learn), which
runtimes implement it, and why auto chose as it did — from the parity table the benchmarks commit (native where
it meets scikit-learn's quality and is faster), else native wherever it implements the algorithm.
Opens no database and starts no Python.

Options:
  --task T   only this task (regression, classification, clustering, decomposition)

With --json: {"native": {"available", "reason"?}, "python": {…}, "parity": {"source", "entries"},
              "algorithms": [{"task","algorithm","runtime","reason","implementedBy","parity"?}, …]}`,
  options: { task: { type: 'string' } },
  async run({ values, positionals, output }) {
    noPositionals('runtimes', positionals);
    const task = oneOfFlag(values, 'task', TASKS);
    const runtimes = new ClientRuntimes(await loadNative().catch((error: Error) => error), await loadParity(undefined));
    try {
      const report = runtimes.report();
      if (task) report.algorithms = report.algorithms.filter((a) => a.task === task);
      output.result({ ...report }, describe(report));
    } finally {
      await runtimes.close();
    }
    return 0;
  },
};
