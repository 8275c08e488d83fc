//! Fitting a `TreeEnsemble`: the part decision trees, random forests and extra trees share — labels and class
//! weights, the criterion by name, per-tree bootstrap weights, and the trees grown in parallel from per-tree random
//! streams (so a `random_state` gives the same forest whatever the thread count).

use rayon::prelude::*;

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{Fit, FitInfo, FitInput};
use pgml_ml_core::hyperparams::Value;
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::rng::Rng;
use pgml_ml_core::{ImportanceKind, Importances, WithImportances};

use crate::binning::BinnedMatrix;
use crate::builder::{GrowRules, TreeGrower};
use crate::criterion::{Criterion, Entropy, FriedmanMse, Gini, SquaredError};
use crate::ensemble::TreeEnsemble;
use crate::importance::{forest_importances, tree_impurity_decrease, NodeImpurity};
use crate::params::{grow_rules, random_state};
use crate::split::Splitter;
use crate::targets::Targets;

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

pub fn criterion(name: &str, n_outputs: usize) -> Box<dyn Criterion> {
    match name {
        "gini" => Box::new(Gini),
        "entropy" | "log_loss" => Box::new(Entropy),
        "friedman_mse" => Box::new(FriedmanMse { n_outputs }),
        _ => Box::new(SquaredError { n_outputs }),
    }
}

/// The impurity the criterion named `criterion` measures, over classes (classifiers) or target values.
pub fn node_impurity<'a>(criterion: &str, classes: &'a Option<Vec<u32>>, n_classes: usize, y: &'a MatrixView) -> NodeImpurity<'a> {
    match (criterion, classes) {
        ("gini", Some(class)) => NodeImpurity::Gini { class, n_classes },
        (_, Some(class)) => NodeImpurity::Entropy { class, n_classes },
        (_, None) => NodeImpurity::Variance { y: y.data(), n_outputs: y.cols() },
    }
}

/// How the trees of an ensemble see the rows.
#[derive(Clone, Copy)]
pub struct Sampling {
    pub n_trees: usize,
    /// Rows drawn with replacement per tree (forests' bootstrap), or None: every row once.
    pub bootstrap: Option<usize>,
}

/// Grows `sampling.n_trees` trees on the input with the tree hyperparameters in `input.params`.
pub fn fit_ensemble(input: &FitInput, estimator: &str, classifier: bool, splitter: Splitter, sampling: Sampling) -> Result<Fit> {
    let (x, y, params) = (input.x, input.y()?, input.params);
    let n = x.rows();
    let rules: GrowRules = grow_rules(estimator, params, n, x.cols(), classifier, splitter)?;
    let class_weight = match classifier.then(|| params.value("class_weight")) {
        Some(Value::Str(s)) => Some(s.clone()),
        _ => None,
    };
    let classes = if classifier { Some(class_indices(y.data(), input.n_classes)?) } else { None };
    let targets = match &classes {
        Some(class) => Targets::Classes { class, n_classes: input.n_classes },
        None => Targets::Values { y: y.data(), n_outputs: y.cols() },
    };
    let criterion = criterion(params.str("criterion"), y.cols());
    let binned = BinnedMatrix::new(x);
    let grower = TreeGrower { binned: &binned, targets, criterion: criterion.as_ref(), rules, cancelled: input.cancelled };
    let mut master = Rng::from_random_state(random_state(params));
    let streams: Vec<Rng> = (0..sampling.n_trees).map(|t| master.fork(t as u64)).collect();
    let weights_for = |rng: &mut Rng| -> Vec<f64> {
        let mut counts = match sampling.bootstrap {
            Some(draws) => {
                let mut counts = vec![0.0; n];
                (0..draws).for_each(|_| counts[rng.below(n)] += 1.0);
                counts
            }
            None => vec![1.0; n],
        };
        if let (Some(mode), Some(class)) = (&class_weight, &classes) {
            // "balanced" weighs classes by the whole training set; "balanced_subsample" by this tree's draw.
            let reference = if mode == "balanced_subsample" { counts.clone() } else { vec![1.0; n] };
            let weight_of_class = balanced_class_weights(class, input.n_classes, &reference);
            counts.iter_mut().zip(class).for_each(|(c, &k)| *c *= weight_of_class[k as usize]);
        }
        counts
    };
    let impurity = node_impurity(params.str("criterion"), &classes, input.n_classes, y);
    let (trees, decreases): (Vec<_>, Vec<_>) = streams
        .into_par_iter()
        .map(|mut rng| {
            input.check_cancelled()?;
            let weights = weights_for(&mut rng);
            let total: f64 = weights.iter().sum();
            let grower = TreeGrower { rules: grower.rules.with_total_weight(total), ..grower };
            let tree = grower.grow(&weights, &mut rng)?.tree;
            let decrease = tree_impurity_decrease(&tree, x, &weights, impurity);
            Ok((tree, decrease))
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    let importances = Importances::overall(ImportanceKind::Impurity, forest_importances(&trees, decreases, x.cols()));
    let model = TreeEnsemble { n_features: x.cols(), classifier, n_values: targets.n_values(), trees };
    Ok((Box::new(WithImportances { model: Box::new(model), importances }), FitInfo::CLOSED_FORM))
}
