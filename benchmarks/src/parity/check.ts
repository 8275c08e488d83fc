/**
 * The CI gate: a quality parity regression of a native algorithm fails; speed never does. Quality is deterministic
 * (fixed seeds, fixed splits), so the quick run is compared with the committed full report on the datasets both
 * measured: (1) an algorithm the baseline has at parity on a dataset must still be at parity there, and (2) native's
 * key metric must not drop more than the tolerance below the baseline's native value. Algorithms new since the
 * baseline must be at parity on every dataset they ran.
 */
import { QUALITY_TOLERANCE, type AlgorithmVerdict } from './verdict.js';

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
      if (old.parity === true && c.parity === false) {
        failures.push(`${name} on ${c.dataset}: lost quality parity — native ${fmt(c.native?.quality)} vs python ${fmt(c.python?.quality)} (was ${fmt(old.native)} vs ${fmt(old.python)})`);
      } else if (old.native !== null && c.native?.quality !== undefined && c.native.quality < old.native - QUALITY_TOLERANCE) {
        failures.push(`${name} on ${c.dataset}: native quality fell from ${fmt(old.native)} to ${fmt(c.native.quality)}`);
      } else if (old.parity === false && c.parity === false) {
        notes.push(`${name} on ${c.dataset}: below parity, as in the committed report`);
      }
    }
    if (!before) notes.push(`${name}: not in the committed report yet (checked for parity on its own)`);
  }
  return { failures, notes };
}

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toFixed(4);
}
