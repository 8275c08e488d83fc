import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, BUILT, json, run } from './cli-engines.js';

let dataDir: string;

const pgml = (args: string[], env: Record<string, string> = {}) => run({ args: [], env: { PGML_DATA_DIR: dataDir } }, args, env);

describe.skipIf(!BUILT)(`pgml CLI${BUILT ? '' : ' — skipped: packages/sdk is not built (pnpm build)'}`, () => {
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pgml-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints help and version', () => {
    const help = pgml(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: pgml \[options\] COMMAND/);
    expect(help.stdout).toContain('load-dataset');
    const commandHelp = pgml(['load-dataset', '--help']);
    expect(commandHelp.stdout).toMatch(/Usage: pgml load-dataset NAME/);
    expect(json(pgml(['--version', '--json']).stdout).version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('loads a dataset into the embedded database, as one JSON object', () => {
    const result = pgml(['load-dataset', 'iris', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(json(result.stdout)).toMatchObject({ table: 'pgml.iris', rows: 150 });
    const human = pgml(['load-dataset', 'linnerud']);
    expect(human.stdout).toBe('loaded pgml.linnerud: 20 rows (6 columns)\n');
  });

  it('exits 1 with a JSON error for user errors', () => {
    const unknown = pgml(['load-dataset', 'mnist', '--json']);
    expect(unknown.code).toBe(1);
    expect(json(unknown.stdout)).toEqual({
      error: { code: 'UNKNOWN_DATASET', message: expect.stringContaining('valid names are breast_cancer') },
    });
    expect(unknown.stderr).toMatch(/unknown dataset "mnist"/);
    const badFlag = pgml(['load-dataset', 'iris', '--nope', '--json']);
    expect(badFlag.code).toBe(1);
    expect(json(badFlag.stdout)).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    expect(pgml(['frobnicate']).code).toBe(1);
  });

  it('a dead server fails to connect, naming it without the password', () => {
    for (const args of [
      ['load-dataset', 'iris', '--json', '--database-url', 'postgres://u:secret@127.0.0.1:1/x'],
      ['load-dataset', 'iris', '--json'],
    ]) {
      const result = pgml(args, { DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/x' });
      expect(result.code).toBe(1);
      expect(json(result.stdout)).toMatchObject({
        error: { code: 'CONNECTION_FAILED', message: expect.stringMatching(/^could not connect to postgres:\/\/u@127\.0\.0\.1:1\/x: .*ECONNREFUSED/) },
      });
      expect(result.stdout + result.stderr).not.toContain('secret');
    }
  });

  it('never echoes a database URL it cannot read: it says what is wrong', () => {
    for (const [url, reason] of [
      ['u:secret@127.0.0.1', /does not start with postgres:\/\/ or postgresql:\/\//],
      ['secret', /does not start with postgres:\/\//],
      ['postgres://u:secret@127.0.0.1:port/x', /not a valid PostgreSQL connection URL: check the host, that the port is a number/],
      ['mysql://u:secret@host/x', /its scheme is mysql:\/\//],
    ] as const) {
      for (const json_ of [true, false]) {
        const result = pgml(['projects', '--database-url', url, ...(json_ ? ['--json'] : [])]);
        expect(result.code, url).toBe(1);
        if (json_) expect(json(result.stdout)).toEqual({ error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(reason) } });
        else expect(result.stderr).toMatch(reason);
        expect(result.stdout + result.stderr).not.toContain('secret');
      }
    }
  });

  it('no command: the usage on stderr, exit 1', () => {
    const bare = pgml([]);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/^pgml: no command given\n\npgml — .*\nUsage: pgml \[options\] COMMAND/s);
    const asJson = pgml(['--json']);
    expect(asJson.code).toBe(1);
    expect(json(asJson.stdout)).toEqual({ error: { code: 'INVALID_ARGUMENT', message: 'no command given' } });
    expect(pgml(['--help']).code).toBe(0);
  });

  it('runs vector functions', () => {
    const result = pgml(['vector', 'dot-product', '--a', '[1,2,3]', '--b', '[4,5,6]', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(json(result.stdout)).toEqual({ function: 'dot-product', result: 32 });
    expect(pgml(['vector', 'norm-l2', '--a', '[3,4]']).stdout).toBe('5\n');
    const mismatch = pgml(['vector', 'add', '--a', '[1]', '--b', '[1,2]', '--json']);
    expect(mismatch.code).toBe(1);
    expect(json(mismatch.stdout)).toMatchObject({ error: { code: 'DIMENSION_MISMATCH' } });
    expect(pgml(['vector', 'dot-product', '--a', 'nope', '--b', '[1]']).code).toBe(1);
    // PostgresML's SQL names, its scalar overloads, and the aggregates over rows (NULL rows skipped).
    expect(json(pgml(['vector', 'dot_product', '--a', '[1,2,3]', '--b', '[4,5,6]', '--json']).stdout)).toEqual({ function: 'dot-product', result: 32 });
    expect(json(pgml(['vector', 'pgml.cosine_similarity', '--a', '[1,0]', '--b', '[1,0]', '--json']).stdout).result).toBe(1);
    expect(json(pgml(['vector', 'add', '--a', '[1,2,3]', '--b', '3', '--json']).stdout).result).toEqual([4, 5, 6]);
    expect(json(pgml(['vector', 'divide', '--a', '[1,2,3]', '--b=100', '--json']).stdout).result).toEqual([0.01, 0.02, 0.03]);
    const rows = '[[-2,-4],[1,2],null,[0,3]]';
    for (const [name, expected] of [
      ['sum', [-1, 1]],
      ['min', [-2, -4]],
      ['max', [1, 3]],
      ['min_abs', [0, 2]],
      ['max-abs', [2, 4]],
    ] as const) {
      const result = pgml(['vector', name, '--a', rows, '--json']);
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      expect(json(result.stdout).result, name).toEqual(expected);
    }
    expect(json(pgml(['vector', 'sum', '--a', '[1,2]', '--json']).stdout)).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
  });

  it('bench outside a checkout explains where benchmarks run', () => {
    const outside = mkdtempSync(join(tmpdir(), 'pgml-nocheckout-'));
    try {
      const result = spawnSync(process.execPath, [BIN, 'bench', '--json'], { cwd: outside, encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(json(result.stdout)).toMatchObject({
        error: { message: 'benchmarks run from a pgml-ts checkout: pnpm bench' },
      });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
