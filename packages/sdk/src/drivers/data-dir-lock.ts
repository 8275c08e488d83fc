/**
 * An exclusive lock on an embedded database's data directory, held from before PGlite opens it until it is closed.
 * PGlite is single-process: two processes with the same directory open both write PostgreSQL's files and silently
 * lose or mix each other's commits. The lock makes the second one fail with `DATABASE_LOCKED` (or wait).
 *
 * Node has no flock, so the lock is built from two atomic filesystem operations: `link(tmp, name)`, which creates
 * `name` with its whole content or fails with EEXIST, and `rename(tmp, name)`, which replaces a file's content at
 * once. (`open(name, 'wx')` then `write` would let a reader see an empty or half-written record.)
 *
 * The protocol. `<dataDir>/.pgml-lock/` holds numbered files `owner.<N>`; the one with the largest N says who holds
 * the lock: a record of the process (pid, start time, boot id, host — see process-identity.ts), or a `released`
 * record. To acquire:
 *   1. list the folder; M = the largest N (0 when there is none);
 *   2. if owner.M is an unreleased record of a process that still runs (or runs on another host), the directory is
 *      locked: report that process;
 *   3. otherwise link our record to owner.<M+1>; EEXIST means another process got there first: start again;
 *   4. list again: a file above M+1 means we were too slow (see below): remove ours and start again;
 *   5. we hold the lock; remove the files below M+1.
 * Release renames a `released` record over our owner.<N>; it never deletes it.
 *
 * Why two processes never both hold it. Taking over a stale lock, or a free one, is one exclusive create of the
 * next number, so of two processes that read the same stale owner.M exactly one creates owner.<M+1>; the other
 * gets EEXIST, starts again and finds the winner alive. PostgreSQL's postmaster.pid instead unlinks a stale file
 * and retries O_EXCL, where two starters that read the same stale pid can each unlink and re-create, one of them
 * removing the other's fresh lock; PostgreSQL catches that with its shared-memory interlock, which we lack.
 * The largest number present never goes down (a file is only removed while a larger one exists, and release keeps
 * its file), so a number is only free again after step 5 removed it. A process that read the folder long ago and
 * only now creates such an old number sees the larger files in step 4 and backs off; step 4 relies on one listing
 * of this small folder (a single getdents call on Linux, atomic with respect to link and unlink in the folder).
 * Records are written before they are linked, so a record is complete whenever it can be read; one that does not
 * parse was not written by this code and is treated as stale.
 *
 * A holder killed by SIGKILL leaves its record; its pid is then gone (or a zombie, or reused by a process with
 * another start time), so the next opener takes over at step 3. Normal exit releases every held lock
 * (`process.on('exit')`).
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DatabaseError, DatabaseLocked, InvalidArgument, type DataDirHolder } from '@pgml-ts/core';
import { currentProcess, pidExists, processStatus, sameProcess, type ProcessIdentity } from './process-identity.js';

export const LOCK_FOLDER = '.pgml-lock';
const OWNER_FILE = /^owner\.(\d+)$/;
const TEMP_FILE = /^tmp\.(\d+)\./;
/** Steps 1–4 start again only when another process made progress; this bounds a pathological livelock. */
const MAX_ATTEMPTS = 1000;
const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 1000;

interface LockRecord extends ProcessIdentity {
  since: string;
  released?: true;
}

export interface DataDirLock {
  readonly dataDir: string;
  /** Marks the lock released; idempotent. */
  release(): void;
}

/** `PGML_LOCK_TIMEOUT` (milliseconds), else 0: fail at once when another process has the directory. */
export function defaultLockTimeout(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.PGML_LOCK_TIMEOUT;
  if (text === undefined || text.trim() === '') return 0;
  return checkLockTimeout(Number(text), 'PGML_LOCK_TIMEOUT', JSON.stringify(text));
}

function checkLockTimeout(value: number, name = 'lockTimeout', shown = String(value)): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidArgument(`${name} must be a number of milliseconds ≥ 0, got ${shown}`, { [name]: shown });
  }
  return value;
}

/**
 * Takes the lock on `dataDir` (an existing directory). When another process holds it, polls with backoff for up to
 * `timeoutMs`, then throws `DatabaseLocked` naming the holder.
 */
export async function lockDataDir(dataDir: string, timeoutMs = 0): Promise<DataDirLock> {
  checkLockTimeout(timeoutMs);
  const started = Date.now();
  let pollMs = FIRST_POLL_MS;
  for (;;) {
    const attempt = tryLockDataDir(dataDir);
    if ('release' in attempt) return attempt;
    const waited = Date.now() - started;
    if (waited >= timeoutMs) throw new DatabaseLocked(dataDir, attempt, timeoutMs > 0 ? waited : 0);
    // Jitter keeps waiting processes from polling in lockstep.
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs * (0.5 + Math.random() / 2), timeoutMs - waited)));
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}

/** One attempt: the lock, or who holds it. */
export function tryLockDataDir(dataDir: string): DataDirLock | DataDirHolder {
  const folder = join(dataDir, LOCK_FOLDER);
  try {
    mkdirSync(folder, { recursive: true });
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const top = largestGeneration(folder);
      if (top > 0) {
        const current = readRecord(join(folder, `owner.${top}`));
        if (current === 'missing') continue; // removed by a process backing off at step 4: list again
        if (current && !current.released && processStatus(current) !== 'dead') return holderOf(current);
      }
      const mine = top + 1;
      const record: LockRecord = { ...currentProcess(), since: new Date().toISOString() };
      if (!publishRecord(folder, `owner.${mine}`, record, 'create')) continue;
      if (largestGeneration(folder) > mine) {
        removeIfPresent(join(folder, `owner.${mine}`));
        continue;
      }
      removeOlderFiles(folder, mine);
      return new HeldLock(dataDir, folder, mine);
    }
  } catch (error) {
    throw new DatabaseError(`could not lock the embedded database at ${dataDir}: ${(error as Error).message}`, {
      errno: (error as NodeJS.ErrnoException).code,
    });
  }
  throw new DatabaseError(`could not lock the embedded database at ${dataDir}: ${MAX_ATTEMPTS} attempts lost to other processes`);
}

function holderOf(record: LockRecord): DataDirHolder {
  const me = currentProcess();
  return {
    pid: record.pid,
    since: record.since,
    ...(record.host !== me.host ? { host: record.host } : {}),
    ...(sameProcess(record, me) ? { thisProcess: true } : {}),
  };
}

function generations(folder: string): number[] {
  return readdirSync(folder).flatMap((name) => {
    const match = OWNER_FILE.exec(name);
    return match ? [Number(match[1])] : [];
  });
}

function largestGeneration(folder: string): number {
  return Math.max(0, ...generations(folder));
}

/** The record, `'missing'` when the file is gone, `undefined` when it is not a record this code wrote (stale). */
function readRecord(path: string): LockRecord | 'missing' | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const record = JSON.parse(text) as Partial<LockRecord>;
    return Number.isSafeInteger(record.pid) && typeof record.host === 'string' ? (record as LockRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a temporary file, then links (create-only: false when `name` exists) or renames (replace) it to `name`. */
function publishRecord(folder: string, name: string, record: LockRecord, mode: 'create' | 'replace'): boolean {
  const temp = join(folder, `tmp.${process.pid}.${randomBytes(6).toString('hex')}`);
  writeFileSync(temp, `${JSON.stringify(record)}\n`, { flag: 'wx' });
  try {
    if (mode === 'create') linkSync(temp, join(folder, name));
    else renameSync(temp, join(folder, name));
    return true;
  } catch (error) {
    if (mode === 'create' && (error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    removeIfPresent(temp);
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Step 5: the generations below ours, and temporary files of processes that died between writing and linking. */
function removeOlderFiles(folder: string, mine: number): void {
  for (const name of readdirSync(folder)) {
    const owner = OWNER_FILE.exec(name);
    const temp = TEMP_FILE.exec(name);
    if ((owner && Number(owner[1]) < mine) || (temp && !pidExists(Number(temp[1])))) removeIfPresent(join(folder, name));
  }
}

/** Locks held by this process, released at exit if their clients were never closed. */
const held = new Set<HeldLock>();
let exitHookInstalled = false;

class HeldLock implements DataDirLock {
  #released = false;

  constructor(
    readonly dataDir: string,
    private readonly folder: string,
    private readonly generation: number,
  ) {
    held.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const lock of held) {
          try {
            lock.release();
          } catch {
            // Exiting anyway: the record of a dead pid is stale and the next opener takes over.
          }
        }
      });
    }
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    held.delete(this);
    const record: LockRecord = { ...currentProcess(), since: new Date().toISOString(), released: true };
    try {
      publishRecord(this.folder, `owner.${this.generation}`, record, 'replace');
    } catch (error) {
      // The directory was removed while open: there is nothing left to release.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
