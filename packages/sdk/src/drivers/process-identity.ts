/**
 * Who a process is, precisely enough to tell later whether it still runs: a pid alone is not enough, because the
 * kernel reuses pids. Like PostgreSQL's postmaster.pid (which records the start time next to the pid), we record
 * the process's start time (field 22 of /proc/<pid>/stat, clock ticks since boot) and the boot id; a live process
 * with the same pid but another start time is a different process, and another boot id means a reboot since.
 * Without /proc (macOS) only the pid is checked, with `kill(pid, 0)`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Absent where /proc is unavailable. */
  startTime?: string;
  bootId?: string;
}

interface ProcStat {
  /** R, S, D, … — Z (zombie) and X (dead) have exited. */
  state: string;
  startTime: string;
}

/** `/proc/<pid>/stat`, `'gone'` when the process does not exist, `undefined` when there is no /proc to ask. */
function readProcStat(pid: number): ProcStat | 'gone' | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return (code === 'ENOENT' || code === 'ESRCH') && hasProc() ? 'gone' : undefined;
  }
  // Field 2 (the command name, in parentheses) may itself contain spaces and parentheses: split after the last ')'.
  // The remaining fields start at field 3 (state); start time is field 22.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const startTime = fields[19];
  return startTime === undefined ? undefined : { state: fields[0]!, startTime };
}

let procAvailable: boolean | undefined;
function hasProc(): boolean {
  procAvailable ??= existsSync('/proc/self/stat');
  return procAvailable;
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

let self: ProcessIdentity | undefined;

/** This process. */
export function currentProcess(): ProcessIdentity {
  if (!self) {
    const stat = readProcStat(process.pid);
    const bootId = readBootId();
    self = {
      pid: process.pid,
      host: hostname(),
      ...(typeof stat === 'object' ? { startTime: stat.startTime } : {}),
      ...(bootId ? { bootId } : {}),
    };
  }
  return self;
}

/**
 * Whether the process still runs: `'alive'`, `'dead'`, or `'unknown'` when it ran on another host (a data directory on
 * a shared filesystem) and cannot be checked from here — the caller must then assume it is alive.
 */
export function processStatus(identity: ProcessIdentity): 'alive' | 'dead' | 'unknown' {
  const me = currentProcess();
  if (identity.host !== me.host) return 'unknown';
  if (identity.bootId && me.bootId && identity.bootId !== me.bootId) return 'dead';
  const stat = readProcStat(identity.pid);
  if (stat === 'gone') return 'dead';
  if (stat) {
    // A killed child stays a zombie until its parent reaps it: it holds nothing any more.
    if (stat.state === 'Z' || stat.state === 'X') return 'dead';
    return identity.startTime && identity.startTime !== stat.startTime ? 'dead' : 'alive';
  }
  return pidExists(identity.pid) ? 'alive' : 'dead';
}

/** `kill(pid, 0)`: ESRCH means no such process; EPERM means it exists but belongs to another user. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function sameProcess(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.pid === b.pid && a.host === b.host && a.startTime === b.startTime && a.bootId === b.bootId;
}
