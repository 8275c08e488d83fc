// The algorithm catalogue is generated from the tables the runtimes validate with, so it cannot drift from them:
// core's algorithm names are re-rendered from the live tables and compared with the committed file, and the ranges
// the catalogue shows are the ones validation enforces (a value just outside is refused, the default is accepted).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES, describeAccepts, type HyperparamConstraint } from '@pgml-ts/core';
import { PythonRuntime } from '@pgml-ts/python-compat';
import { renderAlgorithmNames } from '../src/catalogue/algorithm-names.js';
import { PostgresML } from '../src/client.js';
import { loadNative } from '../src/vector.js';

const native = await loadNative().catch((error: Error) => error);
const GENERATED = fileURLToPath(new URL('../../core/src/algorithms.generated.ts', import.meta.url));

/** A number just outside a bounded constraint, if no other alternative of the spec would accept it. */
function outside(accepts: readonly HyperparamConstraint[]): number | undefined {
  for (const c of accepts) {
    if ((c.type !== 'number' && c.type !== 'integer') || c.min === undefined || c.choices) continue;
    const value = c.minExclusive ? c.min : c.min - 1;
    const acceptedElsewhere = accepts.some(
      (o) =>
        o !== c &&
        (o.type === 'number' || (o.type === 'integer' && Number.isInteger(value))) &&
        (o.min === undefined || value > o.min || (value === o.min && !o.minExclusive)) &&
        (o.max === undefined || value < o.max || (value === o.max && !o.maxExclusive)),
    );
    if (!acceptedElsewhere) return value;
  }
  return undefined;
}

describe.skipIf(native instanceof Error)('algorithm catalogue', () => {
  let pgml: PostgresML;
  beforeAll(async () => {
    pgml = await PostgresML.connect({ dataDir: 'memory://' });
  });
  afterAll(() => pgml.close());

  it("core's generated algorithm names match the runtimes' tables (run scripts/generate-algorithm-names.mjs when not)", () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(renderAlgorithmNames(native as Exclude<typeof native, Error>));
    expect(ALGORITHM_NAMES.clustering).toEqual(expect.arrayContaining(['agglomerative', 'kmeans']));
    expect(ALGORITHM_NAMES.classification).toEqual(expect.arrayContaining(['decision_tree', 'random_forest', 'logistic']));
  });

  it('lists every algorithm with its runtimes and typed hyperparameters', () => {
    const all = pgml.algorithms();
    for (const task of ['regression', 'classification', 'clustering', 'decomposition'] as const) {
      const names = all.filter((e) => e.task === task).map((e) => e.algorithm);
      expect(names).toEqual(expect.arrayContaining([...ALGORITHM_NAMES[task]]));
    }
    const forest = pgml.algorithms('classification').find((e) => e.algorithm === 'random_forest')!;
    expect(forest.native).toMatchObject({ estimator: 'RandomForestClassifier', predictProba: true });
    expect(forest.python).toMatchObject({ estimator: 'sklearn.ensemble.RandomForestClassifier', predictProba: true, multiTarget: false });
    const estimators = forest.python!.hyperparams.find((p) => p.name === 'n_estimators')!;
    expect(estimators).toEqual({ name: 'n_estimators', default: 100, accepts: [{ type: 'integer', min: 1, minExclusive: false }] });
    expect(describeAccepts(forest.python!.hyperparams.find((p) => p.name === 'max_features')!.accepts)).toBe(
      'an integer >= 1 or a number in (0, 1] or one of "log2", "sqrt" or null',
    );
    const lightgbm = pgml.algorithms('regression').find((e) => e.algorithm === 'lightgbm')!;
    expect(lightgbm).toMatchObject({ auto: null, unavailable: expect.stringMatching(/LightGBM/) });
    expect(lightgbm.native ?? lightgbm.python).toBeUndefined();
    expect(() => pgml.algorithms('ranking' as 'regression')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('native ranges are the ones validateHyperparams enforces', () => {
    const nativeModule = native as Exclude<typeof native, Error>;
    let checked = 0;
    for (const entry of pgml.algorithms()) {
      if (!entry.native) continue;
      const defaults = Object.fromEntries(entry.native.hyperparams.map((p) => [p.name, p.default]));
      expect(nativeModule.validateHyperparams(entry.task, entry.algorithm, defaults)).toEqual(defaults);
      for (const spec of entry.native.hyperparams) {
        const bad = outside(spec.accepts!);
        if (bad === undefined) continue;
        expect(() => nativeModule.validateHyperparams(entry.task, entry.algorithm, { [spec.name]: bad }), `${entry.algorithm}.${spec.name} = ${bad}`).toThrow(
          expect.objectContaining({ code: 'INVALID_HYPERPARAMETER' }),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("python ranges are the ones scikit-learn's validation enforces", async () => {
    const python = new PythonRuntime();
    let checked = 0;
    for (const algorithm of ['random_forest', 'svm', 'linear', 'gradient_boosting_trees', 'kmeans']) {
      for (const entry of pgml.algorithms().filter((e) => e.algorithm === algorithm && e.python)) {
        for (const spec of entry.python!.hyperparams) {
          const bad = spec.accepts && outside(spec.accepts);
          if (bad === undefined) continue;
          await expect(python.checkHyperparams(entry.task, algorithm, { [spec.name]: bad }), `${algorithm}.${spec.name} = ${bad}`).rejects.toMatchObject({
            code: 'INVALID_HYPERPARAMETER',
          });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
