/** What `PostgresML.model()` tells about the model predict would use: its identity and its input layout. */
import type { FeatureLayout, Label, LoadedModel, RuntimeName, Task } from '@pgml-ts/core';

export interface ModelInfo {
  modelId: number;
  task: Task;
  algorithm: string;
  runtime: RuntimeName;
  /** Feature columns in the order predict takes them (an array column spans `size` values). */
  features: FeatureLayout['columns'];
  /** Classification: the class labels, in the order of `predictProba`'s probabilities. */
  labels?: Label[];
  /** Values per prediction: targets (joint regression), components (decomposition), else 1. */
  numOutputs: number;
}

export function modelInfo(model: LoadedModel): ModelInfo {
  return {
    modelId: model.modelId,
    task: model.task,
    algorithm: model.algorithm,
    runtime: model.runtime.name,
    features: model.features.columns,
    ...(model.labels ? { labels: model.labels } : {}),
    numOutputs: model.numOutputs,
  };
}
