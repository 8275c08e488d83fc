/**
 * The CI gate: a change in a native algorithm's quality fails; speed never does. Every benchmarked algorithm runs
 * with a fixed random_state on fixed splits, so its key metric is deterministic, and the quick run is compared with
 * the committed report on the datasets both measured:
 * (1) native's key metric must equal the committed native value (to REPRODUCTION_TOLERANCE) — an algorithm whose
 *     output changes on purpose comes with a regenerated report;
 * (2) where the committed report has native equal to python (the algorithm reproduces scikit-learn/XGBoost
 *     exactly there), native must still equal python;
 * (3) an algorithm the report has at quality parity on a dataset must still be at parity there.
 * Algorithms new since the report must be at parity on every dataset they ran.
 */
import type { AlgorithmVerdict, Comparison } from './verdict.js';

/** Key metrics this close are the same result (a deterministic fit reproduces its metric to the last bits). */
export const REPRODUCTION_TOLERANCE = 1e-9;

interface BaselineDataset {
  dataset: string;
  native: number | null;
  python: number | null;
  parity?: boolean;
}

interface BaselineEntry {
  task: string;
  algorithm: string;
  aliasOf?: string;
  datasets?: BaselineDataset[];
}

export interface CheckResult {
  failures: string[];
  notes: string[];
}

const same = (a: number | null | undefined, b: number | null | undefined): boolean =>
  a !== null && a !== undefined && b !== null && b !== undefined && Math.abs(a - b) <= REPRODUCTION_TOLERANCE;

/** Why this dataset's result breaks the committed one, or undefined. */
function regression(c: Comparison, old: BaselineDataset): string | undefined {
  const native = c.native?.quality;
  const python = c.python?.quality;
  if (old.native !== null && native !== undefined && !same(native, old.native)) {
    return `native quality changed from ${exact(old.native)} to ${exact(native)} (regenerate the committed report if the change is intended)`;
  }
  if (same(old.native, old.python) && python !== undefined && !same(native, python)) {
    return `no longer identical to python — native ${fmt(native)} vs python ${fmt(python)} (both were ${fmt(old.python)})`;
  }
  if (old.parity === true && c.parity === false) {
    return `lost quality parity — native ${fmt(native)} vs python ${fmt(python)} (was ${fmt(old.native)} vs ${fmt(old.python)})`;
  }
  return undefined;
}

export function checkQualityRegressions(current: readonly AlgorithmVerdict[], baseline: { entries: BaselineEntry[] } | undefined): CheckResult {
  const failures: string[] = [];
  const notes: string[] = [];
  const base = new Map((baseline?.entries ?? []).filter((e) => !e.aliasOf).map((e) => [`${e.task}/${e.algorithm}`, e]));
  for (const v of current) {
    const name = `${v.task} ${v.algorithm}`;
    const before = base.get(`${v.task}/${v.algorithm}`);
    for (const c of v.comparisons) {
      if (c.native && c.native.status !== 'ok' && c.native.status !== 'skipped') {
        failures.push(`${name} on ${c.dataset}: native ${c.native.status} (${c.native.reason ?? 'no reason'})`);
        continue;
      }
      const old = before?.datasets?.find((d) => d.dataset === c.dataset);
      if (!before) {
        if (c.parity === false) failures.push(`${name} (new) on ${c.dataset}: native ${fmt(c.native?.quality)} vs python ${fmt(c.python?.quality)} — below parity`);
        continue;
      }
      if (!old) continue;
      const why = regression(c, old);
      if (why) failures.push(`${name} on ${c.dataset}: ${why}`);
      else if (old.parity === false && c.parity === false) notes.push(`${name} on ${c.dataset}: below parity, as in the committed report`);
    }
    if (!before) notes.push(`${name}: not in the committed report yet (checked for parity on its own)`);
  }
  return { failures, notes };
}

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toFixed(4);
}

/** Enough digits to show a difference the reproduction check cares about. */
function exact(v: number): string {
  return String(Number(v.toPrecision(15)));
}
