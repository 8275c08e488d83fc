import { afterAll, describe, expect, it } from 'vitest';
import { PythonWorker } from '../src/worker.js';

const worker = new PythonWorker();
afterAll(() => worker.close());

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
});
