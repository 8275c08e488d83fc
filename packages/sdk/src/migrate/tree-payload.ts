/**
 * scikit-learn's fitted trees (`tree_.children_left/right, feature, threshold, value`) as the native runtime's flat
 * trees (packages/native/crates/ml-trees/src/tree.rs): every internal node's two children sit side by side after it,
 * leaves index a row of leaf values. Bodies: tree ensembles (ids 20–25, ensemble.rs) `u32 n_features, u32 kind
 * (0 regression, 1 classification), u32 n_values, u32 n_trees`, trees; gradient boosting (26 inside the multi-target
 * wrapper, 27; boosting.rs) `u32 n_features, u32 link, u32 n_classes, u32 n_present, u32 classes[], f64
 * learning_rate, u32 n_raw, f64 init[n_raw], u32 n_trees`, trees of one value each.
 *
 * scikit-learn predicts trees on X cast to float32 (`float32(x) <= threshold` goes left), and so do the native trees
 * whose `kind` / `link` word carries `FLOAT32_X` — every tree the native runtime fits since its exact port. The
 * payloads here set it and keep scikit-learn's thresholds as they are, so a converted model is the model a native
 * fit writes.
 */
import { PayloadWriter, type NativeEstimator } from './native-payload.js';

const LEAF = 0xffffffff;
/** ensemble.rs `FLOAT32_X`: thresholds compare X rounded to float32. */
const FLOAT32_X = 0x100;

export interface SklearnTree {
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
}

export interface FlatTree {
  thresholds: number[];
  features: number[];
  children: number[];
  /** n_leaves × n_values. */
  values: number[];
}

/** Breadth-first re-layout: children of node i are appended as a pair, so they always follow their parent. */
export function flattenTree(tree: SklearnTree, leafValues: (node: number) => readonly number[]): FlatTree {
  const flat: FlatTree = { thresholds: [0], features: [LEAF], children: [0], values: [] };
  const queue: Array<[sklearnNode: number, slot: number]> = [[0, 0]];
  let leaves = 0;
  for (let head = 0; head < queue.length; head++) {
    const [node, slot] = queue[head]!;
    const left = tree.left[node]!;
    if (left < 0) {
      flat.children[slot] = leaves++;
      flat.values.push(...leafValues(node));
      continue;
    }
    const child = flat.thresholds.length;
    flat.thresholds.push(0, 0);
    flat.features.push(LEAF, LEAF);
    flat.children.push(0, 0);
    flat.thresholds[slot] = tree.threshold[node]!;
    flat.features[slot] = tree.feature[node]!;
    flat.children[slot] = child;
    queue.push([left, child], [tree.right[node]!, child + 1]);
  }
  return flat;
}

function writeTree(writer: PayloadWriter, tree: FlatTree, valuesPerLeaf: number): void {
  writer.u32(tree.thresholds.length);
  writer.u32(tree.values.length / valuesPerLeaf);
  tree.thresholds.forEach((threshold, i) => {
    writer.f64s([threshold]);
    writer.u32(tree.features[i]!);
    writer.u32(tree.children[i]!);
  });
  writer.f64s(tree.values);
}

/** Decision trees, random forests, extra trees: leaf values averaged (class probabilities or target means). */
export function treeEnsemblePayload(estimator: NativeEstimator, numFeatures: number, classifier: boolean, valuesPerLeaf: number, trees: readonly FlatTree[]): Uint8Array {
  const writer = new PayloadWriter(estimator);
  writer.u32(numFeatures);
  writer.u32((classifier ? 1 : 0) | FLOAT32_X);
  writer.u32(valuesPerLeaf);
  writer.u32(trees.length);
  trees.forEach((tree) => writeTree(writer, tree, valuesPerLeaf));
  return writer.finish();
}

export interface Boosting {
  numFeatures: number;
  /** 0 identity (regression), 1 logistic (two classes), 2 softmax. */
  link: 0 | 1 | 2;
  numClasses: number;
  learningRate: number;
  init: readonly number[];
  /** Stage-major: init.length trees per stage. */
  trees: readonly FlatTree[];
}

/** GradientBoostingClassifier (27), or GradientBoostingRegressor (26) as the one target of its wrapper. */
export function boostingPayload(estimator: 'GradientBoostingRegressor' | 'GradientBoostingClassifier', b: Boosting): Uint8Array {
  const writer = new PayloadWriter(estimator);
  if (estimator === 'GradientBoostingRegressor') writer.u32(1);
  writer.u32(b.numFeatures);
  writer.u32(b.link | FLOAT32_X);
  writer.u32(b.numClasses);
  writer.u32(b.numClasses);
  for (let k = 0; k < b.numClasses; k++) writer.u32(k);
  writer.f64s([b.learningRate]);
  writer.u32(b.init.length);
  writer.f64s(b.init);
  writer.u32(b.trees.length);
  b.trees.forEach((tree) => writeTree(writer, tree, 1));
  return writer.finish();
}
