import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PythonRuntime } from '../src/runtime.js';
import { PythonWorker } from '../src/worker.js';
import { matrix, runFixture } from './helpers.js';

const runtime = new PythonRuntime({ worker: new PythonWorker() });
const markers = mkdtempSync(join(tmpdir(), 'pgml-evil-'));
afterAll(async () => {
  await runtime.close();
  rmSync(markers, { recursive: true, force: true });
});

const meta = { task: 'regression' as const, algorithm: 'linear', numFeatures: 1, numOutputs: 1 };

describe('restricted unpickler', () => {
  it('refuses pickles that would run code, and the code never runs', async () => {
    const pickles = await runFixture<Record<string, string>>('evil_pickles.py', markers);
    expect(Object.keys(pickles).length).toBeGreaterThanOrEqual(10);
    for (const [name, b64] of Object.entries(pickles)) {
      const attempt = runtime.deserialize(Buffer.from(b64, 'base64'), meta);
      await expect(attempt, name).rejects.toMatchObject({
        code: 'CORRUPT_MODEL',
        details: { refused: expect.stringMatching(/system|call|exec|save/) },
      });
    }
    expect(readdirSync(markers)).toEqual([]);
  });

  it('a hand-written protocol 0 `os.system` pickle is refused', async () => {
    const marker = join(markers, 'protocol0');
    const bytes = Buffer.from(`cos\nsystem\n(S'touch ${marker}'\ntR.`, 'latin1');
    await expect(runtime.deserialize(bytes, meta)).rejects.toMatchObject({
      code: 'CORRUPT_MODEL',
      details: { refused: 'os.system' },
    });
    expect(readdirSync(markers)).toEqual([]);
  });

  it('truncated, foreign and non-estimator bytes are CORRUPT_MODEL, and the worker keeps serving', async () => {
    const model = await runtime.fit({
      task: 'regression',
      algorithm: 'linear',
      hyperparams: {},
      x: matrix([0, 1, 2], 3, 1),
      y: matrix([1, 3, 5], 3, 1),
    });
    const bytes = await runtime.serialize(model);
    for (const bad of [bytes.subarray(0, bytes.length / 2), Buffer.from('PGMLTS not a pickle'), Buffer.from([0x80, 4, 0x7d, 0x94, 0x2e])]) {
      await expect(runtime.deserialize(bad, meta)).rejects.toMatchObject({ code: 'CORRUPT_MODEL' });
    }
    expect((await runtime.predict(model, matrix([3], 1, 1)))[0]).toBeCloseTo(7, 9);
  });

  it('a model record with the wrong feature count is rejected', async () => {
    const model = await runtime.fit({
      task: 'regression',
      algorithm: 'linear',
      hyperparams: {},
      x: matrix([0, 1, 2], 3, 1),
      y: matrix([1, 3, 5], 3, 1),
    });
    await expect(runtime.deserialize(await runtime.serialize(model), { ...meta, numFeatures: 4 })).rejects.toMatchObject({
      code: 'CORRUPT_MODEL',
    });
  });
});
