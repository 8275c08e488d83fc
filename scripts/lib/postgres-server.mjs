// A throw-away PostgreSQL 15 server for tests and benchmarks: initdb in a temp dir as the `postgres` user
// (initdb refuses root), a free loopback port, trust auth on loopback only, stopped on exit, failure or Ctrl-C.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_BIN = process.env.PGML_PG_BIN ?? '/usr/lib/postgresql/15/bin';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function runPg(bin, args, options = {}) {
  const path = join(PG_BIN, bin);
  const isRoot = process.getuid?.() === 0;
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
  return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/**
 * `settings` adds or overrides server settings (`{ shared_buffers: '1GB' }`): the end-to-end benchmark runs the server
 * as its issue measured it.
 */
export async function startPostgres({ log = (msg) => process.stderr.write(`${msg}\n`), settings = {} } = {}) {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 server binaries not found in ${PG_BIN} (apt-get install postgresql-15)`);
  }
  const dir = serverDir();
  const data = join(dir, 'data');
  runPg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '-N']);
  return launch(dir, data, { ...settings }, log, 'PostgreSQL 15');
}

/**
 * A hot standby of `primary` (a server from `startPostgres`): a base backup with `-R` (streaming replication from the
 * primary, read-only, `pg_is_in_recovery()` true) started on a port of its own.
 */
export async function startStandby(primary, { log = (msg) => process.stderr.write(`${msg}\n`) } = {}) {
  const dir = serverDir();
  const data = join(dir, 'data');
  runPg('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '-c', 'fast']);
  return launch(dir, data, { hot_standby: 'on' }, log, `a hot standby of 127.0.0.1:${primary.port}`);
}

/** A temp dir the `postgres` user owns. */
function serverDir() {
  const dir = mkdtempSync(join(tmpdir(), 'pgml-ts-pg-'));
  chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  return dir;
}

/** Starts the server in `data` on a free loopback port; stopped (and `dir` removed) on exit, failure or Ctrl-C. */
async function launch(dir, data, settings, log, what) {
  const port = await freePort();
  // A standby needs max_connections ≥ its primary's: both use the same value.
  const all = { listen_addresses: '127.0.0.1', port, unix_socket_directories: dir, fsync: 'off', max_connections: 200, shared_buffers: '256MB', ...settings };
  const opts = Object.entries(all).map(([name, value]) => `-c ${name}=${value}`).join(' ');
  const start = () => runPg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  log(`${what} started on 127.0.0.1:${port} (data in ${data})`);

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spawnSync(process.getuid?.() === 0 ? 'runuser' : join(PG_BIN, 'pg_ctl'),
      process.getuid?.() === 0
        ? ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']
        : ['-D', data, '-m', 'immediate', '-w', 'stop'],
      { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  const pgCtl = (args) => runPg('pg_ctl', ['-D', data, ...args]);
  return {
    url,
    port,
    dataDir: data,
    socketDir: dir,
    pgBin: PG_BIN,
    stop,
    pgCtl,
    // A crash as the fault tests need it: every backend killed at once, no checkpoint; the data directory stays.
    stopImmediate: () => pgCtl(['-m', 'immediate', '-w', 'stop']),
    // Starts the same data directory again on the same port with the same options (crash recovery runs first).
    restart: () => {
      if (stopped) throw new Error('this PostgreSQL server was stopped for good');
      start();
    },
  };
}
