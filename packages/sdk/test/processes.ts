// Spawning real processes for the lock tests: the `pgml` CLI and test/fixtures/lock-client.mjs, both on the built
// package (dist/), each with its JSON lines on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/pgml.js', import.meta.url));
const CLIENT = fileURLToPath(new URL('./fixtures/lock-client.mjs', import.meta.url));

const running = new Set<ChildProcess>();

export interface Client {
  pid: number;
  process: ChildProcess;
  /** The next JSON line on stdout; rejects when the process exits first. */
  next(): Promise<Record<string, any>>;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts lock-client.mjs in `mode` (see the fixture for the modes). */
export function startClient(args: string[]): Client {
  const child = spawn(process.execPath, [CLIENT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  const waiters: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(line);
    else lines.push(line);
  });
  // 'close' comes after the last stdout line, so a waiter left then will never get one.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`lock-client ${args[0]} exited with ${code}: ${stderr}`));
      resolve(code);
    }),
  );
  return {
    pid: child.pid!,
    process: child,
    exited,
    next: async () => {
      const line = lines.shift() ?? (await new Promise<string>((resolve, reject) => waiters.push({ resolve, reject })));
      return JSON.parse(line) as Record<string, any>;
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pgml ARGS` on the embedded database in `dataDir`, without waiting for it in this thread. */
export function runCli(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: '', PGML_LOCK_TIMEOUT: '', PGML_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** Kills what a failed test left running. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
