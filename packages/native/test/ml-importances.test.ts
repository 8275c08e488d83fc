// NativeModel.featureImportances() against scikit-learn 1.2.1 / python-xgboost 1.7 on the same fits, from
// references committed by scripts/references/importances.py (no Python at test time). The cases are fits whose
// model is unique (see the script), so the values must agree to the case's tolerance.
import { describe, expect, it } from 'vitest';

import { NativeModel, type NativeTask } from '../index.js';
import { loadSplit, readReferences } from './ml-fixtures.js';
import { caseLabel, splitFitInput } from './ml-helpers.js';

interface Case {
  dataset: string;
  task: NativeTask;
  algorithm: string;
  estimator: string;
  hyperparams: Record<string, unknown>;
  kind: 'coefficients' | 'impurity' | 'gain';
  tolerance: number;
  values: number[][];
}
const refs = readReferences<{ cases: Case[] }>('importances.json');

async function fitCase(c: Case): Promise<NativeModel> {
  const s = loadSplit(c.dataset);
  const input = splitFitInput(s, c.task === 'decomposition' ? 'regression' : c.task, c.algorithm, c.hyperparams);
  if (c.task !== 'decomposition') return (await NativeModel.fitAsync(input)).model;
  return (await NativeModel.fitAsync({ task: 'decomposition', algorithm: c.algorithm, hyperparams: c.hyperparams, x: input.x, rows: input.rows, cols: input.cols })).model;
}

describe('feature importances equal scikit-learn’s on unique fits', () => {
  for (const c of refs.cases) {
    it(caseLabel(c), async () => {
      const model = await fitCase(c);
      const found = model.featureImportances();
      expect(found?.kind).toBe(c.kind);
      expect(found!.rows).toBe(c.values.length);
      const features = model.numFeatures;
      c.values.forEach((row, r) => {
        row.forEach((expected, f) => {
          expect(Math.abs(found!.values[r * features + f]! - expected), `row ${r} feature ${f}`).toBeLessThanOrEqual(c.tolerance * Math.max(1, Math.abs(expected)));
        });
      });
    });
  }
});

describe('which rows an importance vector explains', () => {
  it('classifier coefficients name their class, regressors and trees explain the whole model', async () => {
    const wine = loadSplit('wine');
    const logistic = (await NativeModel.fitAsync(splitFitInput(wine, 'classification', 'logistic', { max_iter: 500 }))).model;
    expect(logistic.featureImportances()!.outputs).toEqual([0, 1, 2]);
    const diabetes = loadSplit('diabetes');
    const ridge = (await NativeModel.fitAsync(splitFitInput(diabetes, 'regression', 'ridge', {}))).model;
    expect(ridge.featureImportances()!.outputs).toEqual([null]);
    const tree = (await NativeModel.fitAsync(splitFitInput(diabetes, 'regression', 'decision_tree', { max_depth: 3 }))).model;
    const impurity = tree.featureImportances()!;
    expect(impurity.outputs).toEqual([null]);
    expect([...impurity.values].reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });

  it('several targets give one row per target; a tree model read back from bytes has none, coefficients stay', async () => {
    const linnerud = loadSplit('linnerud');
    const boosted = (await NativeModel.fitAsync(splitFitInput(linnerud, 'regression', 'gradient_boosting_trees', { n_estimators: 5 }))).model;
    expect(boosted.featureImportances()!.outputs).toEqual([0, 1, 2]);
    expect(NativeModel.fromBytes(boosted.toBytes()).featureImportances()).toBeUndefined();
    const linear = (await NativeModel.fitAsync(splitFitInput(linnerud, 'regression', 'linear', {}))).model;
    expect(NativeModel.fromBytes(linear.toBytes()).featureImportances()).toEqual(linear.featureImportances());
  });

  it('estimators without coefficients or importances report none', async () => {
    const iris = loadSplit('iris');
    const svc = (await NativeModel.fitAsync(splitFitInput(iris, 'classification', 'svm', {}))).model;
    expect(svc.featureImportances()).toBeUndefined();
    const hist = (await NativeModel.fitAsync(splitFitInput(iris, 'classification', 'hist_gradient_boosting', { max_iter: 5 }))).model;
    expect(hist.featureImportances()).toBeUndefined();
  });
});
