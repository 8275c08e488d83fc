//! The tree family: scikit-learn's `DecisionTree*`, `RandomForest*`, `ExtraTrees*` and `GradientBoosting*`
//! (regression + classification), all grown by one histogram tree builder. Payload ids 20–39 belong to this family.
//!
//! | module | what |
//! |---|---|
//! | `binning` | X quantized once per fit to u16 codes per column (exact when a feature has ≤ 1024 values) |
//! | `criterion` | gini, entropy, squared error, friedman_mse over stats rows (the `Criterion` trait) |
//! | `targets` | how a sample adds to a stats row; leaf values |
//! | `split` | a node's split from per-feature histograms: best or random thresholds, sklearn's feature sampling |
//! | `builder` | grows one tree, depth-first or best-first (`max_leaf_nodes`) |
//! | `tree`, `predict` | flat fitted trees, batch prediction over many trees |
//! | `params` | sklearn's tree hyperparameters → `GrowRules` |
//! | `importance` | sklearn's impurity-based feature importances from fitted trees and their training rows |
//! | `fit_trees`, `ensemble` | averaged tree ensembles: labels, class weights, bootstrap, parallel trees |
//! | `decision_tree`, `forest`, `boosting` | the algorithm rows |

pub mod binning;
pub mod boosting;
pub mod builder;
pub mod criterion;
pub mod decision_tree;
pub mod ensemble;
pub mod fit_trees;
pub mod forest;
pub mod importance;
pub mod params;
pub mod predict;
pub mod split;
pub mod targets;
pub mod tree;

use pgml_ml_core::AlgorithmDef;

/// This family's rows of the registry, in the order `mlAlgorithms()` lists them.
pub const ALGORITHMS: &[AlgorithmDef] = &[
    decision_tree::DECISION_TREE_REGRESSOR,
    decision_tree::DECISION_TREE_CLASSIFIER,
    forest::RANDOM_FOREST_REGRESSOR,
    forest::RANDOM_FOREST_CLASSIFIER,
    forest::EXTRA_TREES_REGRESSOR,
    forest::EXTRA_TREES_CLASSIFIER,
    boosting::GRADIENT_BOOSTING_REGRESSOR,
    boosting::GRADIENT_BOOSTING_CLASSIFIER,
];

#[cfg(test)]
mod tests;
