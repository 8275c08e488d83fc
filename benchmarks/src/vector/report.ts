// vector.json (the data), vector.md (tables for GitHub and terminals) and vector.svg (bar chart) from one run.
import { formatValue, logBarChart } from '../report/svg-bar-chart.js';
import type { VectorReport } from './run.js';

const GROUP_COLORS: Record<string, string> = {
  'in-database': '#c0504d',
  'cold (fetch + compute)': '#4f81bd',
  'cold parts': '#9bbbdf',
  warm: '#2e8b57',
  'kernel only': '#f0a030',
};

export function vectorMarkdown(report: VectorReport): string {
  const m = report.machine;
  const lines = [
    '# Vector benchmark: dot product of one query against 10,000 × 128 FLOAT4[] embeddings',
    '',
    `PostgresML's "Moving to Rust for 2.0" table, reproduced on a real PostgreSQL ${m.postgres} and compared with pgml-ts's paths.`,
    `${report.rows.toLocaleString('en-US')} rows × ${report.dim} dims; median of ${report.runs} timed runs after warm-up (min–max shown), all rows measured in one run on`,
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}. Sub-millisecond rows time batches of calls and report the per-call mean.`,
    '',
    '| path | group | median ms | min–max ms | vs SQL |',
    '|---|---|---:|---:|---:|',
    ...report.results.map((r) =>
      `| ${r.label} | ${r.group} | ${formatValue(r.medianMs)} | ${formatValue(r.minMs)}–${formatValue(r.maxMs)} | ${r.id === 'sql' ? 'baseline' : r.speedupVsSql ? formatSpeedup(r.speedupVsSql) : '—'} |`),
    '',
    '## Targets',
    '',
    '| target | wanted | measured | met |',
    '|---|---|---|:---:|',
    ...report.targets.map((t) => `| ${t.name} | ${t.target} | ${t.measured} | ${t.met ? '✓' : '✗'} |`),
    '',
  ];
  const missing = Object.entries(report.unavailable);
  if (missing.length) {
    lines.push('## Rows not measured', '', ...missing.map(([id, why]) => `- \`${id}\`: ${why}`), '');
  }
  lines.push(
    '## What each path does',
    '',
    '- **in-database**: the article\'s functions verbatim, `SELECT f(vector, $1) … ORDER BY 1 DESC LIMIT 1` (the query vector is bound once so every row ranks the same vector).',
    '- **cold**: `COPY (SELECT vector …) TO STDOUT (FORMAT binary)` over node-postgres, parsed into one Float32Array (in JS or in Rust), then a native top-1 scan.',
    '- **warm**: the matrix parsed once into native memory (`NativeMatrix`, what `pgml.vector.loadMatrix()` returns), then only the scan per query.',
    '- **kernel only**: the scan over an in-memory Float32Array: plain JS loop, our Rust kernel, OpenBLAS `cblas_sgemv`.',
    '',
    '![vector benchmark](vector.svg)',
    '',
  );
  return lines.join('\n');
}

function formatSpeedup(x: number): string {
  return x >= 1 ? `${x >= 100 ? x.toFixed(0) : x.toFixed(1)}× faster` : `${(1 / x).toFixed(1)}× slower`;
}

export function vectorSvg(report: VectorReport): string {
  return logBarChart(
    report.results.map((r) => ({ label: r.label, value: r.medianMs, group: r.group })),
    {
      title: `Dot product, 1 query × ${report.rows.toLocaleString('en-US')} × ${report.dim} FLOAT4 — median time per query`,
      unit: 'milliseconds',
      colors: GROUP_COLORS,
    },
  );
}
