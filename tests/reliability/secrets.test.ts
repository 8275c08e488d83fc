/**
 * Connection strings with passwords never show up in errors, logs or reports: connect failures, query failures,
 * the CLI's stderr and --json, migrate's errors, and the load benchmark's console output and report files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskSecrets, PgmlError, PostgresML } from '@pgml-ts/sdk';
import { runLoadCommand } from '../../benchmarks/src/load/command.js';
import { pgml as cli } from '../migrate/helpers.js';
import { withPassword } from './crash.js';
import { DATABASE_URL, figures } from './profile.js';

const SECRET = 'Sup3r-S3cret_pw';
const DEAD = `postgres://admin:${SECRET}@127.0.0.1:1/nowhere`;

function everything(error: unknown): string {
  const e = error as Error & { details?: unknown; cause?: unknown };
  return [String(e?.message), String(e?.stack), JSON.stringify(e?.details ?? null), JSON.stringify(e), String(e?.cause)].join('\n');
}

let checked = 0;
function clean(text: string, what: string): void {
  checked++;
  expect(text, what).not.toContain(SECRET);
}

/** Runs `fn` with process.stdout/stderr captured. */
async function captured(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const writes: string[] = [];
  const original = [process.stdout.write, process.stderr.write] as const;
  const capture = (chunk: unknown): boolean => {
    writes.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    return { code: await fn(), out: writes.join('') };
  } finally {
    [process.stdout.write, process.stderr.write] = original;
  }
}

describe('secrets are masked', () => {
  it('maskSecrets covers URL and key=value forms', () => {
    clean(maskSecrets(`could not reach ${DEAD} (password=${SECRET} host=x)`), 'maskSecrets');
    expect(maskSecrets(DEAD)).toBe('postgres://admin:***@127.0.0.1:1/nowhere');
  });

  it('connect failures, and URLs that do not parse are never echoed', async () => {
    // connect logs in, so a dead server fails there, as a connection error.
    const dead = await PostgresML.connect(DEAD).then(() => undefined, (e: unknown) => e);
    expect(dead).toMatchObject({ code: 'CONNECTION_FAILED', message: expect.stringMatching(/^could not connect to postgres:\/\/admin@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/) });
    clean(everything(dead), 'connect failure');
    const notPostgres = await PostgresML.connect(`mysql://admin:${SECRET}@host/db`).then(() => undefined, (e: unknown) => e);
    expect((notPostgres as PgmlError).code).toBe('INVALID_ARGUMENT');
    expect((notPostgres as PgmlError).message).toMatch(/scheme is mysql:\/\//);
    clean(everything(notPostgres), 'not a postgres URL');
    // No scheme, a bare secret, a URL that does not parse: the mask cannot find the password, so nothing is echoed.
    for (const url of [`u:${SECRET}@127.0.0.1`, SECRET, `postgres://u:${SECRET}@[::1/db`, `postgres://u:${SECRET}@host:port/db`]) {
      const error = await PostgresML.connect(url).then(() => undefined, (e: unknown) => e);
      expect((error as PgmlError).code, url).toBe('INVALID_ARGUMENT');
      expect((error as PgmlError).message, url).toMatch(/not a (valid )?PostgreSQL connection URL/);
      clean(everything(error), `unparseable URL ${url}`);
    }
  });

  it.skipIf(!DATABASE_URL)('query failures on a live server', async () => {
    const pgml = await PostgresML.connect(withPassword(DATABASE_URL!, SECRET));
    try {
      const error = await pgml.db.query('SELECT * FROM no_such_table_anywhere').then(() => undefined, (e: unknown) => e);
      expect((error as PgmlError).code).toBe('DATABASE_ERROR');
      clean(everything(error), 'query failure');
    } finally {
      await pgml.close();
    }
  });

  it('the CLI: stderr, --json errors, migrate', async () => {
    const runs = [
      ['projects', '--database-url', DEAD],
      ['projects', '--database-url', `u:${SECRET}@127.0.0.1`],
      ['projects', '--database-url', `u:${SECRET}@127.0.0.1`, '--json'],
      ['projects', '--database-url', SECRET, '--json'],
      ['projects', '--database-url', `postgres://u:${SECRET}@[::1/db`, '--json'],
      ['projects', '--database-url', DEAD, '--json'],
      ['predict', '--database-url', DEAD, '--project', 'p', '--features', '[1,2]', '--json'],
      ['migrate', '--from', DEAD, '--allow-pickle', '--json'],
      ['migrate', '--from', DEAD, '--to', DEAD, '--allow-pickle', '--dry-run'],
      ['migrate', '--from', DEAD],
    ];
    for (const args of runs) {
      const result = await cli(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).not.toBe(0);
      clean(result.stdout + result.stderr, `pgml ${args[0]} stdout/stderr`);
    }
  });

  it.skipIf(!DATABASE_URL)('benchmark output and reports', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pgml-secrets-bench-'));
    try {
      const ok = await captured(() =>
        runLoadCommand(['--duration', '1', '--clients', '2', '--deploy-every', '0', '--database-url', withPassword(DATABASE_URL!, SECRET), '--out', out], out),
      );
      expect(ok.code, ok.out).toBe(0);
      clean(ok.out, 'bench load console');
      for (const file of readdirSync(out)) clean(readFileSync(join(out, file), 'utf8'), `bench report ${file}`);
      const failed = await captured(() => runLoadCommand(['--duration', '1', '--database-url', DEAD, '--out', out], out));
      expect(failed.code).not.toBe(0);
      clean(failed.out, 'bench load failure');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    figures('secrets', { outputsChecked: checked, leaks: 0 });
  });
});
