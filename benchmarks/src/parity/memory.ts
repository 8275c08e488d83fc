/**
 * Peak RSS per fit without a process per fit: Linux resets a process's high-water mark (VmHWM, also what
 * getrusage's maxrss reports) when "5" is written to /proc/PID/clear_refs. So: read VmRSS, reset, fit, read VmHWM.
 * Works for this process and for the python worker (same user). Elsewhere (no /proc) memory is not reported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { MemorySample } from './types.js';

function statusKb(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface MemoryProbe {
  finish(): MemorySample | undefined;
}

/** Starts watching `pid`'s peak; `finish()` after the fit returns the sample (undefined if /proc is unusable). */
export function startMemoryProbe(pid: number | 'self' = 'self'): MemoryProbe {
  const before = statusKb(pid, 'VmRSS');
  let reset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    reset = true;
  } catch {
    // no /proc or not permitted: report nothing rather than a lifetime peak
  }
  return {
    finish() {
      const peak = statusKb(pid, 'VmHWM');
      if (!reset || before === undefined || peak === undefined) return undefined;
      return { peakRssBytes: peak * 1024, fitExtraBytes: Math.max(0, peak - before) * 1024 };
    },
  };
}
