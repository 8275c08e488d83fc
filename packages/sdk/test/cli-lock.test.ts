// Several `pgml train` processes on one embedded database at once (issue 13): each either trains and its project is in
// the database as reported, or exits 1 with DATABASE_LOCKED — never "deployed" with its data lost or mixed. With
// --lock-timeout (or PGML_LOCK_TIMEOUT) they all train, one after another.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, runCli, startClient, type CliResult } from './processes.js';

const BUILT = existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)));

/** With --json, stdout is exactly one line holding one JSON object. */
function json(result: CliResult): Record<string, any> {
  expect(result.stdout.endsWith('\n') && result.stdout.trim().split('\n'), result.stderr).toHaveLength(1);
  return JSON.parse(result.stdout) as Record<string, any>;
}

function train(dataDir: string, project: string, extra: string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(dataDir, ['train', '--project', project, '--task', 'classification', '--relation', 'pgml.iris',
    '--y', 'target', '--algorithm', 'linear', '--runtime', 'native', ...extra, '--json'], env);
}

/** The database's models of these projects, as `project → [model ids]`, with which one is deployed. */
async function modelsOf(dataDir: string, projects: string[]): Promise<Record<string, { id: number; deployed: boolean }[]>> {
  const result = await runCli(dataDir, ['models', '--json']);
  expect(result.code, result.stderr).toBe(0);
  const listed = json(result).models as { project: string; id: number; deployed: boolean }[];
  const byProject: Record<string, { id: number; deployed: boolean }[]> = {};
  for (const model of listed.filter((m) => projects.includes(m.project))) {
    (byProject[model.project] ??= []).push({ id: model.id, deployed: model.deployed });
  }
  return byProject;
}

/** A refused train: exit 1 and `{"error": {"code": "DATABASE_LOCKED", …}}` naming the holder's pid. */
function expectLocked(result: CliResult, holderPid: RegExp | number): void {
  expect(result.code, result.stderr).toBe(1);
  const { error } = json(result);
  expect(error).toEqual({ code: 'DATABASE_LOCKED', message: expect.stringMatching(/is in use by pid \d+/) });
  expect(error.message).toMatch(typeof holderPid === 'number' ? new RegExp(`in use by pid ${holderPid}\\b`) : holderPid);
  expect(result.stderr).toContain(error.message);
}

describe.skipIf(!BUILT)(`pgml on one embedded database from several processes${BUILT ? '' : ' — skipped: packages/sdk is not built'}`, () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pgml-cli-lock-'));
    const loaded = await runCli(dataDir, ['load-dataset', 'iris', '--json']);
    expect(loaded.code, loaded.stderr).toBe(0);
  });
  afterEach(() => killAll());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('trains started at once: each runs or exits 1 with DATABASE_LOCKED; the database holds exactly what was reported', async () => {
    const projects = ['par1', 'par2', 'par3'];
    const results = await Promise.all(projects.map((project) => train(dataDir, project)));
    const trained: Record<string, { id: number; deployed: boolean }[]> = {};
    results.forEach((result, i) => {
      if (result.code === 0) {
        const report = json(result);
        expect(report).toMatchObject({ project: projects[i], deployed: true });
        trained[projects[i]!] = [{ id: report.modelId, deployed: true }];
      } else {
        expectLocked(result, /in use by pid \d+/);
      }
    });
    expect(Object.keys(trained).length).toBeGreaterThanOrEqual(1);
    expect(await modelsOf(dataDir, projects)).toEqual(trained);
  });

  it('while a process holds the database every train is refused; with a lock timeout all train, one after another', async () => {
    const holder = startClient(['hold', dataDir, '1']);
    expect(await holder.next()).toMatchObject({ ready: true });
    const refused = await Promise.all(['held1', 'held2', 'held3'].map((project) => train(dataDir, project)));
    for (const result of refused) expectLocked(result, holder.pid);

    // These wait behind the holder, then behind each other; one takes its timeout from the environment.
    const projects = ['wait1', 'wait2', 'wait3'];
    const waiting = [
      train(dataDir, 'wait1', ['--lock-timeout', '120000']),
      train(dataDir, 'wait2', ['--lock-timeout=120000']),
      train(dataDir, 'wait3', [], { PGML_LOCK_TIMEOUT: '120000' }),
    ];
    holder.process.stdin!.end();
    expect(await holder.exited).toBe(0);
    const results = await Promise.all(waiting);
    const expected: Record<string, { id: number; deployed: boolean }[]> = {};
    results.forEach((result, i) => {
      expect(result.code, result.stderr).toBe(0);
      const report = json(result);
      expect(report).toMatchObject({ project: projects[i], deployed: true, algorithm: 'linear' });
      expected[projects[i]!] = [{ id: report.modelId, deployed: true }];
    });
    expect(new Set(results.map((r) => json(r).modelId)).size).toBe(3);
    // The refused ones left nothing behind.
    expect(await modelsOf(dataDir, [...projects, 'held1', 'held2', 'held3'])).toEqual(expected);
  });

  it('rejects a bad --lock-timeout as INVALID_ARGUMENT', async () => {
    const result = await runCli(dataDir, ['projects', '--lock-timeout', 'soon', '--json']);
    expect(result.code).toBe(1);
    expect(json(result).error).toEqual({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/--lock-timeout must be a number/) });
  });
});
