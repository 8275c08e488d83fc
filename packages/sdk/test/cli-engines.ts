// Running the built `pgml` CLI as a user does (a spawned node process) against the embedded database or a fresh
// PostgreSQL database, with --json parsed strictly: exactly one JSON object on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Db } from '@pgml-ts/core';
import { createPgDb } from '../src/drivers/pg.js';
import { createPgliteDb } from '../src/drivers/pglite.js';
import { createPostgresDatabase, hasPostgres } from './databases.js';

export const BIN = fileURLToPath(new URL('../bin/pgml.js', import.meta.url));
export const BUILT = existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)));

export interface Engine {
  /** Extra arguments and environment that point the CLI at this engine's database. */
  args: string[];
  env: Record<string, string>;
}

export interface EngineSetup {
  name: string;
  skip: boolean;
  setup(): Promise<{ engine: Engine; dispose: () => Promise<void> }>;
}

/** A fresh embedded data directory, and (when DATABASE_URL is set) a fresh PostgreSQL database. */
export const ENGINES: readonly EngineSetup[] = [
  {
    name: 'pglite',
    skip: false,
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'pgml-cli-'));
      return { engine: { args: [], env: { PGML_DATA_DIR: dir } }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: hasPostgres ? 'postgres' : 'postgres — skipped: DATABASE_URL is not set (npm test sets it)',
    skip: !hasPostgres,
    async setup() {
      const { url, drop } = await createPostgresDatabase();
      return { engine: { args: ['--database-url', url], env: {} }, dispose: drop };
    },
  },
];

export function run(engine: Engine, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args, ...engine.args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', ...engine.env, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** With --json, stdout is exactly one line holding one JSON object. */
export function json(stdout: string): Record<string, any> {
  expect(stdout.endsWith('\n') && stdout.trim().split('\n')).toHaveLength(1);
  const value: unknown = JSON.parse(stdout);
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as Record<string, any>;
}

export function ok(engine: Engine, args: string[], env?: Record<string, string>): Record<string, any> {
  const result = run(engine, [...args, '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return json(result.stdout);
}

/** A user error: exit 1, `{ error: { code, message } }` on stdout, the message on stderr. */
export function fails(engine: Engine, args: string[], code: string, message: RegExp): void {
  const result = run(engine, [...args, '--json']);
  expect(result.code, result.stderr).toBe(1);
  expect(json(result.stdout)).toEqual({ error: { code, message: expect.stringMatching(message) } });
  expect(result.stderr).toMatch(message);
}

/** Runs SQL of a test's own on the engine's database between CLI runs (the embedded one is free then). */
export async function withDb<T>(engine: Engine, work: (db: Db) => Promise<T>): Promise<T> {
  const db = engine.env.PGML_DATA_DIR ? await createPgliteDb(engine.env.PGML_DATA_DIR) : createPgDb(engine.args[1]!);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
