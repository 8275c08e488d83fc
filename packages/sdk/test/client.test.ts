// PostgresML's ML methods end to end on both databases, with the native and the python runtime, and how
// `runtime: 'auto'` follows the parity table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PythonWorker } from '@pgml-ts/python-compat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresML } from '../src/client.js';
import { createPgliteDb } from '../src/drivers/pglite.js';
import { loadParity } from '../src/runtimes/parity.js';
import type { AlgorithmName, ParityTable } from '@pgml-ts/core';
import { describeEachDb } from './databases.js';

const IRIS = { task: 'classification', relationName: 'pgml.iris', yColumnName: 'target' } as const;
const SETOSA = [5.1, 3.5, 1.4, 0.2];

/** Native where it is at parity (regression linear), python where it is not (classification linear, ridge). */
const PARITY: ParityTable = {
  version: 1,
  entries: [
    { task: 'regression', algorithm: 'linear', choice: 'native', speedup: 12 },
    { task: 'regression', algorithm: 'ridge', choice: 'python', why: 'native is slower' },
    { task: 'classification', algorithm: 'linear', choice: 'python' },
  ],
};

describeEachDb('PostgresML train / predict / deploy', (get) => {
  let pgml: PostgresML;
  beforeAll(async () => {
    pgml = await PostgresML.connect({ db: get().db, parity: PARITY });
    await pgml.loadDataset('iris');
    await pgml.loadDataset('diabetes');
    await pgml.loadDataset('linnerud');
  });
  afterAll(() => pgml.close());

  it('trains with the native runtime, predicts, and lists the project', async () => {
    const r = await pgml.train('iris', { ...IRIS, runtime: 'native', testSampling: 'stratified' });
    expect(r).toMatchObject({ project: 'iris', task: 'classification', algorithm: 'linear', runtime: 'native', deployed: true });
    expect(r.metrics.f1).toBeGreaterThan(0.9);
    expect(await pgml.predict('iris', SETOSA)).toBe(0);
    const proba = await pgml.predictProba('iris', SETOSA);
    expect(proba.labels).toEqual([0, 1, 2]);
    expect(proba.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const batch = await pgml.predictBatch('iris', [SETOSA, [6.3, 2.5, 5.0, 1.9]]);
    expect(batch.rows).toBe(2);
    expect(batch.predictions[0]).toBe(0);
    expect((await pgml.predictProbaBatch('iris', [SETOSA])).probabilities).toHaveLength(3);
    expect(await pgml.model('iris')).toMatchObject({
      modelId: r.modelId, runtime: 'native', algorithm: 'linear', labels: [0, 1, 2], numOutputs: 1,
      features: [{ name: 'sepal_length' }, { name: 'sepal_width' }, { name: 'petal_length' }, { name: 'petal_width' }],
    });
    expect(await pgml.projects()).toEqual([expect.objectContaining({ name: 'iris', task: 'classification', deployedModelId: r.modelId, models: 1 })]);
  });

  it('trains with the python runtime and deploys between runtimes', async () => {
    const native = (await pgml.models({ project: 'iris' }))[0]!;
    const svm = await pgml.train('iris', { algorithm: 'svm', runtime: 'python', hyperparams: { C: 0.01 }, automaticDeploy: false });
    expect(svm).toMatchObject({ runtime: 'python', deployed: false });
    expect(await pgml.deploy('iris', { strategy: 'most_recent' })).toMatchObject({ modelId: svm.modelId, algorithm: 'svm' });
    expect((await pgml.model('iris')).runtime).toBe('python');
    expect([0, 1, 2]).toContain(await pgml.predict('iris', SETOSA));
    // By model id: that model, deployed or not.
    expect(await pgml.predict(native.id, SETOSA)).toBe(0);
    expect(await pgml.deploy('iris', { strategy: 'rollback' })).toMatchObject({ modelId: native.id });
    const models = await pgml.models({ project: 'iris' });
    expect(models.map((m) => [m.algorithm, m.runtime, m.deployed])).toEqual([
      ['linear', 'native', true],
      ['svm', 'python', false],
    ]);
    const deployments = await pgml.deployments({ project: 'iris' });
    expect(deployments.map((d) => d.strategy)).toEqual(['new_score', 'most_recent', 'rollback']);
    expect(deployments.at(-1)).toMatchObject({ modelId: native.id, live: true });
  });

  it("runtime 'auto' follows the parity table: native where it says so, python otherwise", async () => {
    const diabetes = { task: 'regression', relationName: 'pgml.diabetes', yColumnName: 'target' } as const;
    expect((await pgml.train('diabetes', diabetes)).runtime).toBe('native');
    expect((await pgml.train('diabetes', { algorithm: 'ridge' })).runtime).toBe('python');
    expect((await pgml.train('iris auto', IRIS)).runtime).toBe('python');
    // No entry for logistic: native, which implements it.
    expect((await pgml.train('iris auto', { algorithm: 'logistic' })).runtime).toBe('native');
    // No entry and no native implementation: python (the native runtime grows, so ask which those are).
    const pythonOnly = pgml.runtimes().algorithms.find((a) => a.task === 'classification' && a.implementedBy.join() === 'python');
    if (pythonOnly) expect((await pgml.train('iris auto', { algorithm: pythonOnly.algorithm as AlgorithmName })).runtime).toBe('python');
    // Forcing a runtime overrides the table.
    expect((await pgml.train('diabetes', { algorithm: 'ridge', runtime: 'native' })).runtime).toBe('native');
  });

  it('predicts every target of a joint regression', async () => {
    const r = await pgml.train('linnerud', {
      task: 'regression', relationName: 'pgml.linnerud', yColumnName: ['weight', 'waist', 'pulse'], runtime: 'native',
    });
    expect(r.runtime).toBe('native');
    expect(await pgml.predictJoint('linnerud', [5, 162, 60])).toHaveLength(3);
    expect((await pgml.model('linnerud')).numOutputs).toBe(3);
  });

  it('fails with typed errors', async () => {
    await expect(pgml.predict('nope', SETOSA)).rejects.toMatchObject({ code: 'UNKNOWN_PROJECT' });
    await expect(pgml.model('nope')).rejects.toMatchObject({ code: 'UNKNOWN_PROJECT' });
    await expect(pgml.train('iris', { algorithm: 'lightgbm' as never })).rejects.toMatchObject({ code: 'ALGORITHM_UNAVAILABLE' });
    await expect(pgml.deploy('iris', { strategy: 'newest' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('runtimes()', () => {
  let pgml: PostgresML;
  beforeAll(async () => {
    pgml = await PostgresML.connect({ dataDir: 'memory://', parity: PARITY });
  });
  afterAll(() => pgml.close());

  it('explains the choice for every algorithm without starting python', () => {
    const report = pgml.runtimes();
    expect(report.native).toEqual({ available: true });
    expect(report.parity).toEqual({ source: 'connect({ parity })', entries: 3 });
    const pick = (task: string, algorithm: string) => report.algorithms.find((a) => a.task === task && a.algorithm === algorithm)!;
    expect(pick('regression', 'linear')).toMatchObject({
      runtime: 'native', implementedBy: ['native', 'python'], reason: expect.stringMatching(/^parity table: native/), parity: { speedup: 12 },
    });
    expect(pick('classification', 'linear')).toMatchObject({ runtime: 'python', reason: expect.stringMatching(/not at parity/) });
    // The benchmarks' own words when the entry has them.
    expect(pick('regression', 'ridge').reason).toBe('parity table: python — native is slower');
    expect(pick('classification', 'logistic')).toMatchObject({ runtime: 'native', reason: expect.stringMatching(/no parity data/) });
    // Every choice is consistent: a runtime that implements it, native wherever there is no entry and it can.
    for (const a of report.algorithms) {
      if (a.runtime === null) expect(a.implementedBy).toEqual([]);
      else expect(a.implementedBy).toContain(a.runtime);
      if (!a.parity && a.implementedBy.includes('native')) expect(a.runtime).toBe('native');
      if (!a.parity && a.implementedBy.join() === 'python') expect(a.reason).toBe('only the python runtime (scikit-learn) implements it');
    }
    expect(pick('regression', 'lightgbm')).toMatchObject({ runtime: null, implementedBy: [], reason: expect.stringMatching(/LightGBM/) });
    expect(report.algorithms.filter((a) => a.task === 'decomposition').map((a) => a.algorithm)).toEqual(['pca']);
    expect(report.python.started).toBe(false);
  });
});

describe('parity table sources', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgml-parity-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads connect({ parity: path }) and PGML_PARITY_FILE; refuses a malformed file naming it', async () => {
    const file = join(dir, 'parity.json');
    writeFileSync(file, JSON.stringify(PARITY));
    expect(await loadParity(file, {})).toEqual({ table: PARITY, source: file });
    expect(await loadParity(undefined, { PGML_PARITY_FILE: file })).toEqual({ table: PARITY, source: file });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version": 1, "entries": [{"task": "regression"}]}');
    await expect(loadParity(bad, {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(bad) });
    writeFileSync(bad, '{');
    await expect(loadParity(undefined, { PGML_PARITY_FILE: bad })).rejects.toThrow(/not valid JSON/);
    await expect(loadParity(join(dir, 'missing.json'), {})).rejects.toThrow(/cannot read the parity table/);
    await expect(PostgresML.connect({ dataDir: 'memory://', parity: bad })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('close()', () => {
  it('leaves a db it did not open; the last client to close stops the python worker', async () => {
    const db = await createPgliteDb('memory://');
    const first = await PostgresML.connect(db);
    const second = await PostgresML.connect({ dataDir: 'memory://' });
    await first.loadDataset('iris');
    await first.train('iris', { ...IRIS, algorithm: 'svm', runtime: 'python' });
    expect(PythonWorker.default().running).toBe(true);
    await first.close();
    await first.close();
    expect(PythonWorker.default().running).toBe(true);
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await second.close();
    expect(PythonWorker.default().running).toBe(false);
    await db.close();
  });
});
