// e2e.json (the data), e2e.md (tables) and e2e.svg (one bar chart of every case) from one run.
import { formatValue, logBarChart } from '../report/svg-bar-chart.js';
import type { E2eReport, Measurement, RunnerId } from './run.js';

const RUNNER_LABELS: Record<RunnerId, string> = {
  floor: 'floor: bare binary COPY (psql → /dev/null)',
  'pgml-native': 'pgml train (native runtime)',
  'pgml-python': 'pgml train (python runtime)',
  pgml: 'pgml predict --into',
  'python-client': 'Python client (psycopg2 + pandas)',
  plpython: 'PostgresML 1.0 style (PL/Python in the database)',
};

const RUNNER_COLORS: Record<string, string> = {
  floor: '#9e9e9e',
  'pgml-native': '#2e8b57',
  'pgml-python': '#8fbc8f',
  pgml: '#2e8b57',
  'python-client': '#4f81bd',
  plpython: '#c0504d',
};

function stages(m: Measurement): string {
  if (!m.stages) return '';
  return Object.entries(m.stages)
    .filter(([name]) => name !== 'total')
    .map(([name, s]) => `${name} ${formatValue(s)}`)
    .join(' · ');
}

export function e2eMarkdown(report: E2eReport): string {
  const m = report.machine;
  const lines = [
    '# End-to-end benchmark: train from a table, score a table',
    '',
    `Every row is one process timed from spawn to exit (the PL/Python row: its SQL call), all measured in one run on ${m.cpus} ×`,
    `${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres} with shared_buffers=${m.sharedBuffers}. Peak RSS by GNU time.`,
    'Each trainer splits 75/25 its own way and reports its key metric on its own test rows (r2, or macro f1).',
    '',
  ];
  for (const c of report.cases) {
    const floor = c.measurements.find((x) => x.runner === 'floor' && !x.error)?.seconds;
    const ours = c.measurements.find((x) => (x.runner === 'pgml-native' || x.runner === 'pgml') && !x.error)?.seconds;
    lines.push(`## ${c.label}`, '', `\`${c.table}\`, ${c.rows.toLocaleString('en')} rows.`, '');
    lines.push('| runner | seconds | vs pgml | vs floor | peak RSS | metric | stages (s) |', '|---|---:|---:|---:|---:|---:|---|');
    for (const x of c.measurements) {
      if (x.error) {
        lines.push(`| ${RUNNER_LABELS[x.runner]} | failed | | | | | ${x.error.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
        continue;
      }
      const vsOurs = ours ? `${formatValue(x.seconds / ours)}×` : '';
      const vsFloor = floor ? `${formatValue(x.seconds / floor)}×` : '';
      const rss = x.peakRssMb === undefined ? '—' : `${x.peakRssMb.toFixed(0)} MiB`;
      const metric = x.metric === undefined ? '' : x.metric.toFixed(4);
      lines.push(`| ${RUNNER_LABELS[x.runner]} | ${formatValue(x.seconds)} | ${vsOurs} | ${vsFloor} | ${rss} | ${metric} | ${stages(x)} |`);
    }
    lines.push('');
  }
  lines.push('## Targets', '', '| target | wanted | measured | met |', '|---|---|---|:---:|');
  for (const t of report.targets) lines.push(`| ${t.name} | ${t.wanted} | ${t.measured} | ${t.met ? '✓' : '✗'} |`);
  lines.push(
    '',
    '## What each runner does',
    '',
    '- **pgml train**: `pgml train --relation … --json` on a fresh process: binary COPY decoded natively as it streams, preprocessing on the matrix in place, the fit, the score, the model stored. Its `timings` are the stages.',
    '- **Python client** (`benchmarks/python/e2e_client.py`): psycopg2 `COPY … TO STDOUT WITH CSV` → pandas → numpy (arrays parsed from their text, categories one-hot) → `train_test_split` → scikit-learn / xgboost with their defaults → `pickle.dumps` stored back; scoring fetches the same way, predicts and writes back with `COPY … FROM STDIN WITH CSV`.',
    '- **PostgresML 1.0 style** (`benchmarks/src/e2e/plpython.ts`): a PL/Python function doing what 1.0 did inside the backend: `plpy.execute(SELECT *)`, a Python loop building X, numpy, fit, pickle stored in a bytea.',
    '- **floor**: psql `\\copy (SELECT <the same columns> …) TO \'/dev/null\' WITH (FORMAT binary)` — moving the data and nothing else (median of 3).',
    '',
    '![end-to-end benchmark](e2e.svg)',
    '',
  );
  return lines.join('\n');
}

export function e2eSvg(report: E2eReport): string {
  const bars = report.cases.flatMap((c) =>
    c.measurements
      .filter((x) => !x.error && Number.isFinite(x.seconds))
      .map((x) => ({ label: `${c.id} · ${x.runner}`, value: x.seconds, group: x.runner === 'pgml' ? 'pgml-native' : x.runner })),
  );
  return logBarChart(bars, { title: 'Train from a table / score a table, end to end: seconds per process', unit: 'seconds', colors: RUNNER_COLORS });
}
