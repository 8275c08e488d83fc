//! scikit-learn's impurity-based `feature_importances_` from fitted trees. A flat `Tree` keeps no node statistics,
//! so the training rows (as float32, which the thresholds compare) are routed through it once, with the weights the
//! tree was grown with, to recover each node's weighted sample count and impurity (a split sends a training row
//! where the fit did). Then, as sklearn's
//! `Tree.compute_feature_importances`: every split adds
//! `w_node·impurity_node − w_left·impurity_left − w_right·impurity_right` to its feature, divided by the root's
//! weight. Ensembles combine per-tree vectors the way sklearn's forests and gradient boosting do.
//!
//! Cost: one root-to-leaf walk per weighted training row and tree, a fraction of growing the tree.

use crate::features::FeatureMatrix;
use crate::tree::{Tree, LEAF};

/// The node impurity a tree was grown with, over the targets it was grown on.
#[derive(Clone, Copy)]
pub enum NodeImpurity<'a> {
    /// 1 − Σ p² over weighted class fractions.
    Gini { class: &'a [u32], n_classes: usize },
    /// −Σ p log₂ p (sklearn's "entropy" and "log_loss").
    Entropy { class: &'a [u32], n_classes: usize },
    /// Mean over outputs of the weighted variance (squared_error, friedman_mse): rows × n_outputs values.
    Variance { y: &'a [f64], n_outputs: usize },
}

impl NodeImpurity<'_> {
    /// Per node: the weight, then class weights, or per output Σ w·y and Σ w·y².
    fn width(&self) -> usize {
        1 + match *self {
            NodeImpurity::Gini { n_classes, .. } | NodeImpurity::Entropy { n_classes, .. } => n_classes,
            NodeImpurity::Variance { n_outputs, .. } => 2 * n_outputs,
        }
    }

    fn add(&self, row: usize, weight: f64, stats: &mut [f64]) {
        stats[0] += weight;
        match *self {
            NodeImpurity::Gini { class, .. } | NodeImpurity::Entropy { class, .. } => {
                stats[1 + class[row] as usize] += weight
            }
            NodeImpurity::Variance { y, n_outputs } => {
                for (o, &v) in y[row * n_outputs..(row + 1) * n_outputs].iter().enumerate() {
                    stats[1 + o] += weight * v;
                    stats[1 + n_outputs + o] += weight * v * v;
                }
            }
        }
    }

    fn impurity(&self, stats: &[f64]) -> f64 {
        let w = stats[0];
        match *self {
            NodeImpurity::Gini { .. } => 1.0 - stats[1..].iter().map(|c| (c / w) * (c / w)).sum::<f64>(),
            NodeImpurity::Entropy { .. } => {
                -stats[1..].iter().filter(|&&c| c > 0.0).map(|c| (c / w) * (c / w).log2()).sum::<f64>()
            }
            NodeImpurity::Variance { n_outputs, .. } => {
                let (sums, squares) = stats[1..].split_at(n_outputs);
                sums.iter().zip(squares).map(|(s, q)| q / w - (s / w) * (s / w)).sum::<f64>() / n_outputs as f64
            }
        }
    }
}

/// sklearn's `compute_feature_importances(normalize=False)` of one tree grown on `x` with `weights` (0 = not in
/// this tree's sample).
pub fn tree_impurity_decrease(tree: &Tree, x: &FeatureMatrix, weights: &[f64], impurity: NodeImpurity) -> Vec<f64> {
    let (cols, width) = (x.n_features, impurity.width());
    let mut stats = vec![0.0; tree.nodes.len() * width];
    for (row, &weight) in weights.iter().enumerate() {
        if weight == 0.0 {
            continue;
        }
        let mut id = 0;
        loop {
            impurity.add(row, weight, &mut stats[id * width..(id + 1) * width]);
            let node = tree.nodes[id];
            if node.feature == LEAF {
                break;
            }
            id = node.child as usize + usize::from(f64::from(x.column(node.feature as usize)[row]) > node.threshold);
        }
    }
    let weighted = |id: usize| {
        let s = &stats[id * width..(id + 1) * width];
        if s[0] > 0.0 {
            s[0] * impurity.impurity(s)
        } else {
            0.0
        }
    };
    let mut decrease = vec![0.0; cols];
    for (id, node) in tree.nodes.iter().enumerate().filter(|(_, n)| n.feature != LEAF) {
        let left = node.child as usize;
        decrease[node.feature as usize] += weighted(id) - weighted(left) - weighted(left + 1);
    }
    let root = stats[0];
    if root > 0.0 {
        decrease.iter_mut().for_each(|d| *d /= root);
    }
    decrease
}

fn normalized(mut values: Vec<f64>) -> Vec<f64> {
    let total: f64 = values.iter().sum();
    if total > 0.0 {
        values.iter_mut().for_each(|v| *v /= total);
    }
    values
}

/// The mean of the vectors of trees that split at least once (all zeros when none did), normalized.
fn mean_of_split_trees(trees: &[Tree], per_tree: impl Iterator<Item = Vec<f64>>, n_features: usize) -> Vec<f64> {
    let mut sum = vec![0.0; n_features];
    let mut count = 0usize;
    for (tree, values) in trees.iter().zip(per_tree) {
        if tree.nodes.len() > 1 {
            sum.iter_mut().zip(values).for_each(|(s, v)| *s += v);
            count += 1;
        }
    }
    if count == 0 {
        return sum;
    }
    normalized(sum.into_iter().map(|s| s / count as f64).collect())
}

/// Decision trees and forests (`BaseForest.feature_importances_`): each tree's vector normalized, averaged over
/// the trees that split, normalized again.
pub fn forest_importances(trees: &[Tree], decreases: Vec<Vec<f64>>, n_features: usize) -> Vec<f64> {
    mean_of_split_trees(trees, decreases.into_iter().map(normalized), n_features)
}

/// Gradient boosting (`BaseGradientBoosting.feature_importances_`): the unnormalized vectors of every stage tree
/// that splits, averaged, then normalized.
pub fn boosting_importances(trees: &[Tree], decreases: Vec<Vec<f64>>, n_features: usize) -> Vec<f64> {
    mean_of_split_trees(trees, decreases.into_iter(), n_features)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Node;
    use pgml_ml_core::matrix::MatrixView;

    fn features(x: &[f64], rows: usize, cols: usize) -> FeatureMatrix {
        FeatureMatrix::new(&MatrixView::new("X", x, rows, cols).unwrap(), false).unwrap()
    }

    /// x0 ≤ 0.5 splits the root; its right child splits on x1 ≤ 0.5.
    fn two_split_tree() -> Tree {
        let nodes = vec![
            Node { threshold: 0.5, feature: 0, child: 1 },
            Node { threshold: 0.0, feature: LEAF, child: 0 },
            Node { threshold: 0.5, feature: 1, child: 3 },
            Node { threshold: 0.0, feature: LEAF, child: 1 },
            Node { threshold: 0.0, feature: LEAF, child: 2 },
        ];
        Tree { nodes, values: vec![0.0; 3], n_values: 1 }
    }

    #[test]
    fn gini_decrease_by_hand() {
        // Rows (x0, x1) → class: (0,0)→0, (0,1)→0, (1,0)→1, (1,1)→0.
        let x = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
        let x = features(&x, 4, 2);
        let class = [0, 0, 1, 0];
        let d = tree_impurity_decrease(
            &two_split_tree(),
            &x,
            &[1.0; 4],
            NodeImpurity::Gini { class: &class, n_classes: 2 },
        );
        // Root: 4 · (1 − (3/4)² − (1/4)²) = 1.5; left leaf pure; right node 2 · 0.5 = 1, its leaves pure.
        assert!((d[0] - (1.5 - 1.0) / 4.0).abs() < 1e-15, "{d:?}");
        assert!((d[1] - 1.0 / 4.0).abs() < 1e-15, "{d:?}");
        assert_eq!(forest_importances(&[two_split_tree()], vec![d], 2), vec![1.0 / 3.0, 2.0 / 3.0]);
    }

    #[test]
    fn weights_count_rows_and_zero_weights_leave_them_out() {
        let x = [0.0, 0.0, 1.0, 0.0, 1.0, 1.0];
        let x = features(&x, 3, 2);
        let y = [0.0, 4.0, 2.0];
        let doubled = tree_impurity_decrease(
            &two_split_tree(),
            &x,
            &[2.0, 2.0, 2.0],
            NodeImpurity::Variance { y: &y, n_outputs: 1 },
        );
        let once = tree_impurity_decrease(
            &two_split_tree(),
            &x,
            &[1.0, 1.0, 1.0],
            NodeImpurity::Variance { y: &y, n_outputs: 1 },
        );
        doubled.iter().zip(&once).for_each(|(a, b)| assert!((a - b).abs() < 1e-12));
        let without_last = tree_impurity_decrease(
            &two_split_tree(),
            &x,
            &[1.0, 1.0, 0.0],
            NodeImpurity::Variance { y: &y, n_outputs: 1 },
        );
        // Two rows (y 0 and 4) split at the root: variance 4 → 0, so 2 · 4 / 2 on x0 and nothing on x1.
        assert_eq!(without_last, vec![4.0, 0.0]);
    }

    #[test]
    fn single_node_trees_count_for_nothing() {
        let stump =
            Tree { nodes: vec![Node { threshold: 0.0, feature: LEAF, child: 0 }], values: vec![1.0], n_values: 1 };
        assert_eq!(boosting_importances(std::slice::from_ref(&stump), vec![vec![0.0, 0.0]], 2), vec![0.0, 0.0]);
        let trees = [stump, two_split_tree()];
        assert_eq!(boosting_importances(&trees, vec![vec![0.0, 0.0], vec![1.0, 3.0]], 2), vec![0.25, 0.75]);
    }
}
