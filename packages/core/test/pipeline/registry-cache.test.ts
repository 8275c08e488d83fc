import { describe, expect, it } from 'vitest';
import { ModelCache } from '../../src/model-cache.js';
import { parseParityTable, RuntimeRegistry } from '../../src/registry.js';
import type { Runtime, RuntimeName, Task } from '../../src/runtime.js';
import { resolveTrainOptions } from '../../src/train/options.js';

function fakeRuntime(name: RuntimeName, algorithms: string[]): Runtime {
  return {
    name,
    supports: (_task: Task, algorithm: string) => algorithms.includes(algorithm),
    validateHyperparams: (_t, _a, h) => h,
    fit: () => Promise.reject(new Error('not used')),
    predict: () => Promise.reject(new Error('not used')),
    serialize: () => Promise.reject(new Error('not used')),
    deserialize: () => Promise.reject(new Error('not used')),
  };
}

describe('RuntimeRegistry', () => {
  const native = fakeRuntime('native', ['linear', 'ridge']);
  const python = fakeRuntime('python', ['linear', 'ridge', 'svm']);

  it('auto prefers native where it supports the algorithm, else python; the parity table overrides', () => {
    const registry = new RuntimeRegistry({ runtimes: [native, python] });
    expect(registry.resolve('regression', 'linear', 'auto').name).toBe('native');
    expect(registry.resolve('regression', 'svm', 'auto').name).toBe('python');
    registry.setParityTable({ version: 1, entries: [{ task: 'regression', algorithm: 'ridge', choice: 'python' }] });
    expect(registry.resolve('regression', 'ridge').name).toBe('python');
    expect(registry.resolve('regression', 'linear').name).toBe('native');
  });

  it('forced runtimes, unknown and unavailable algorithms', () => {
    const registry = new RuntimeRegistry({ runtimes: [python] });
    expect(registry.resolve('regression', 'linear', 'python').name).toBe('python');
    expect(() => registry.resolve('regression', 'linear', 'native')).toThrow(/native runtime is not registered/);
    expect(() => registry.resolve('regression', 'kmeans')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => registry.resolve('regression', 'lasso')).toThrow(expect.objectContaining({ code: 'ALGORITHM_UNAVAILABLE' }));
    expect(() => registry.resolve('classification', 'lightgbm')).toThrow(/algorithm "lightgbm" is unavailable: LightGBM is not installed/);
    expect(() => registry.resolve('classification', 'catboost')).toThrow(/CatBoost is not installed/);
    // Names inherited from Object.prototype are unknown algorithms, not unavailable ones.
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(() => registry.resolve('classification', name)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('validates parity tables', () => {
    expect(() => parseParityTable({ version: 2, entries: [] })).toThrow(/version/);
    expect(() => parseParityTable({ version: 1, entries: [{ task: 'regression', algorithm: 'x', choice: 'gpu' }] })).toThrow(/entry 0/);
  });
});

describe('ModelCache', () => {
  it('evicts least recently used entries beyond the byte budget and shares concurrent loads', async () => {
    const cache = new ModelCache<string>({ maxBytes: 10 });
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    expect(cache.get('a')).toBe('A');
    cache.set('c', 'C', 4);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 8 });
    cache.set('huge', 'H', 11);
    expect(cache.get('huge')).toBeUndefined();
    let loads = 0;
    const load = async () => ({ value: `v${++loads}`, bytes: 1 });
    const [x, y] = await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)]);
    expect([x, y, loads]).toEqual(['v1', 'v1', 1]);
  });
});

describe('train options', () => {
  it("fills PostgresML 2.10's defaults and refuses unknown options", () => {
    expect(resolveTrainOptions({})).toMatchObject({
      algorithm: 'linear', testSize: 0.25, testSampling: 'stratified', runtime: 'auto', automaticDeploy: true,
      materializeSnapshot: false, searchArgs: { cv: 5, n_iter: 10 },
    });
    expect(() => resolveTrainOptions({ relation: 'x' } as never)).toThrow(/unknown train option/);
    expect(() => resolveTrainOptions({ preprocess: { a: {} } })).toThrow(/relationName/);
  });
});
