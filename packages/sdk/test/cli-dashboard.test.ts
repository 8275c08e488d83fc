// `pgml explain` and `pgml dashboard` as a user runs them, on both databases: the stored explanation as text and
// JSON, and the dashboard process — it prints where to go, serves the pages, never shows the database password
// (the PostgreSQL URL carries one: the test server trusts local connections and ignores it), and stops on SIGINT.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, BUILT, ENGINES, fails, ok, run, type Engine } from './cli-engines.js';

const SECRET = 'hunter2-dashboard-secret';
const IRIS = ['--project', 'iris', '--task', 'classification', '--relation', 'pgml.iris', '--y', 'target'];

/** The engine with a password in its database URL. */
function withPassword(engine: Engine): Engine {
  if (engine.args[0] !== '--database-url') return engine;
  const url = new URL(engine.args[1]!);
  url.password = SECRET;
  return { ...engine, args: ['--database-url', url.toString()] };
}

for (const { name, skip, setup } of ENGINES) {
  describe.skipIf(!BUILT || skip)(`pgml explain and dashboard [${name}]`, { timeout: 240_000 }, () => {
    let engine: Engine;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const made = await setup();
      engine = withPassword(made.engine);
      dispose = made.dispose;
      ok(engine, ['load-dataset', 'iris']);
      ok(engine, ['train', ...IRIS, '--algorithm', 'logistic', '--runtime', 'native']);
    });
    afterAll(async () => {
      await dispose();
    });

    it('explain prints the confusion matrix and importances; --json the stored explanation', () => {
      const result = run(engine, ['explain', '--project', 'iris']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/confusion matrix \(rows: true, columns: predicted; \d+ test rows\)/);
      expect(result.stdout).toMatch(/feature importances: coefficients/);
      const { modelId, explanation } = ok(engine, ['explain', '--model', '1']);
      expect(modelId).toBe(1);
      const cells = (explanation.classification.confusion as number[][]).flat();
      expect(cells.reduce((a, b) => a + b, 0)).toBe(explanation.testRows);
      fails(engine, ['explain'], 'INVALID_ARGUMENT', /give one of --project P or --model ID/);
      fails(engine, ['explain', '--project', 'nope'], 'UNKNOWN_PROJECT', /nope/);
    });

    it('dashboard prints its address, serves every page without the database password, and stops on SIGINT', async () => {
      const child = spawn(process.execPath, [BIN, 'dashboard', '--port', '0', '--json', ...engine.args], {
        env: { ...process.env, DATABASE_URL: '', ...engine.env },
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const started = await new Promise<{ url: string; loginUrl: string }>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('\n')) resolve(JSON.parse(stdout.split('\n')[0]!));
        });
        child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${stderr}`)));
      });
      try {
        expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        const login = await fetch(started.loginUrl, { redirect: 'manual' });
        expect(login.status).toBe(303);
        const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
        expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
        const bodies: string[] = [];
        for (const path of ['/', '/projects/iris', '/models/1', '/snapshots/1', '/parity', '/models/999']) {
          const response = await fetch(new URL(path, started.url), { headers: { cookie } });
          expect(response.status, path).toBe(path === '/models/999' ? 404 : 200);
          bodies.push(await response.text());
        }
        // A refused action renders an error page: the message, and still no secret.
        const csrf = /name="csrf" value="([^"]+)"/.exec(bodies[1]!)![1]!;
        const refused = await fetch(new URL('/projects/iris/deploy', started.url), {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf, choice: 'rollback' }),
        });
        expect(refused.status).toBe(400);
        bodies.push(await refused.text());
        expect(bodies.at(-1)).toMatch(/class="error"/);
        for (const body of bodies) expect(body).not.toContain(SECRET);
      } finally {
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGINT');
        expect(await exited).toBe(0);
      }
      expect(stdout + stderr).not.toContain(SECRET);
    });
  });
}
