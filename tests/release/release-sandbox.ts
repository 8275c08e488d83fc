// What the release tests share: the repository root, pack.mjs as a user runs it, and a child environment that has
// nothing of this checkout in it (no repo node_modules/.bin, no ~/.cargo, no npm_* / pnpm variables, no DATABASE_URL).
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const PACK_SCRIPT = join(REPO, 'scripts/pack.mjs');

/** True when `path` is `dir` or inside it. */
export const isInside = (path: string, dir: string) => !relative(dir, path).startsWith('..');

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (isInside(dir, REPO)) throw new Error(`the temp dir ${dir} is inside the repository`);
  return dir;
}

/** node's own folder and the system's, and nothing else: no cargo, no pnpm-injected node_modules/.bin. */
export function outsideEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = ['HOME', 'LANG', 'TMPDIR', 'TERM'].filter((name) => process.env[name] !== undefined);
  return {
    ...Object.fromEntries(keep.map((name) => [name, process.env[name]])),
    PATH: [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    ...extra,
  };
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

const execFileAsync = promisify(execFile);

export async function run(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  try {
    return await execFileAsync(cmd, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as RunResult;
    throw new Error(`\`${[cmd, ...args].join(' ')}\` failed in ${options.cwd}: ${(error as Error).message}\n${stdout}\n${stderr}`);
  }
}

export interface PackedTarball {
  name: string;
  version: string;
  file: string;
}

/** scripts/pack.mjs --no-build: the build is `npm test`'s (turbo), and rebuilding here could rewrite a loaded .node. */
export async function packAll(outDir: string, args: string[] = [], cwd = REPO): Promise<PackedTarball[]> {
  const { stdout } = await run(process.execPath, [join(cwd, 'scripts/pack.mjs'), '--no-build', '--json', '--out', outDir, ...args], {
    cwd,
    env: process.env,
  });
  return (JSON.parse(stdout) as { tarballs: PackedTarball[] }).tarballs;
}
