//! The tree family: scikit-learn 1.2's `DecisionTree*`, `RandomForest*`, `ExtraTrees*` and `GradientBoosting*`
//! (regression + classification), ported step for step — numpy's `RandomState` draws, sklearn's own `rand_r`
//! generator, float32 X, its sort, criteria and builders — so an integer `random_state` gives the very trees sklearn
//! grows. Payload ids 20–39 belong to this family.
//!
//! | module | what |
//! |---|---|
//! | `features` | X rounded to float32, column by column |
//! | `rand_r`, `numpy` | sklearn's splitter generator; numpy's summation order and float64 exp/log |
//! | `criterion`, `regression_criterion` | gini, entropy; squared error, friedman_mse — sklearn's incremental sums |
//! | `sort`, `splitter` | sklearn's introsort; the best and random splitters |
//! | `heap`, `builder` | libstdc++'s heap; depth-first and best-first (`max_leaf_nodes`) growth |
//! | `tree`, `predict` | flat fitted trees, batch prediction over many trees in sklearn's order |
//! | `params` | sklearn's tree hyperparameters → `TreeRules`, `random_state` |
//! | `importance` | sklearn's impurity-based feature importances from fitted trees and their training rows |
//! | `fit_trees`, `ensemble` | decision trees and forests: seeds, bootstrap, class weights, parallel trees |
//! | `decision_tree`, `forest`, `boosting`, `boosting_fit` | the algorithm rows |

pub mod boosting;
pub mod boosting_fit;
pub mod builder;
pub mod criterion;
pub mod decision_tree;
pub mod ensemble;
pub mod features;
pub mod fit_trees;
pub mod forest;
pub mod heap;
pub mod importance;
pub mod numpy;
pub mod params;
pub mod predict;
pub mod rand_r;
pub mod regression_criterion;
pub mod sort;
pub mod splitter;
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
