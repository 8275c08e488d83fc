//! Fitting scikit-learn 1.2's `GradientBoostingRegressor` (squared error) and `GradientBoostingClassifier` (log
//! loss) the way `_gb.py` and `_gb_losses.py` do, draw for draw and operation for operation. One `RandomState`
//! serves the whole fit: per stage, `subsample < 1` first draws the in-bag mask (`_random_sample_mask`), then each
//! of the stage's trees seeds its splitter from it — its only draw, so the K trees of a stage (K = 1 except for more
//! than two classes), which fit the negative gradients at the stage's start, are grown in parallel. Classifier
//! leaves then take the Newton step over their in-bag rows (numpy sums in row order), and every row moves by
//! learning_rate × its leaf's value. The log loss's exp and log are numpy's (`numpy.rs`); expit is the C library's,
//! as scipy's.

use rayon::prelude::*;

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{Fit, FitInfo, FitInput};
use pgml_ml_core::hyperparams::Value;
use pgml_ml_core::labels::encode_labels;
use pgml_ml_core::mt19937::NumpyRandomState;
use pgml_ml_core::numeric::sigmoid;
use pgml_ml_core::{ImportanceKind, Importances, WithImportances};

use crate::boosting::{BoostedTrees, Link};
use crate::features::FeatureMatrix;
use crate::fit_trees::{grow_tree, total_weight};
use crate::importance::{boosting_importances, tree_impurity_decrease, NodeImpurity};
use crate::numpy;
use crate::params::{invalid, random_state, reject_flag, tree_rules};
use crate::rand_r::RandR;
use crate::regression_criterion::{RegressionCriterion, RegressionImpurity};
use crate::splitter::SplitterKind;
use crate::tree::Tree;

/// The loss as boosting needs it: y, the link, and the score columns.
struct Loss<'a> {
    link: Link,
    /// Regression target (identity link).
    y: &'a [f64],
    /// Position of each row's class among the trained classes (classification).
    positions: Vec<usize>,
    n_raw: usize,
}

/// scipy's `logsumexp` of one row: max + log Σ exp(v − max), numpy's exp, sum and log.
fn logsumexp(row: &[f64]) -> f64 {
    let max = row.iter().fold(f64::NEG_INFINITY, |m, &v| if v > m { v } else { m });
    let max = if max.is_finite() { max } else { 0.0 };
    let shifted: Vec<f64> = row.iter().map(|v| numpy::exp(v - max)).collect();
    numpy::ln(numpy::sum(&shifted)) + max
}

/// `MultinomialDeviance._raw_prediction_to_proba` of one row: exp(v − logsumexp), NaN as 0.
pub fn softmax_probabilities(row: &[f64], out: &mut [f64]) {
    let lse = logsumexp(row);
    out.iter_mut().zip(row).for_each(|(p, v)| {
        let e = numpy::exp(v - lse);
        *p = if e.is_nan() { 0.0 } else { e };
    });
}

impl Loss<'_> {
    /// The 0/1 target of score column k for row i (classification).
    fn target(&self, i: usize, k: usize) -> f64 {
        let position = self.positions[i];
        f64::from(u8::from(if self.link == Link::Logistic { position == 1 } else { position == k }))
    }

    /// `negative_gradient` of column k at every row, from the stage's starting scores (rows × n_raw).
    fn negative_gradient(&self, raw: &[f64], k: usize, out: &mut [f64]) {
        let m = self.n_raw;
        match self.link {
            Link::Identity => out.iter_mut().zip(self.y).zip(raw).for_each(|((g, y), r)| *g = y - r),
            Link::Logistic => out.iter_mut().enumerate().for_each(|(i, g)| *g = self.target(i, 0) - sigmoid(raw[i])),
            Link::Softmax => {
                for (i, g) in out.iter_mut().enumerate() {
                    let row = &raw[i * m..(i + 1) * m];
                    let p = numpy::exp(row[k] - logsumexp(row));
                    *g = self.target(i, k) - if p.is_nan() { 0.0 } else { p };
                }
            }
        }
    }

    /// `_update_terminal_region`'s Newton step over one leaf's in-bag rows (ascending), for the log losses.
    fn newton_step(&self, rows: &[usize], residual: &[f64], weights: &[f64], k: usize) -> f64 {
        let numerators: Vec<f64> = rows.iter().map(|&i| weights[i] * residual[i]).collect();
        let denominators: Vec<f64> = rows
            .iter()
            .map(|&i| {
                let (y, r) = (self.target(i, k), residual[i]);
                weights[i] * (y - r) * (1.0 - y + r)
            })
            .collect();
        let mut numerator = numpy::sum(&numerators);
        if self.link == Link::Softmax {
            numerator *= (self.n_raw - 1) as f64 / self.n_raw as f64;
        }
        let denominator = numpy::sum(&denominators);
        if denominator.abs() < 1e-150 {
            0.0
        } else {
            numerator / denominator
        }
    }

    /// The init estimator's scores: the target mean (DummyRegressor), or log-odds / log-priors of the classes
    /// (DummyClassifier "prior", clipped to float32's eps); `init="zero"` starts from 0.
    fn initial_scores(&self, n_present: usize, zero: bool) -> Vec<f64> {
        if zero {
            return vec![0.0; self.n_raw];
        }
        let n = self.y.len();
        let eps = f64::from(f32::EPSILON);
        let prior =
            |k: usize| (self.positions.iter().filter(|&&p| p == k).count() as f64 / n as f64).clamp(eps, 1.0 - eps);
        match self.link {
            Link::Identity => vec![numpy::sum(self.y) / n as f64],
            Link::Logistic => vec![numpy::ln(prior(1) / (1.0 - prior(1)))],
            Link::Softmax => (0..n_present).map(|k| numpy::ln(prior(k))).collect(),
        }
    }
}

/// `_random_sample_mask`: row i is in the bag when uniform_i · (n − i) < in-bag rows still to pick.
fn random_sample_mask(n: usize, n_inbag: usize, random_state: &mut NumpyRandomState) -> Vec<bool> {
    let draws: Vec<f64> = (0..n).map(|_| random_state.random_sample()).collect();
    let mut picked = 0;
    draws
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let inbag = u * ((n - i) as f64) < (n_inbag - picked) as f64;
            picked += usize::from(inbag);
            inbag
        })
        .collect()
}

pub fn fit(input: &FitInput, estimator: &str, classifier: bool) -> Result<Fit> {
    let (x, params) = (input.x, input.params);
    let y = input.y()?.data();
    reject_flag(estimator, params, "warm_start", "a native fit always starts from scratch")?;
    if !matches!(params.value("n_iter_no_change"), Value::Null) {
        return Err(invalid(estimator, "n_iter_no_change", "must be null: early stopping is not implemented natively"));
    }
    let subsample = params.f64("subsample");
    let n = x.rows();
    let (classes, positions) = if classifier { encode_labels(y, input.n_classes)? } else { (Vec::new(), Vec::new()) };
    let (link, n_raw) = match classes.len() {
        0 => (Link::Identity, 1),
        2 => (Link::Logistic, 1),
        k => (Link::Softmax, k),
    };
    let loss = Loss { link, y, positions, n_raw };
    let init = loss.initial_scores(classes.len(), params.value("init") == &Value::Str("zero".into()));
    // The stage trees are DecisionTreeRegressors: "auto" max_features means every feature even for a classifier.
    let rules = tree_rules(estimator, params, n, x.cols(), false, SplitterKind::Best)?;
    let impurity = if params.str("criterion") == "friedman_mse" {
        RegressionImpurity::FriedmanMse
    } else {
        RegressionImpurity::SquaredError
    };
    let features = FeatureMatrix::new(x, true)?;
    let learning_rate = params.f64("learning_rate");
    let n_inbag = ((subsample * n as f64) as usize).max(1);
    let mut random_state = random_state(estimator, params)?;
    let mut raw: Vec<f64> = (0..n).flat_map(|_| init.iter().copied()).collect();
    let mut trees: Vec<Tree> = Vec::with_capacity(params.usize("n_estimators") * n_raw);
    let mut decreases: Vec<Vec<f64>> = Vec::with_capacity(trees.capacity());
    let stages = params.usize("n_estimators");
    for stage in 0..stages {
        input.check_cancelled()?;
        let mask = if subsample < 1.0 { random_sample_mask(n, n_inbag, &mut random_state) } else { vec![true; n] };
        let weights: Vec<f64> = mask.iter().map(|&m| f64::from(u8::from(m))).collect();
        let total = total_weight(&weights);
        let rands: Vec<RandR> = (0..n_raw).map(|_| RandR::from_random_state(&mut random_state)).collect();
        let stage_tree = |(k, rand): (usize, RandR)| -> Result<(Tree, Vec<usize>, Vec<f64>)> {
            let mut residual = vec![0.0; n];
            loss.negative_gradient(&raw, k, &mut residual);
            let criterion = RegressionCriterion::new(impurity, &residual, 1, &weights, total);
            let mut tree = grow_tree(&features, criterion, &rules, rand, &weights, 1, input.cancelled)?;
            // Measured on the residuals the tree was grown on, before the Newton step rewrites its leaves.
            let decrease = tree_impurity_decrease(
                &tree,
                &features,
                &weights,
                NodeImpurity::Variance { y: &residual, n_outputs: 1 },
            );
            let leaf_of: Vec<usize> = (0..n).map(|i| tree.leaf_with(|f| f64::from(features.column(f)[i]))).collect();
            if link != Link::Identity {
                let mut rows_of = vec![Vec::new(); tree.n_leaves()];
                (0..n).filter(|&i| mask[i]).for_each(|i| rows_of[leaf_of[i]].push(i));
                for (leaf, rows) in rows_of.iter().enumerate() {
                    tree.values[leaf] = loss.newton_step(rows, &residual, &weights, k);
                }
            }
            Ok((tree, leaf_of, decrease))
        };
        let grown = rands
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(stage_tree)
            .collect::<Result<Vec<_>>>()?;
        for (k, (tree, leaf_of, decrease)) in grown.into_iter().enumerate() {
            decreases.push(decrease);
            for (i, &leaf) in leaf_of.iter().enumerate() {
                raw[i * n_raw + k] += learning_rate * tree.values[leaf];
            }
            trees.push(tree);
        }
        input.report(stage + 1, stages, "stages");
    }
    if trees.is_empty() {
        return Err(Error::hyperparameter("n_estimators must be at least 1"));
    }
    let importances = Importances::overall(ImportanceKind::Impurity, boosting_importances(&trees, decreases, x.cols()));
    let model = BoostedTrees {
        n_features: x.cols(),
        link,
        n_classes: input.n_classes,
        classes,
        learning_rate,
        init,
        trees,
        float32: true,
    };
    let model = WithImportances { model: Box::new(model), importances };
    Ok((Box::new(model), FitInfo { n_iter: Some(params.usize("n_estimators")), converged: true }))
}
