#!/usr/bin/env node
// Sets up a fresh machine for pgml-ts, idempotently: Debian packages (as root), Rust, pnpm, JS dependencies and the
// native build. It runs BEFORE any npm dependency exists, so it uses Node built-ins only (the other scripts use zx).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.8';
// What the native build, the python runtime, the test server and the benchmarks need: PL/Python rows (vector, e2e),
// the end-to-end benchmark's Python client (psycopg2 + pandas) and its peak-RSS measurement (GNU time), and the
// Python linter `npm test` runs (flake8).
const DEBIAN_PACKAGES = [
  'librust-rayon-dev', 'librust-libc-dev', 'libopenblas-dev', 'libxgboost-dev',
  'python3-sklearn', 'python3-numpy', 'python3-scipy', 'python3-xgboost',
  'postgresql-15', 'postgresql-plpython3-15',
  'python3-psycopg2', 'python3-pandas', 'time',
  // The dashboard's browser tests drive it through playwright-core (Playwright's own download is not reachable).
  'chromium',
  'flake8',
];

const quiet = process.env.PGML_BOOTSTRAP_QUIET === '1';
const say = (msg) => { if (!quiet) process.stderr.write(`setup: ${msg}\n`); };
const fail = (msg) => { process.stderr.write(`\nsetup failed: ${msg}\n`); process.exit(1); };

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) fail(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`\`${[cmd, ...args].join(' ')}\` exited with ${r.status}`);
}
const works = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js >= 20.19 is required (found ${process.versions.node}).`);
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((pkg) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureDebianPackages() {
  if (!works('dpkg-query', ['--version'])) {
    say(`not a Debian system: make sure these are installed yourself: ${DEBIAN_PACKAGES.join(' ')}`);
    return;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) return say('Debian packages present');
  const install = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) fail(`missing Debian packages: ${missing.join(', ')}.\nRun:  sudo sh -c '${install}'\nthen re-run this command.`);
  if (!works('apt-get', ['--version'])) fail(`missing Debian packages and no apt-get: ${missing.join(', ')}`);
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

function ensureRust() {
  const cargoBin = join(homedir(), '.cargo', 'bin');
  if (existsSync(cargoBin) && !process.env.PATH.split(delimiter).includes(cargoBin)) {
    process.env.PATH = `${cargoBin}${delimiter}${process.env.PATH}`;
  }
  if (works('cargo', ['--version'])) return;
  if (process.getuid?.() !== 0) fail('Rust (cargo) is missing. Install it (e.g. `sudo apt-get install cargo`) and re-run.');
  say('installing Rust from Debian (cargo, rustc)');
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'cargo', 'rustc'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function ensurePnpm() {
  if (works('pnpm', ['--version'])) return;
  say(`installing pnpm ${PNPM_VERSION} through npm`);
  run('npm', ['install', '--global', `pnpm@${PNPM_VERSION}`, '--no-fund', '--no-audit']);
}

checkNode();
ensureDebianPackages();
ensureRust();
ensurePnpm();
say('installing JS dependencies (pnpm install)');
run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', ...(quiet ? ['--reporter=silent'] : ['--reporter=append-only'])]);
say('building packages (turbo; cached when nothing changed)');
run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
say('ready');
