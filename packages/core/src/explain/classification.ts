/** A classifier's test split as pictures: the confusion matrix and one-vs-rest ROC / precision–recall curves. */
import { averagePrecision, precisionRecallCurve, rocCurve, thinCurve, thresholdCounts, areaUnder } from '../ml/curves.js';
import { confusionMatrix } from '../ml/metrics.js';
import type { Matrix } from '../runtime.js';
import type { ClassCurves, ClassificationExplanation } from './types.js';

/** Points kept per stored curve: enough for a smooth chart, a few KB per class. */
export const MAX_CURVE_POINTS = 200;

export interface ClassificationInput {
  /** Class indices of the test rows. */
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  /** rows × numClasses, when the model has predict_proba. */
  probabilities?: Matrix;
  /** A binary classifier's decision_function (higher = the second class), when it has no probabilities. */
  decisionScores?: Float64Array;
  /** The user's label of a class index, as text. */
  labelOf: (classIndex: number) => string;
}

export function classificationExplanation(input: ClassificationInput): ClassificationExplanation {
  const { labels, counts } = confusionMatrix(input.yTrue, input.yPred);
  const k = labels.length;
  const confusion = labels.map((_, t) => Array.from(counts.subarray(t * k, (t + 1) * k)));
  const explanation: ClassificationExplanation = { labels: labels.map(input.labelOf), confusion };
  if (input.probabilities) explanation.curves = classCurves(input.yTrue, input.probabilities, input.labelOf);
  else if (input.decisionScores) explanation.curves = [curvesOf(input.yTrue, 1, input.decisionScores, input.labelOf)];
  return explanation;
}

/** Binary: the second class's curves. More classes: one-vs-rest for every class among the true labels. */
function classCurves(yTrue: ArrayLike<number>, probabilities: Matrix, labelOf: (c: number) => string): ClassCurves[] {
  const classes = probabilities.cols === 2 ? [1] : [...new Set(Array.from(yTrue))].sort((a, b) => a - b);
  return classes.map((c) => {
    const score = new Float64Array(probabilities.rows);
    for (let i = 0; i < score.length; i++) score[i] = probabilities.data[i * probabilities.cols + c]!;
    return curvesOf(yTrue, c, score, labelOf);
  });
}

/** Class c against the rest, ranked by `score`. */
function curvesOf(yTrue: ArrayLike<number>, c: number, score: Float64Array, labelOf: (c: number) => string): ClassCurves {
  const isClass = new Float64Array(yTrue.length); // a loop: Float64Array.from with a map function is ~10× slower
  for (let i = 0; i < isClass.length; i++) isClass[i] = yTrue[i] === c ? 1 : 0;
  const counts = thresholdCounts(isClass, score);
  const roc = rocCurve(counts);
  const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
  return {
    label: labelOf(c),
    positives: counts.positives,
    rocAuc: roc.x.length > 0 ? areaUnder(roc) : null,
    averagePrecision: finite(averagePrecision(counts)),
    roc: thinCurve(roc, MAX_CURVE_POINTS),
    precisionRecall: thinCurve(precisionRecallCurve(counts), MAX_CURVE_POINTS),
  };
}
