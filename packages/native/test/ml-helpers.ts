// What the native parity tests do alike with a committed split (ml-fixtures.ts) and a reference case: name the case,
// fit on the training rows, score the test predictions with the metrics the references were computed with.
import { f1, r2 } from '@pgml-ts/core';

import type { NativeFitInput, NativeTask } from '../index.js';
import type { Split } from './ml-fixtures.js';

/** `<dataset> <Estimator>(<hyperparams JSON>)`, the test name and log prefix of a reference case. */
export const caseLabel = (c: { dataset: string; estimator: string; hyperparams: object }): string =>
  `${c.dataset} ${c.estimator}(${JSON.stringify(c.hyperparams)})`;

/** Fit input over the split's training rows: every target column, and the class count for classifiers. */
export function splitFitInput(s: Split, task: NativeTask, algorithm: string, hyperparams: Record<string, unknown>): NativeFitInput {
  return {
    task,
    algorithm,
    hyperparams,
    x: s.xTrain,
    rows: s.info.trainRows,
    cols: s.info.features,
    y: s.yTrain,
    yCols: s.info.targets,
    numClasses: task === 'classification' ? s.info.numClasses : undefined,
  };
}

/** r2 of test-row predictions (all target columns) against the split's test targets. */
export function testR2(s: Split, pred: Float64Array): number {
  const rows = s.testRows;
  const cols = s.info.targets;
  return r2({ data: s.yTest, rows, cols }, { data: pred, rows, cols });
}

/** The key metric of the references: macro F1 for classifiers, r2 for regressors. */
export const testMetric = (s: Split, task: NativeTask, pred: Float64Array): number =>
  task === 'classification' ? f1(s.yTest, pred) : testR2(s, pred);
