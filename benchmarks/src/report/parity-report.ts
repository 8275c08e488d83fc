// parity.md (tables for GitHub and terminals), and the two parity charts, from one run and its verdicts.
import type { Task } from '@pgml-ts/core';
import type { CellStats, ParityRun } from '../parity/run.js';
import { fmtX, QUALITY_TOLERANCE, type AlgorithmVerdict, type TargetCheck } from '../parity/verdict.js';
import { dumbbellChart } from './svg-dumbbell-chart.js';
import { logBarChart } from './svg-bar-chart.js';

const TASKS: readonly Task[] = ['regression', 'classification', 'clustering', 'decomposition'];
const mark = (v: boolean | undefined): string => (v === undefined ? '—' : v ? '✓' : '✗');
const q = (v: number | undefined): string => (v === undefined ? '—' : v.toFixed(3));
const x = (v: number | undefined): string => (v === undefined ? '—' : fmtX(v));

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1) return `${(ms * 1000).toFixed(ms < 0.01 ? 1 : 0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

function formatRate(rowsPerSec: number | undefined): string {
  if (rowsPerSec === undefined) return '—';
  if (rowsPerSec >= 1e6) return `${(rowsPerSec / 1e6).toFixed(1)} M/s`;
  if (rowsPerSec >= 1e3) return `${(rowsPerSec / 1e3).toFixed(1)} k/s`;
  return `${rowsPerSec.toFixed(0)}/s`;
}

const median = (values: number[]): number | undefined => {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const present = (values: (number | undefined)[]): number[] => values.filter((v): v is number => v !== undefined && Number.isFinite(v));

/** The main table of one task: one row per algorithm. */
export function summaryTable(verdicts: readonly AlgorithmVerdict[]): string[] {
  const lines = [
    '| algorithm | runtimes | median quality native / python | worst Δquality | fit speed-up | predict speed-up | single-row p50 native / python | fit RSS native / python | model size native / python | parity | faster | auto picks |',
    '|---|---|---|---:|---:|---:|---|---|---|:---:|:---:|---|',
  ];
  for (const v of verdicts) {
    const cs = v.comparisons;
    // Over the datasets both runtimes scored, so the two medians describe the same data.
    const both = cs.filter((c) => c.native?.quality !== undefined && c.python?.quality !== undefined);
    const nativeQ = median(present(both.map((c) => c.native?.quality)));
    const pythonQ = median(present(both.map((c) => c.python?.quality)));
    const deltas = cs.filter((c) => c.deltaQuality !== undefined);
    const worst = deltas.sort((a, b) => a.deltaQuality! - b.deltaQuality!)[0];
    const runtimes = [...new Set(cs.flatMap((c) => [c.native, c.python, c.sklearn, ...c.peers].filter((s) => s?.status === 'ok').map((s) => s!.runner)))];
    const largest = [...cs].reverse().find((c) => c.native?.status === 'ok' && c.python?.status === 'ok');
    const names = [v.algorithm, ...v.aliases].map((n) => `\`${n}\``).join(' / ');
    lines.push(
      `| ${names} | ${runtimes.join(', ')} | ${q(nativeQ)} / ${q(pythonQ)} | ${worst ? `${signed(worst.deltaQuality!)} (${worst.dataset})` : '—'} | ${x(v.fitSpeedup)} | ${x(v.predictSpeedup)} | ${formatMs(median(present(cs.map((c) => c.native?.singleRowP50Ms))))} / ${formatMs(median(present(cs.map((c) => c.python?.singleRowP50Ms))))} | ${formatBytes(largest?.native?.fitExtraBytes)} / ${formatBytes(largest?.python?.fitExtraBytes)} | ${formatBytes(largest?.native?.modelBytes)} / ${formatBytes(largest?.python?.modelBytes)} | ${mark(v.parity)} | ${mark(v.faster)} | ${v.choice} |`,
    );
  }
  return lines;
}

function signed(d: number): string {
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(3)}`;
}

function cellRow(dataset: string, c: CellStats): string {
  if (c.status !== 'ok') return `| ${dataset} | ${c.runner} | ${c.status}: ${c.reason ?? ''} |||||||`;
  return `| ${dataset} | ${c.runner} | ${q(c.quality)} | ${formatMs(c.fitMs)} | ${formatRate(c.predictRowsPerSec)} | ${formatMs(c.singleRowP50Ms)} / ${formatMs(c.singleRowP99Ms)} | ${formatBytes(c.peakRssBytes)} / ${formatBytes(c.fitExtraBytes)} | ${formatBytes(c.modelBytes)} |`;
}

export function parityMarkdown(run: ParityRun, verdicts: readonly AlgorithmVerdict[], targets: readonly TargetCheck[], note?: string): string {
  const m = run.machine;
  const lines: string[] = [
    `# Parity report: native (Rust) vs python (scikit-learn) — ${run.profile} profile`,
    '',
    `Measured ${run.createdAt.slice(0, 16).replace('T', ' ')} UTC in one run of ${Math.round(run.durationSeconds / 60)} min on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node} (load average ${m.loadAverage.start} at start, ${m.loadAverage.end} at end — with other work on the machine, times are noisier; quality is unaffected). Every runner fits the same seeded split; repetitions are interleaved across runners; times are medians. Quality is each runner's key metric on the test set, computed by core's metrics in TypeScript from that runner's predictions.`,
    '',
    ...(note ? [`> ${note}`, ''] : []),
    `**Verdicts** — parity ✓: native's key metric is within ${QUALITY_TOLERANCE} (absolute) of python's, or better, on every dataset. faster ✓: the geometric means over datasets of native's fit and batch-predict speed-ups vs the \`python\` runtime are both ≥ 1. \`runtime: 'auto'\` picks native only with both (parity.json). Speed-up = python time ÷ native time (1/2× = native twice as slow).`,
    '',
  ];
  for (const task of TASKS) {
    const of = verdicts.filter((v) => v.task === task);
    if (of.length === 0) continue;
    lines.push(`## ${task} (${of[0]!.metric})`, '', ...summaryTable(of), '');
  }
  lines.push('![speed-up of native over python per algorithm](parity-speedup.svg)', '', '![quality native vs python](parity-quality.svg)', '');

  if (targets.length) {
    lines.push(
      '## Issue 5 targets',
      '',
      'Speed-up vs scikit-learn timed inside Python (no bridge) for fit and batch predict; single-row vs a python-runtime round trip; memory = (training matrix + what the fit allocated at its peak) ÷ training matrix.',
      '',
      '| algorithm | dataset | target | measured | met |',
      '|---|---|---|---:|:---:|',
      ...targets.map((t) => `| ${t.task} \`${t.algorithm}\` | ${t.dataset} | ${t.target} | ${t.measured === undefined ? (t.note ?? '—') : t.target.startsWith('fit peak') ? `${t.measured.toFixed(2)}× data` : fmtX(t.measured)} | ${mark(t.met)} |`),
      '',
    );
    const missed = targets.filter((t) => t.met === false);
    if (missed.length) {
      lines.push(`**Missed (${missed.length}):** ${missed.map((t) => `${t.task} ${t.algorithm} on ${t.dataset}: ${t.target} — ${t.target.startsWith('fit peak') ? `${t.measured!.toFixed(2)}× data` : fmtX(t.measured!)}`).join('; ')}.`, '');
    }
  }

  lines.push('## Details per algorithm and dataset', '', 'single-row = one predict call of one row from JS (for sklearn-inprocess: inside Python); RSS = peak resident size of the fitting process during the fit / what the fit added to it.', '');
  for (const v of verdicts) {
    lines.push(`### ${v.task} \`${v.algorithm}\` (${v.estimator})`, '', `auto: **${v.choice}** — ${v.why}.`, '');
    lines.push('| dataset | runner | ' + v.metric + ' | fit | batch predict | single-row p50 / p99 | fit RSS peak / added | model size |', '|---|---|---:|---:|---:|---|---|---:|');
    for (const c of v.comparisons) {
      for (const cell of [c.native, c.python, c.sklearn, ...c.peers]) if (cell) lines.push(cellRow(c.dataset, cell));
    }
    lines.push('');
  }

  lines.push('## Runners', '');
  for (const r of run.runners) lines.push(`- \`${r.id}\` (${r.kind}): ${r.description}${r.unavailable ? ` — **unavailable**: ${r.unavailable}` : ''}`);
  lines.push('', '## Datasets and splits', '', '| dataset | task | rows | features | train / test | split |', '|---|---|---:|---:|---|---|');
  for (const d of run.datasets) {
    lines.push(`| ${d.id} | ${d.task} | ${d.rows.toLocaleString('en-US')} | ${d.features} | ${d.split.trainRows.toLocaleString('en-US')} / ${d.split.testRows.toLocaleString('en-US')} | ${d.split.sampling}, seed ${d.split.seed}, test ${d.split.testSize} (test rows hash ${d.split.testIndexHash}) |`);
  }
  lines.push(
    '',
    'Clustering and decomposition run on the classification sets\' features. Silhouette is computed on at most 2,000 test rows (the same rows for every runner). Peers (ml.js) are JavaScript reference points with their own algorithms and defaults (see Runners); they get no verdict.',
    '',
  );
  return lines.join('\n');
}

export function speedupSvg(run: ParityRun, verdicts: readonly AlgorithmVerdict[]): string {
  const bars = verdicts.flatMap((v) => {
    const label = `${v.task} ${v.algorithm}`;
    return [
      { label: `${label} · fit`, value: v.fitSpeedup ?? 0, group: 'fit' },
      { label: `${label} · batch predict`, value: v.predictSpeedup ?? 0, group: 'batch predict' },
      { label: `${label} · single row`, value: v.singleRowSpeedup ?? 0, group: 'single-row predict' },
    ];
  });
  return logBarChart(bars, {
    title: `Native speed-up over the python runtime (${run.profile} profile, geometric mean over datasets)`,
    unit: '×',
    axisLabel: 'python time ÷ native time (log scale; right of the dashed line = native faster)',
    reference: { value: 1, label: '1× = same speed' },
    valueSuffix: '×',
    colors: { fit: '#4f81bd', 'batch predict': '#2e8b57', 'single-row predict': '#f0a030' },
  });
}

export function qualitySvg(run: ParityRun, verdicts: readonly AlgorithmVerdict[]): string {
  const rows = verdicts.flatMap((v) =>
    v.comparisons
      .filter((c) => c.native?.quality !== undefined || c.python?.quality !== undefined)
      .map((c) => ({
        section: `${v.task} ${v.algorithm} (${v.metric})`,
        label: c.dataset,
        a: c.native?.quality,
        b: c.python?.quality,
        bad: c.parity === false,
      })),
  );
  return dumbbellChart(rows, {
    title: `Quality on the test split: native vs python (${run.profile} profile)`,
    axisLabel: 'key metric on the test set (r2 / macro f1 / silhouette / explained variance; higher is better)',
    aLabel: 'native (Rust)',
    bLabel: 'python (sklearn)',
    badLabel: `native more than ${QUALITY_TOLERANCE} below python`,
  });
}
