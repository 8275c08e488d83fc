/**
 * Explains a model that is already stored, from its snapshot: how migrated PostgresML 1.0 models get their
 * explanation. The snapshot's rows are read in the model's feature order, split as the snapshot says (for a 1.0
 * snapshot sampled `random` this is our seeded split, not 1.0's unrecorded one), and the test rows go through the
 * model's own stored preprocessing.
 */
import type { Db } from '../db.js';
import { PgmlError } from '../errors.js';
import { deployedModel, type ModelLookupOptions } from '../predict/deployed-model.js';
import type { RuntimeRegistry } from '../registry.js';
import type { Matrix } from '../runtime.js';
import { readSnapshot, snapshotById, splitSnapshot } from '../snapshot/snapshot.js';
import { encodeTargets, type Label } from '../train/labels.js';
import { explainModel, runtimeModel, type ExplainedModel } from './explain.js';
import { featureNames } from '../ml/preprocess-state.js';
import type { ModelExplanation } from './types.js';

const SUPERVISED = ['regression', 'classification'];

export async function explainStoredModel(
  db: Db,
  registry: RuntimeRegistry,
  modelId: number,
  options: ModelLookupOptions = {},
): Promise<ModelExplanation> {
  const model = await deployedModel(db, registry, modelId, options);
  const found = await db.query<{ snapshot_id: string | number | null }>('SELECT snapshot_id FROM pgml.models WHERE id = $1', [modelId]);
  const snapshotId = found.rows[0]?.snapshot_id;
  const snapshot = snapshotId == null ? undefined : await snapshotById(db, Number(snapshotId));
  if (!snapshot) throw new PgmlError('DATA_ERROR', `model ${modelId} has no snapshot to explain it on`, { modelId });
  const { task, features } = model;
  const rows = await readSnapshot(db, registry.tables, snapshot, { featureOrder: features.columns.map((c) => c.name) });
  try {
    const targets = SUPERVISED.includes(task) ? encodeTargets(task, rows.labels, rows.labelValues) : undefined;
    const split = splitSnapshot(snapshot, rows, task, () => targets!.y.data);
    const xTest: Matrix = { data: await rows.table.transform(features.preprocessor, split.test, 0), rows: split.test.length, cols: features.preprocessor.numFeatures };
    let yTest: Matrix | undefined;
    if (targets) {
      const cols = targets.y.cols;
      const data = new Float64Array(split.test.length * cols);
      split.test.forEach((r, i) => data.set(targets.y.data.subarray(r * cols, (r + 1) * cols), i * cols));
      yTest = { data, rows: split.test.length, cols };
    }
    const questioned = runtimeModel(model.runtime, model.fitted);
    return await explainModel({
      // A 1.0 classifier without index labels predicts its raw labels: the explanation wants class indices.
      model: task === 'classification' && !model.labels && targets?.labels ? { ...questioned, predict: classIndices(questioned, targets.labels) } : questioned,
      task,
      xTest,
      ...(yTest ? { yTest } : {}),
      features: featureNames(features.preprocessor),
      ...(model.labels ?? targets?.labels ? { labels: model.labels ?? targets!.labels! } : {}),
      targetNames: snapshot.yColumnNames,
      seed: snapshot.seed,
      trainRows: split.train.length,
    });
  } finally {
    rows.table.free();
  }
}

function classIndices(model: ExplainedModel, labels: readonly Label[]): ExplainedModel['predict'] {
  const index = new Map(labels.map((label, i) => [Number(label), i]));
  return async (x) =>
    Float64Array.from(await model.predict(x), (raw) => {
      const i = index.get(raw);
      if (i === undefined) throw new PgmlError('DATA_ERROR', `the model predicts ${raw}, which is not a label of its snapshot`);
      return i;
    });
}
