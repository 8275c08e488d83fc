/**
 * scikit-learn's fitted trees (`tree_.children_left/right, feature, threshold, value`) as the native runtime's flat
 * trees (packages/native/crates/ml-trees/src/tree.rs): every internal node's two children sit side by side after it,
 * leaves index a row of leaf values. Bodies: tree ensembles (ids 20–25, ensemble.rs) `u32 n_features, u32 kind
 * (0 regression, 1 classification), u32 n_values, u32 n_trees`, trees; gradient boosting (26 inside the multi-target
 * wrapper, 27; boosting.rs) `u32 n_features, u32 link, u32 n_classes, u32 n_present, u32 classes[], f64
 * learning_rate, u32 n_raw, f64 init[n_raw], u32 n_trees`, trees of one value each.
 *
 * scikit-learn predicts trees on X cast to float32 (`float32(x) <= threshold` goes left); the native trees compare
 * the f64 value. `float32Threshold` moves each threshold to the largest double whose float32 rounding is still on
 * the left, so both sides send every row the same way.
 */
import { PayloadWriter, type NativeEstimator } from './native-payload.js';

const LEAF = 0xffffffff;

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

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigUint64Array(f64.buffer);

/** The float32 next to `value` (a float32) towards +∞ (`up`) or −∞. */
function stepFloat32(value: number, up: boolean): number {
  if (value === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  f32[0] = value;
  f32Bits[0] = f32Bits[0]! + ((value > 0) === up ? 1 : -1);
  return f32[0]!;
}

/** The largest double x with `Math.fround(x) <= threshold` (round-to-nearest-even, as numpy's astype). */
export function float32Threshold(threshold: number): number {
  if (!Number.isFinite(threshold)) return threshold;
  let below = Math.fround(threshold);
  if (below > threshold) below = stepFloat32(below, false);
  const above = stepFloat32(below, true);
  if (!Number.isFinite(above) || !Number.isFinite(below)) return threshold;
  const midpoint = (below + above) / 2; // exact: neighbouring float32s differ in their 24th significant bit
  f32[0] = below;
  if ((f32Bits[0]! & 1) === 0) return midpoint; // a tie rounds to `below`, the even one: still left
  f64[0] = midpoint;
  f64Bits[0] = f64Bits[0]! + (midpoint > 0 ? -1n : 1n);
  return f64[0]!;
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
    flat.thresholds[slot] = float32Threshold(tree.threshold[node]!);
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
  writer.u32(classifier ? 1 : 0);
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
  writer.u32(b.link);
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
