/**
 * From raw cells to decisions: per algorithm and dataset the native-vs-python comparison (quality delta, speed-up
 * ratios, also against sklearn-inprocess), the verdicts that `runtime: 'auto'` follows, and issue 5's speed and
 * memory targets. Pure functions of a ParityRun, so they are unit-tested without running anything.
 */
import { keyMetric, type ParityEntry, type ParityTable, type Task } from '@pgml-ts/core';
import type { CellStats, DatasetInfo, ParityRun } from './run.js';

/** Native is at quality parity when its key metric is at most this much below python's (absolute), or better. */
export const QUALITY_TOLERANCE = 0.01;

export interface Comparison {
  dataset: string;
  native?: CellStats;
  python?: CellStats;
  sklearn?: CellStats;
  peers: CellStats[];
  /** native − python key metric. */
  deltaQuality?: number;
  parity?: boolean;
  /** How many times faster native is (python time ÷ native time); > 1 = native faster. */
  fitSpeedup?: number;
  predictSpeedup?: number;
  singleRowSpeedup?: number;
  fitSpeedupVsSklearn?: number;
  predictSpeedupVsSklearn?: number;
}

export interface AlgorithmVerdict {
  task: Task;
  algorithm: string;
  aliases: string[];
  estimator: string;
  metric: string;
  comparisons: Comparison[];
  /** Native within tolerance of python on every dataset both ran (undefined when no dataset had both). */
  parity?: boolean;
  /** Geometric mean over datasets of the speed-ups. */
  fitSpeedup?: number;
  predictSpeedup?: number;
  singleRowSpeedup?: number;
  faster?: boolean;
  choice: 'native' | 'python';
  why: string;
}

const ok = (c: CellStats | undefined): c is CellStats => c?.status === 'ok';
const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a !== undefined && b !== undefined && a > 0 && b > 0 ? a / b : undefined;

export function geometricMean(values: readonly (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined && v > 0 && Number.isFinite(v));
  if (present.length === 0) return undefined;
  return Math.exp(present.reduce((s, v) => s + Math.log(v), 0) / present.length);
}

export function compare(dataset: string, cells: readonly CellStats[]): Comparison {
  const find = (id: string) => cells.find((c) => c.runner === id);
  const native = find('native');
  const python = find('python');
  const sklearn = find('sklearn-inprocess');
  const peers = cells.filter((c) => !['native', 'python', 'sklearn-inprocess'].includes(c.runner));
  const comparison: Comparison = { dataset, peers, ...(native ? { native } : {}), ...(python ? { python } : {}), ...(sklearn ? { sklearn } : {}) };
  if (ok(native) && ok(python) && native.quality !== undefined && python.quality !== undefined) {
    comparison.deltaQuality = native.quality - python.quality;
    comparison.parity = comparison.deltaQuality >= -QUALITY_TOLERANCE;
  }
  if (ok(native)) {
    if (ok(python)) {
      assign(comparison, 'fitSpeedup', ratio(python.fitMs, native.fitMs));
      assign(comparison, 'predictSpeedup', ratio(python.batchPredictMs, native.batchPredictMs));
      assign(comparison, 'singleRowSpeedup', ratio(python.singleRowP50Ms, native.singleRowP50Ms));
    }
    if (ok(sklearn)) {
      assign(comparison, 'fitSpeedupVsSklearn', ratio(sklearn.fitMs, native.fitMs));
      assign(comparison, 'predictSpeedupVsSklearn', ratio(sklearn.batchPredictMs, native.batchPredictMs));
    }
  }
  return comparison;
}

function assign<K extends keyof Comparison>(target: Comparison, key: K, value: Comparison[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function verdicts(run: ParityRun): AlgorithmVerdict[] {
  return run.algorithms.map((algorithm) => {
    const comparisons = algorithm.datasets.map((d) => compare(d.dataset, d.cells));
    const judged = comparisons.filter((c) => c.parity !== undefined);
    const parity = judged.length ? judged.every((c) => c.parity) : undefined;
    const fitSpeedup = geometricMean(comparisons.map((c) => c.fitSpeedup));
    const predictSpeedup = geometricMean(comparisons.map((c) => c.predictSpeedup));
    const singleRowSpeedup = geometricMean(comparisons.map((c) => c.singleRowSpeedup));
    const faster = fitSpeedup !== undefined && predictSpeedup !== undefined ? fitSpeedup >= 1 && predictSpeedup >= 1 : undefined;
    const { choice, why } = decide(parity, faster, judged.filter((c) => !c.parity).map((c) => c.dataset), fitSpeedup, predictSpeedup);
    return {
      task: algorithm.task,
      algorithm: algorithm.algorithm,
      aliases: algorithm.aliases,
      estimator: algorithm.estimator,
      metric: keyMetric(algorithm.task),
      comparisons,
      ...(parity !== undefined ? { parity } : {}),
      ...(fitSpeedup !== undefined ? { fitSpeedup } : {}),
      ...(predictSpeedup !== undefined ? { predictSpeedup } : {}),
      ...(singleRowSpeedup !== undefined ? { singleRowSpeedup } : {}),
      ...(faster !== undefined ? { faster } : {}),
      choice,
      why,
    };
  });
}

export function decide(
  parity: boolean | undefined,
  faster: boolean | undefined,
  failedDatasets: readonly string[],
  fitSpeedup?: number,
  predictSpeedup?: number,
): { choice: 'native' | 'python'; why: string } {
  if (parity === undefined || faster === undefined) {
    return { choice: 'python', why: 'not measured against python in this run' };
  }
  if (!parity) return { choice: 'python', why: `native quality below python's by more than ${QUALITY_TOLERANCE} on ${failedDatasets.join(', ')}` };
  if (!faster) {
    const slow = [fitSpeedup !== undefined && fitSpeedup < 1 ? `fit ${fmtX(fitSpeedup)}` : '', predictSpeedup !== undefined && predictSpeedup < 1 ? `predict ${fmtX(predictSpeedup)}` : '']
      .filter(Boolean)
      .join(', ');
    return { choice: 'python', why: `quality parity, but native is slower (${slow})` };
  }
  return { choice: 'native', why: `quality parity and faster (fit ${fmtX(fitSpeedup!)}, predict ${fmtX(predictSpeedup!)} vs python)` };
}

/** "12.3× faster" style for speed-up ratios (≥ 1 faster, < 1 slower). */
export function fmtX(x: number): string {
  if (x >= 1) return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
  return `1/${(1 / x) >= 10 ? (1 / x).toFixed(1) : (1 / x).toFixed(2)}×`;
}

/** parity.json: core's parity table (version, entries with choice) plus the evidence and the run's raw data. */
export function parityTable(run: ParityRun, all: AlgorithmVerdict[]): ParityTable & Record<string, unknown> {
  const entries: ParityEntry[] = all.flatMap((v) =>
    [v.algorithm, ...v.aliases].map((name) => ({
      task: v.task,
      algorithm: name,
      choice: v.choice,
      why: v.why,
      ...(name !== v.algorithm ? { aliasOf: v.algorithm } : {}),
      estimator: v.estimator,
      metric: v.metric,
      ...(v.parity !== undefined ? { parity: v.parity } : {}),
      ...(v.faster !== undefined ? { faster: v.faster } : {}),
      ...(v.fitSpeedup !== undefined ? { fitSpeedup: round(v.fitSpeedup) } : {}),
      ...(v.predictSpeedup !== undefined ? { predictSpeedup: round(v.predictSpeedup) } : {}),
      ...(v.singleRowSpeedup !== undefined ? { singleRowSpeedup: round(v.singleRowSpeedup) } : {}),
      datasets: v.comparisons.map((c) => ({
        dataset: c.dataset,
        native: c.native?.quality ?? null,
        python: c.python?.quality ?? null,
        ...(c.deltaQuality !== undefined ? { delta: round(c.deltaQuality) } : {}),
        ...(c.parity !== undefined ? { parity: c.parity } : {}),
      })),
    })),
  );
  return {
    version: 1,
    entries,
    suite: 'parity',
    profile: run.profile,
    createdAt: run.createdAt,
    rule: `native when its key metric is within ${QUALITY_TOLERANCE} (absolute) of python's or better on every dataset AND the geometric means over datasets of fit and batch-predict speed-ups vs the python runtime are ≥ 1; else python`,
    run,
  };
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

// ---- issue 5's targets ----

export interface TargetCheck {
  algorithm: string;
  task: Task;
  target: string;
  dataset: string;
  measured?: number;
  met?: boolean;
  note?: string;
}

/** Datasets issue 5 measures speed on: the task's 100k synthetic set and digits (classification features). */
function speedDatasets(task: Task): string[] {
  return [task === 'regression' ? 'synthetic_regression_100k' : 'synthetic_classification_100k', 'digits'];
}

export function targetChecks(run: ParityRun, all: AlgorithmVerdict[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const info = new Map<string, DatasetInfo>(run.datasets.map((d) => [d.id, d]));
  for (const v of all) {
    for (const dataset of speedDatasets(v.task)) {
      const c = v.comparisons.find((x) => x.dataset === dataset);
      if (!c) continue;
      const base = { algorithm: v.algorithm, task: v.task, dataset };
      checks.push({ ...base, target: 'fit ≤ 1.0× sklearn in-process', ...measuredAgainst(c.fitSpeedupVsSklearn, 1, c) });
      checks.push({ ...base, target: 'batch predict ≥ 3× faster than sklearn in-process', ...measuredAgainst(c.predictSpeedupVsSklearn, 3, c) });
      checks.push({ ...base, target: 'single-row predict ≥ 35× faster than a python round trip', ...measuredAgainst(c.singleRowSpeedup, 35, c) });
    }
    const million = v.task === 'regression' ? 'synthetic_regression_1m' : 'synthetic_classification_1m';
    const c = v.comparisons.find((x) => x.dataset === million);
    const bytes = info.get(million)?.trainXBytes;
    if (c && bytes) {
      const extra = c.native?.fitExtraBytes;
      const measured = extra !== undefined && c.native?.status === 'ok' ? (bytes + extra) / bytes : undefined;
      checks.push({
        algorithm: v.algorithm,
        task: v.task,
        dataset: million,
        target: 'fit peak memory ≤ 2× the raw training data',
        ...(measured !== undefined ? { measured, met: measured <= 2 } : { note: c.native?.reason ?? 'not measured' }),
      });
    }
  }
  return checks;
}

function measuredAgainst(value: number | undefined, wanted: number, c: Comparison): Partial<TargetCheck> {
  if (value === undefined) {
    const missing = [c.native, c.sklearn, c.python].find((x) => x && x.status !== 'ok');
    return { note: missing ? `${missing.runner}: ${missing.status}${missing.reason ? ` (${missing.reason})` : ''}` : 'not measured' };
  }
  return { measured: value, met: value >= wanted };
}
