//! Fitting a `TreeEnsemble` as scikit-learn 1.2 fits `DecisionTree*`, `RandomForest*` and `ExtraTrees*`: the same
//! random draws from numpy's `RandomState` — a forest gives tree t the seed `random_state.randint(2³¹ − 1)`, draws
//! its bootstrap rows with `RandomState(seed).randint(0, n, n_samples_bootstrap)` and seeds its splitter from a fresh
//! `RandomState(seed)`; a single tree seeds its splitter from `RandomState(random_state)` — bootstrap counts as
//! sample weights, "balanced" class weights, and classifier leaves normalised as `predict_proba` does. Trees are
//! grown in parallel, each from its own seed, so the forest is the same whatever the thread count.

use rayon::prelude::*;

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{Fit, FitInfo, FitInput};
use pgml_ml_core::hyperparams::Value;
use pgml_ml_core::mt19937::NumpyRandomState;
use pgml_ml_core::{ImportanceKind, Importances, WithImportances};

use crate::builder::grow;
use crate::criterion::{ClassCriterion, ClassImpurity, Criterion};
use crate::ensemble::TreeEnsemble;
use crate::features::FeatureMatrix;
use crate::importance::{forest_importances, tree_impurity_decrease, NodeImpurity};
use crate::numpy;
use crate::params::{random_state, tree_rules, TreeRules};
use crate::rand_r::RandR;
use crate::regression_criterion::{RegressionCriterion, RegressionImpurity};
use crate::splitter::{Splitter, SplitterKind};
use crate::tree::Tree;

/// Class indices as u32, each checked to be an integer in 0..n_classes. A single class is allowed: sklearn's trees
/// and forests fit it (every prediction is that class).
pub fn class_indices(y: &[f64], n_classes: usize) -> Result<Vec<u32>> {
    y.iter()
        .enumerate()
        .map(|(i, &label)| {
            if label.fract() == 0.0 && label >= 0.0 && label < n_classes as f64 {
                Ok(label as u32)
            } else {
                Err(Error::data(format!("label {label} at row {i} is not a class index in 0..{n_classes}")))
            }
        })
        .collect()
}

/// sklearn's "balanced" class weights over rows counted `counts` times: total / (classes present × class total).
pub fn balanced_class_weights(class: &[u32], n_classes: usize, counts: &[f64]) -> Vec<f64> {
    let mut per_class = vec![0.0; n_classes];
    class.iter().zip(counts).for_each(|(&c, &n)| per_class[c as usize] += n);
    let present = per_class.iter().filter(|&&n| n > 0.0).count() as f64;
    let total: f64 = per_class.iter().sum();
    per_class.iter().map(|&n| if n > 0.0 { total / (present * n) } else { 0.0 }).collect()
}

/// Grows one tree on rows weighted `weights` (zero: not in this tree) with the splitter generator `rand`.
pub fn grow_tree<C: Criterion>(
    x: &FeatureMatrix,
    criterion: C,
    rules: &TreeRules,
    rand: RandR,
    weights: &[f64],
    n_values: usize,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Tree> {
    let rules = rules.for_weights(numpy::sum(weights));
    let mut splitter = Splitter::new(x, criterion, rules.split, rand, weights);
    grow(&mut splitter, rules.grow, n_values, cancelled)
}

/// The splitter's total weight (sklearn adds the sample weights up in row order).
pub fn total_weight(weights: &[f64]) -> f64 {
    weights.iter().fold(0.0, |s, w| s + w)
}

/// How many trees, and how they see the rows.
#[derive(Clone, Copy)]
pub enum Sampling {
    /// A decision tree: every row once, its splitter seeded from `RandomState(random_state)`.
    SingleTree,
    Forest {
        n_trees: usize,
        /// Rows drawn with replacement per tree, or None: every row once.
        bootstrap: Option<usize>,
    },
}

/// The leaves' class counts as `predict_proba` returns them: divided by their sum over the classes present in
/// training (numpy's sum; 1 where it is 0), zero for declared classes never seen.
fn normalise_leaves(tree: &mut Tree, present: &[u32]) {
    let n = tree.n_values;
    let mut kept = vec![0.0; present.len()];
    for leaf in tree.values.chunks_exact_mut(n) {
        kept.iter_mut().zip(present).for_each(|(k, &c)| *k = leaf[c as usize]);
        let sum = numpy::sum(&kept);
        let normalizer = if sum == 0.0 { 1.0 } else { sum };
        leaf.iter_mut().for_each(|v| *v /= normalizer);
    }
}

/// Grows the tree (or the forest's trees) on the input with the tree hyperparameters in `input.params`.
pub fn fit_ensemble(
    input: &FitInput,
    estimator: &str,
    classifier: bool,
    kind: SplitterKind,
    sampling: Sampling,
) -> Result<Fit> {
    let (x, y, params) = (input.x, input.y()?, input.params);
    let n = x.rows();
    let rules = tree_rules(estimator, params, n, x.cols(), classifier, kind)?;
    let features = FeatureMatrix::new(x, kind == SplitterKind::Best)?;
    let mut random_state = random_state(estimator, params)?;
    // A single tree draws from RandomState(random_state) itself; a forest's trees from seeds drawn off it.
    let (seeds, bootstrap): (Vec<Option<u32>>, _) = match sampling {
        Sampling::SingleTree => (vec![None], None),
        Sampling::Forest { n_trees, bootstrap } => {
            ((0..n_trees).map(|_| Some(random_state.randint(i32::MAX as usize) as u32)).collect(), bootstrap)
        }
    };
    let classes = if classifier { Some(class_indices(y.data(), input.n_classes)?) } else { None };
    let mode = match classifier.then(|| params.value("class_weight")) {
        Some(Value::Str(s)) => Some(s.as_str()),
        _ => None,
    };
    // "balanced" weighs classes by the whole training set, "balanced_subsample" by each bootstrap draw (by the whole
    // set without bootstrap).
    let subsample_weights = mode == Some("balanced_subsample") && bootstrap.is_some();
    let base = match (&classes, mode) {
        (Some(class), Some(_)) if !subsample_weights => {
            let per_class = balanced_class_weights(class, input.n_classes, &vec![1.0; n]);
            class.iter().map(|&c| per_class[c as usize]).collect()
        }
        _ => vec![1.0; n],
    };
    let weights_for = |seed: Option<u32>| -> Vec<f64> {
        let (Some(draws), Some(seed)) = (bootstrap, seed) else { return base.clone() };
        let mut draw = NumpyRandomState::new(seed);
        let mut counts = vec![0.0; n];
        (0..draws).for_each(|_| counts[draw.randint(n)] += 1.0);
        let mut weights: Vec<f64> = base.iter().zip(&counts).map(|(w, c)| w * c).collect();
        if let (true, Some(class)) = (subsample_weights, &classes) {
            let per_class = balanced_class_weights(class, input.n_classes, &counts);
            weights.iter_mut().zip(class).for_each(|(w, &c)| *w *= per_class[c as usize]);
        }
        weights
    };
    let present: Vec<u32> = match &classes {
        Some(class) => {
            let mut seen = vec![false; input.n_classes];
            class.iter().for_each(|&c| seen[c as usize] = true);
            (0..input.n_classes as u32).filter(|&c| seen[c as usize]).collect()
        }
        None => Vec::new(),
    };
    let grow_one = |seed: Option<u32>| -> Result<(Tree, Vec<f64>)> {
        input.check_cancelled()?;
        let weights = weights_for(seed);
        let total = total_weight(&weights);
        let rand = RandR::from_random_state(&mut match seed {
            Some(seed) => NumpyRandomState::new(seed),
            None => random_state.clone(),
        });
        match &classes {
            Some(class) => {
                let impurity =
                    if params.str("criterion") == "gini" { ClassImpurity::Gini } else { ClassImpurity::Entropy };
                let criterion = ClassCriterion::new(impurity, class, input.n_classes, &weights, total);
                let mut tree =
                    grow_tree(&features, criterion, &rules, rand, &weights, input.n_classes, input.cancelled)?;
                normalise_leaves(&mut tree, &present);
                let impurity = if params.str("criterion") == "gini" {
                    NodeImpurity::Gini { class, n_classes: input.n_classes }
                } else {
                    NodeImpurity::Entropy { class, n_classes: input.n_classes }
                };
                let decrease = tree_impurity_decrease(&tree, &features, &weights, impurity);
                Ok((tree, decrease))
            }
            None => {
                let impurity = if params.str("criterion") == "friedman_mse" {
                    RegressionImpurity::FriedmanMse
                } else {
                    RegressionImpurity::SquaredError
                };
                let criterion = RegressionCriterion::new(impurity, y.data(), y.cols(), &weights, total);
                let tree = grow_tree(&features, criterion, &rules, rand, &weights, y.cols(), input.cancelled)?;
                let decrease = tree_impurity_decrease(
                    &tree,
                    &features,
                    &weights,
                    NodeImpurity::Variance { y: y.data(), n_outputs: y.cols() },
                );
                Ok((tree, decrease))
            }
        }
    };
    let (total_trees, grown) = (seeds.len(), std::sync::atomic::AtomicUsize::new(0));
    let (trees, decreases): (Vec<Tree>, Vec<Vec<f64>>) = seeds
        .into_par_iter()
        .map(|seed| {
            let grown_tree = grow_one(seed)?;
            input.report(grown.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total_trees, "trees");
            Ok(grown_tree)
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    let n_values = if classifier { input.n_classes } else { y.cols() };
    let importances = Importances::overall(ImportanceKind::Impurity, forest_importances(&trees, decreases, x.cols()));
    let model = TreeEnsemble { n_features: x.cols(), classifier, n_values, trees, float32: true };
    Ok((Box::new(WithImportances { model: Box::new(model), importances }), FitInfo::CLOSED_FORM))
}
