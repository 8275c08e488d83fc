import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonWorker } from '../src/worker.js';
import { PYTHON } from './helpers.js';

const run = promisify(execFile);
const worker = new PythonWorker();
afterAll(() => worker.close());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitDead(pid: number, ms = 5000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 50))) {
    if (!alive(pid)) return true;
  }
  return false;
}

describe('python worker', () => {
  it('reports interpreter and library versions in the handshake', async () => {
    const { versions, pid } = await worker.handshake();
    expect(versions.python).toMatch(/^3\.\d+/);
    expect(versions.numpy).toMatch(/^\d+\.\d+/);
    expect(versions.scipy).toMatch(/^\d+\.\d+/);
    expect(versions.sklearn).toMatch(/^\d+\.\d+/);
    expect(versions.xgboost).toMatch(/^\d+\.\d+/);
    expect(pid).toBe(worker.pid);
  });

  it('kill -9 mid-call rejects every pending call with PYTHON_WORKER, then a fresh worker serves', async () => {
    const { pid } = await worker.handshake();
    const slow = worker.call('ping', { delayMs: 5000 });
    const queued = worker.call('ping');
    setTimeout(() => process.kill(pid, 'SIGKILL'), 300);
    await expect(slow).rejects.toMatchObject({ code: 'PYTHON_WORKER', message: expect.stringMatching(/SIGKILL/) });
    await expect(queued).rejects.toMatchObject({ code: 'PYTHON_WORKER' });
    const next = await worker.call('ping');
    expect(next.result.pid).not.toBe(pid);
  });

  it('a timeout kills and restarts the worker; queued calls still run', async () => {
    const { pid } = await worker.handshake();
    const slow = worker.call('ping', { delayMs: 10_000 }, [], { timeoutMs: 300 });
    const queued = worker.call('ping');
    await expect(slow).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await waitDead(pid)).toBe(true);
    expect((await queued).result.pid).not.toBe(pid);
  });

  it('AbortSignal: aborts a running call (restarting the worker) and a queued one (without)', async () => {
    const { pid } = await worker.handshake();
    const running = new AbortController();
    const waiting = new AbortController();
    const slow = worker.call('ping', { delayMs: 10_000 }, [], { signal: running.signal });
    const queued = worker.call('ping', {}, [], { signal: waiting.signal });
    const after = worker.call('ping');
    waiting.abort();
    await expect(queued).rejects.toMatchObject({ code: 'ABORTED' });
    setTimeout(() => running.abort(), 200);
    await expect(slow).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await after).result.pid).not.toBe(pid);
    await expect(worker.call('ping', {}, [], { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('100 concurrent calls each get their own answer', async () => {
    const calls = Array.from({ length: 100 }, (_, i) =>
      worker.call('predict', { key: `missing-${i}` }, [{ data: new Float64Array([i]), shape: [1, 1] }]).then(
        () => 'resolved',
        (e: { details: { workerCode?: string }; message: string }) => e.message,
      ),
    );
    const answers = await Promise.all(calls);
    answers.forEach((message, i) => expect(message).toContain(`missing-${i} `));
  });

  it('close() ends the process', async () => {
    const w = new PythonWorker();
    const { pid } = await w.handshake();
    await w.close();
    expect(alive(pid)).toBe(false);
    await expect(w.call('ping')).rejects.toMatchObject({ code: 'PYTHON_WORKER' });
  });
});

describe('python interpreter problems', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgml-python-'));
  });

  it('a missing interpreter is PYTHON_UNAVAILABLE with the apt-get command', async () => {
    const saved = process.env.PGML_PYTHON;
    process.env.PGML_PYTHON = '/nonexistent/python3';
    try {
      const w = new PythonWorker();
      await expect(w.call('ping')).rejects.toMatchObject({
        code: 'PYTHON_UNAVAILABLE',
        message: expect.stringMatching(/\/nonexistent\/python3.*apt-get install -y .*python3-sklearn/s),
      });
      await w.close();
    } finally {
      if (saved === undefined) delete process.env.PGML_PYTHON;
      else process.env.PGML_PYTHON = saved;
    }
  });

  it('a worker that dies reports the tail of its stderr', async () => {
    const python = join(dir, 'python-that-crashes');
    writeFileSync(python, `#!/bin/sh\necho "Fatal Python error: something broke" >&2\nexit 3\n`);
    chmodSync(python, 0o755);
    const w = new PythonWorker({ python });
    await expect(w.call('ping')).rejects.toMatchObject({
      code: 'PYTHON_WORKER',
      message: expect.stringMatching(/exited with code 3.*Fatal Python error: something broke/s),
      details: { exitCode: 3 },
    });
    await w.close();
  });

  it('a python without numpy is PYTHON_UNAVAILABLE naming the apt package', async () => {
    // -S skips site-packages, so Debian's dist-packages (numpy, sklearn) are invisible.
    const python = join(dir, 'python-without-packages');
    writeFileSync(python, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`);
    chmodSync(python, 0o755);
    const w = new PythonWorker({ python });
    await expect(w.handshake()).rejects.toMatchObject({
      code: 'PYTHON_UNAVAILABLE',
      message: expect.stringMatching(/numpy.*apt-get install -y python3-numpy/s),
    });
    await w.close();
  });
});

describe('process lifetime', () => {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const pkg = fileURLToPath(new URL('..', import.meta.url));

  beforeAll(async () => {
    await run('pnpm', ['exec', 'tsc', '-p', 'tsconfig.json'], { cwd: pkg });
  }, 60_000);

  it('an idle worker does not keep Node alive, and dies with it', async () => {
    const script = `const { PythonWorker } = await import(${JSON.stringify(dist)});
      const w = new PythonWorker(); await w.call('ping'); console.log(w.pid);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    expect(await waitDead(Number(stdout.trim()))).toBe(true);
  });

  it('a pending call keeps Node alive until it answers', async () => {
    const script = `const { PythonWorker } = await import(${JSON.stringify(dist)});
      new PythonWorker().call('ping', { delayMs: 700 }).then((r) => console.log('answered', r.result.pid));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    const pid = Number(stdout.trim().split(' ')[1]);
    expect(stdout).toMatch(/^answered \d+/);
    expect(await waitDead(pid)).toBe(true);
  });

  it('the generated TypeScript algorithm table matches python/pgml_worker/algorithms.py', async () => {
    await expect(run(PYTHON, ['scripts/generate-algorithms.py', '--check'], { cwd: pkg })).resolves.toBeDefined();
  });
});
