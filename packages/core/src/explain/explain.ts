/**
 * Builds a model's explanation from its test split (types.ts): the task's pictures plus feature importances — the
 * estimator's own where it has them (coefficients, impurity, gain), else permutation importance (permutation.ts).
 */
import { columnVariances, totalVariance } from '../ml/unsupervised-metrics.js';
import type { FittedModel, Matrix, ModelImportances, Runtime, Task } from '../runtime.js';
import type { Label } from '../train/labels.js';
import { classificationExplanation } from './classification.js';
import { permutationBudget, permutationImportance, type PermutationScoring } from './permutation.js';
import { regressionExplanation } from './regression.js';
import type { FeatureImportances, ModelExplanation } from './types.js';

/** How to question the model: its runtime's calls bound to it. */
export interface ExplainedModel {
  /** rows × outputs: class indices (classification), values, clusters or components. */
  predict(x: Matrix): Promise<Float64Array>;
  /** rows × numClasses; undefined when the model has no probabilities. */
  predictProba?(x: Matrix): Promise<Float64Array | undefined>;
  /** A binary classifier's decision_function; undefined when it has none. */
  decisionFunction?(x: Matrix): Promise<Float64Array | undefined>;
  /** The estimator's own importances (Runtime.featureImportances). */
  importances(): Promise<ModelImportances | undefined>;
  /** Columns of a prediction row. */
  outputs: number;
  numClasses?: number;
}

export interface ExplainInput {
  model: ExplainedModel;
  task: Task;
  xTest: Matrix;
  /** Class indices (classification) or targets (regression) of the test rows. */
  yTest?: Matrix;
  features: string[];
  /** Classification: the user's label of each class index. */
  labels?: readonly Label[];
  /** The y column names (regression targets). */
  targetNames: readonly string[];
  /** Seeds the samples and shuffles (the snapshot's seed: the same model explains the same way). */
  seed: number;
  /** Rows the model was fitted on: bounds what permutation importance may cost. */
  trainRows: number;
}

/** A runtime's model as `explainModel` questions it. */
export function runtimeModel(runtime: Runtime, model: FittedModel, signal?: AbortSignal): ExplainedModel {
  return {
    predict: (x) => runtime.predict(model, x, signal),
    ...(runtime.predictProba && model.numClasses ? { predictProba: (x: Matrix) => probabilitiesOf(runtime, model, x, signal) } : {}),
    ...(runtime.decisionFunction && model.numClasses === 2 ? { decisionFunction: (x: Matrix) => runtime.decisionFunction!(model, x, signal) } : {}),
    importances: async () => runtime.featureImportances?.(model),
    outputs: model.numOutputs,
    ...(model.numClasses ? { numClasses: model.numClasses } : {}),
  };
}

const SCORING: Record<Task, PermutationScoring | undefined> = {
  classification: 'accuracy',
  regression: 'r2',
  clustering: 'cluster_agreement',
  decomposition: undefined,
};

export async function explainModel(input: ExplainInput): Promise<ModelExplanation> {
  const { model, task, xTest, yTest } = input;
  const hasRows = xTest.rows > 0;
  const predicted = hasRows ? await model.predict(xTest) : new Float64Array(0);
  const own = await model.importances();
  const scoring = SCORING[task];
  let importances: FeatureImportances | null = null;
  if (own) importances = namedImportances(own, input);
  else if (hasRows && scoring) {
    importances = await permutationImportance({
      x: xTest,
      ...(yTest ? { y: yTest } : {}),
      scoring,
      outputs: model.outputs,
      predict: model.predict,
      seed: input.seed,
      budget: permutationBudget(input.trainRows),
    });
  }
  const explanation: ModelExplanation = { version: 1, task, testRows: xTest.rows, features: input.features, importances };
  if (!hasRows) return explanation;
  switch (task) {
    case 'classification': {
      const probabilities = await model.predictProba?.(xTest);
      const decisionScores = probabilities ? undefined : await model.decisionFunction?.(xTest);
      explanation.classification = classificationExplanation({
        yTrue: yTest!.data,
        yPred: predicted,
        ...(probabilities ? { probabilities: { data: probabilities, rows: xTest.rows, cols: model.numClasses! } } : {}),
        ...(decisionScores ? { decisionScores } : {}),
        labelOf: (c) => labelText(input.labels?.[c] ?? c),
      });
      break;
    }
    case 'regression':
      explanation.regression = regressionExplanation({ yTrue: yTest!, yPred: predicted, targetNames: [...input.targetNames], seed: input.seed });
      break;
    case 'clustering':
      explanation.clustering = { clusterSizes: clusterSizes(predicted) };
      break;
    case 'decomposition': {
      const components = columnVariances({ data: predicted, rows: xTest.rows, cols: model.outputs });
      const total = totalVariance(xTest);
      explanation.decomposition = { explainedVarianceRatio: Array.from(components, (v) => (total > 0 ? v / total : 0)) };
      break;
    }
  }
  return explanation;
}

function labelText(label: Label): string {
  return String(label);
}

/** Rows named by what they explain: a class label, a target name, a component. */
function namedImportances(own: ModelImportances, input: ExplainInput): FeatureImportances {
  const features = input.xTest.cols;
  const outputName = (output: number | string | null): string | null => {
    if (output === null) return null;
    if (typeof output === 'string') return output;
    switch (input.task) {
      case 'classification':
        return labelText(input.labels?.[output] ?? output);
      case 'regression':
        return input.targetNames[output] ?? String(output);
      default:
        return `component ${output + 1}`;
    }
  };
  return {
    method: own.kind,
    rows: own.outputs.map((output, r) => ({ output: outputName(output), values: Array.from(own.values.subarray(r * features, (r + 1) * features)) })),
  };
}

/** predict_proba where the model has it; estimators without it (SVC without probability) give no curves. */
async function probabilitiesOf(runtime: Runtime, model: FittedModel, x: Matrix, signal?: AbortSignal): Promise<Float64Array | undefined> {
  if (!runtime.predictProba || !model.numClasses) return undefined;
  try {
    return await runtime.predictProba(model, x, signal);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'INVALID_ARGUMENT' || code === 'ALGORITHM_UNAVAILABLE') return undefined;
    throw error;
  }
}

function clusterSizes(predicted: Float64Array): Array<{ cluster: number; rows: number }> {
  const sizes = new Map<number, number>();
  for (const c of predicted) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  return [...sizes].sort((a, b) => a[0] - b[0]).map(([cluster, rows]) => ({ cluster, rows }));
}
