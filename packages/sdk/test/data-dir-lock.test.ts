// The embedded database's data-directory lock with real processes: a second opener gets DATABASE_LOCKED naming the
// holder and changes nothing; a SIGKILLed holder's lock is taken over with the data intact; of several processes
// racing for one stale lock exactly one wins. The spawned processes run the built package (dist/).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresML } from '../src/client.js';
import { LOCK_FOLDER, tryLockDataDir } from '../src/drivers/data-dir-lock.js';
import { createPgliteDb } from '../src/drivers/pglite.js';
import { currentProcess } from '../src/drivers/process-identity.js';
import { killAll, startClient } from './processes.js';

const BUILT = existsSync(fileURLToPath(new URL('../dist/drivers/data-dir-lock.js', import.meta.url)));
const HAS_PROC = existsSync('/proc/self/stat');

let root: string;
let dirCount = 0;
function freshDir(): string {
  const dir = join(root, `db${++dirCount}`);
  mkdirSync(dir);
  return dir;
}

/** Every file under `dir` with a hash of its content. */
function contentsOf(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix))) {
    const relative = join(prefix, name);
    if (statSync(join(dir, relative)).isDirectory()) Object.assign(files, contentsOf(dir, relative));
    else files[relative] = createHash('sha1').update(readFileSync(join(dir, relative))).digest('hex');
  }
  return files;
}

function lockFiles(dir: string): string[] {
  return readdirSync(join(dir, LOCK_FOLDER)).sort();
}

function ownerRecord(dir: string): Record<string, unknown> {
  const owners = lockFiles(dir).filter((name) => name.startsWith('owner.'));
  expect(owners).toHaveLength(1);
  return JSON.parse(readFileSync(join(dir, LOCK_FOLDER, owners[0]!), 'utf8')) as Record<string, unknown>;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pgml-lock-'));
});
afterEach(() => killAll());
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!BUILT)(`embedded database lock across processes${BUILT ? '' : ' — skipped: packages/sdk is not built'}`, () => {
  it('refuses a second process with DATABASE_LOCKED naming the holder, before PGlite touches the directory', async () => {
    const dir = freshDir();
    const holder = startClient(['hold', dir, '100']);
    expect(await holder.next()).toEqual({ pid: holder.pid, ready: true });
    const before = contentsOf(dir);

    const second = startClient(['open', dir]);
    const refused = await second.next();
    expect(await second.exited).toBe(1);
    expect(refused.error).toMatchObject({ code: 'DATABASE_LOCKED', details: { pid: holder.pid, dataDir: dir, waitedMs: 0 } });
    expect(refused.error.message).toContain(`in use by pid ${holder.pid}`);
    expect(refused.error.message).toMatch(/--lock-timeout MS.*--database-url/);
    // This process is refused the same way.
    await expect(PostgresML.connect({ dataDir: dir })).rejects.toMatchObject({ code: 'DATABASE_LOCKED', details: { pid: holder.pid } });
    expect(contentsOf(dir)).toEqual(before);

    // With a lock timeout the next opener waits for the holder to close, then sees its data.
    const waiter = startClient(['open', dir, '60000']);
    holder.process.stdin!.end();
    expect(await holder.exited).toBe(0);
    expect(await waiter.next()).toEqual({ pid: waiter.pid, ok: true, rows: 100 });
    expect(await waiter.exited).toBe(0);
    expect(ownerRecord(dir)).toMatchObject({ pid: waiter.pid, released: true });
  });

  it('takes over the lock of a holder killed with SIGKILL, with its committed data intact', async () => {
    const dir = freshDir();
    const holder = startClient(['hold', dir, '250']);
    expect(await holder.next()).toMatchObject({ ready: true });
    holder.process.kill('SIGKILL');
    expect(await holder.exited).toBeNull();
    expect(ownerRecord(dir)).toMatchObject({ pid: holder.pid });
    expect(ownerRecord(dir).released).toBeUndefined();

    const db = await createPgliteDb(dir);
    try {
      expect((await db.query('SELECT count(*)::int AS n, sum(n)::int AS total FROM kept')).rows).toEqual([{ n: 250, total: 31375 }]);
      expect(ownerRecord(dir)).toMatchObject({ pid: process.pid });
    } finally {
      await db.close();
    }
    expect(ownerRecord(dir)).toMatchObject({ pid: process.pid, released: true });
  });

  it('releases the lock when the holder exits without closing', async () => {
    const dir = freshDir();
    const client = startClient(['exit-open', dir]);
    expect(await client.next()).toMatchObject({ ready: true });
    expect(await client.exited).toBe(0);
    expect(ownerRecord(dir)).toMatchObject({ pid: client.pid, released: true });
  });

  it('lets exactly one of several processes racing for the same stale lock win, round after round', async () => {
    const dir = freshDir();
    // A first holder, killed: its lock is stale for round 1; each round's winner is killed for the next.
    const first = startClient(['race', dir, '0']);
    expect(await first.next()).toMatchObject({ won: true });
    let stale = first;
    for (let round = 1; round <= 5; round++) {
      stale.process.kill('SIGKILL');
      await stale.exited;
      // Far enough ahead for every racer to have loaded; they then all try within a millisecond or so.
      const startAt = Date.now() + 1500;
      const racers = Array.from({ length: 4 }, () => startClient(['race', dir, String(startAt)]));
      const results = await Promise.all(racers.map((racer) => racer.next()));
      const winners = results.filter((result) => result.won);
      expect(winners, JSON.stringify(results)).toHaveLength(1);
      const winner = racers.find((racer) => racer.pid === winners[0]!.pid)!;
      for (const result of results.filter((r) => !r.won)) expect(result.holder).toMatchObject({ pid: winner.pid });
      await Promise.all(racers.filter((racer) => racer !== winner).map((racer) => racer.exited));
      // No leftovers: one record (the winner's, at generation round + 1), no temporary files.
      expect(lockFiles(dir)).toEqual([`owner.${round + 1}`]);
      expect(ownerRecord(dir)).toMatchObject({ pid: winner.pid });
      stale = winner;
    }
  });
});

describe('embedded database lock in this process', () => {
  it('allows one client per directory, until close; memory:// takes no lock', async () => {
    const dir = freshDir();
    const first = await PostgresML.connect({ dataDir: dir });
    const error = await PostgresML.connect({ dataDir: `file://${dir}` }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATABASE_LOCKED', details: { pid: process.pid, thisProcess: true } });
    expect((error as Error).message).toMatch(/already open in this process/);
    await first.close();
    const again = await PostgresML.connect({ dataDir: dir, lockTimeout: 0 });
    await again.close();

    const memories = await Promise.all([PostgresML.connect({ dataDir: 'memory://' }), PostgresML.connect({ dataDir: 'memory://' })]);
    await Promise.all(memories.map((m) => m.close()));
  });

  it('rejects a bad lock timeout before opening anything', async () => {
    const dir = freshDir();
    await expect(createPgliteDb(dir, { lockTimeout: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const saved = process.env.PGML_LOCK_TIMEOUT;
    process.env.PGML_LOCK_TIMEOUT = 'soon';
    try {
      await expect(createPgliteDb(dir)).rejects.toThrow(/PGML_LOCK_TIMEOUT must be a number of milliseconds ≥ 0, got "soon"/);
    } finally {
      if (saved === undefined) delete process.env.PGML_LOCK_TIMEOUT;
      else process.env.PGML_LOCK_TIMEOUT = saved;
    }
    expect(readdirSync(dir).filter((name) => name !== LOCK_FOLDER)).toEqual([]);
  });

  describe.skipIf(!HAS_PROC)('which records are stale', () => {
    function writeOwner(dir: string, record: Record<string, unknown>): void {
      mkdirSync(join(dir, LOCK_FOLDER), { recursive: true });
      writeFileSync(join(dir, LOCK_FOLDER, 'owner.1'), JSON.stringify(record));
    }

    it('a live pid with another start time (a reused pid) or from another boot is stale', async () => {
      const sleeper = spawn('sleep', ['60']);
      try {
        const me = currentProcess();
        for (const reused of [
          { pid: sleeper.pid, host: me.host, startTime: '1', bootId: me.bootId },
          { pid: sleeper.pid, host: me.host, startTime: me.startTime, bootId: 'another-boot' },
          'not a record',
        ]) {
          const dir = freshDir();
          if (typeof reused === 'string') {
            mkdirSync(join(dir, LOCK_FOLDER));
            writeFileSync(join(dir, LOCK_FOLDER, 'owner.1'), reused);
          } else {
            writeOwner(dir, { ...reused, since: new Date().toISOString() });
          }
          const lock = tryLockDataDir(dir);
          expect('release' in lock, JSON.stringify(reused)).toBe(true);
          expect(lockFiles(dir)).toEqual(['owner.2']);
          (lock as { release(): void }).release();
        }
      } finally {
        sleeper.kill('SIGKILL');
      }
    });

    it('a record from another host is respected: its pid cannot be checked from here', () => {
      const dir = freshDir();
      writeOwner(dir, { pid: 1, host: `not-${hostname()}`, since: '2026-01-01T00:00:00.000Z' });
      expect(tryLockDataDir(dir)).toEqual({ pid: 1, host: `not-${hostname()}`, since: '2026-01-01T00:00:00.000Z' });
    });
  });
});
