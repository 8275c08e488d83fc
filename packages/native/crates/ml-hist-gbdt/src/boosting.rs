//! The boosting loop of sklearn's `BaseHistGradientBoosting.fit`: bin X once, start every row at the baseline,
//! then per iteration compute gradients and grow one tree per class on them, adding each tree's leaf values to the
//! raw predictions — until `max_iter`, or until the validation loss (the training loss without a validation set)
//! has not improved by `tol` over the last `n_iter_no_change` iterations.

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::mt19937::NumpyRandomState;
use pgml_ml_core::rng::Rng;
use rayon::prelude::*;

use crate::binning::{BinMapper, BinnedMatrix};
use crate::grower::{grow, GrowerParams, TrainingSet};
use crate::histogram::{Gradients, Layout};
use crate::loss::Loss;
use crate::splitter::SplitRules;
use crate::tree::Tree;
use crate::validation_split::{validation_split, ValidationSize};

#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub grower: GrowerParams,
    pub max_iter: usize,
    pub max_bins: usize,
    /// `None`: early stopping off; `Some(None)`: on, scored on the training loss; `Some(Some(size))`: on, scored
    /// on a held-out validation set.
    pub early_stopping: Option<Option<ValidationSize>>,
    pub n_iter_no_change: usize,
    pub tol: f64,
    pub random_state: Option<u32>,
}

/// The fitted ensemble: raw prediction = baseline[k] + Σ trees[iteration * K + k].
pub struct Ensemble {
    pub baseline: Vec<f64>,
    pub trees: Vec<Tree>,
    pub n_iter: usize,
}

/// Fits the ensemble; `y` holds targets (regression) or class positions as f64 (classification).
pub fn boost(
    x: &MatrixView,
    y: &[f64],
    loss: Loss,
    s: &Settings,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Ensemble> {
    // sklearn draws one seed from random_state and seeds both the split and the binning subsample with it.
    let seed = match s.random_state {
        Some(state) => NumpyRandomState::new(state).randint(u32::MAX as usize) as u32,
        None => Rng::from_random_state(None).next_u64() as u32,
    };
    let (train_rows, val_rows) = match s.early_stopping {
        Some(Some(size)) => {
            let classes: Option<Vec<usize>> =
                (loss != Loss::SquaredError).then(|| y.iter().map(|&c| c as usize).collect());
            let (train, val) = validation_split(y.len(), size, classes.as_deref(), seed)?;
            (Some(train), Some(val))
        }
        _ => (None, None),
    };
    let mapper = BinMapper::fit(x, train_rows.as_deref(), s.max_bins, seed);
    let binned = mapper.transform(x, train_rows.as_deref());
    let gather =
        |rows: &Option<Vec<usize>>| rows.as_ref().map_or_else(|| y.to_vec(), |r| r.iter().map(|&i| y[i]).collect());
    let y_train = gather(&train_rows);
    let validation = val_rows.as_ref().map(|rows| (mapper.transform(x, Some(rows)), gather(&val_rows)));

    let layout = Layout::new(&mapper);
    let missing_bins: Vec<u8> = (0..x.cols()).map(|f| mapper.value_bins(f) as u8).collect();
    let set = TrainingSet { binned: &binned, mapper: &mapper, layout: &layout, missing_bins: &missing_bins };
    let rules = SplitRules { constant_hessian: loss.constant_hessian(), ..s.grower.rules };
    let grower = GrowerParams { rules, ..s.grower };
    let k_trees = loss.trees_per_iteration();
    let n = y_train.len();
    let baseline = loss.baseline(&y_train);
    let mut raw: Vec<f64> = baseline.iter().flat_map(|&b| std::iter::repeat_n(b, n)).collect();
    let mut raw_val: Vec<f64> = validation
        .as_ref()
        .map_or_else(Vec::new, |(v, _)| baseline.iter().flat_map(|&b| std::iter::repeat_n(b, v.rows)).collect());
    let mut gradients = vec![0f32; n * k_trees];
    let mut hessians = vec![0f32; if loss.constant_hessian() { 0 } else { n * k_trees }];
    let score = |raw: &[f64], raw_val: &[f64]| match &validation {
        Some((_, y_val)) => -loss.mean_loss(y_val, raw_val),
        None => -loss.mean_loss(&y_train, raw),
    };
    let mut scores = Vec::new();
    if s.early_stopping.is_some() {
        scores.push(score(&raw, &raw_val));
    }
    let mut trees = Vec::new();
    let mut n_iter = 0;
    while n_iter < s.max_iter {
        if cancelled() {
            return Err(Error::aborted());
        }
        loss.gradients(&y_train, &raw, &mut gradients, &mut hessians);
        let grown: Vec<_> = (0..k_trees)
            .into_par_iter()
            .map(|k| {
                let hessians = (!loss.constant_hessian()).then(|| &hessians[k * n..(k + 1) * n]);
                grow(&set, &grower, Gradients { gradients: &gradients[k * n..(k + 1) * n], hessians })
            })
            .collect();
        for (k, tree) in grown.iter().enumerate() {
            tree.add_to(&mut raw[k * n..(k + 1) * n]);
            if let Some((val, _)) = &validation {
                add_binned_predictions(&tree.tree, val, &missing_bins, &mut raw_val[k * val.rows..(k + 1) * val.rows]);
            }
        }
        trees.extend(grown.into_iter().map(|g| g.tree));
        n_iter += 1;
        if s.early_stopping.is_some() {
            scores.push(score(&raw, &raw_val));
            if should_stop(&scores, s.n_iter_no_change, s.tol) {
                break;
            }
        }
    }
    Ok(Ensemble { baseline, trees, n_iter })
}

fn add_binned_predictions(tree: &Tree, binned: &BinnedMatrix, missing_bins: &[u8], raw: &mut [f64]) {
    raw.par_iter_mut().enumerate().for_each(|(i, r)| *r += tree.predict_binned(binned, i, missing_bins));
}

/// sklearn's `_should_stop`: no score among the last `n_iter_no_change` beats the one before them by more than
/// `tol`.
fn should_stop(scores: &[f64], n_iter_no_change: usize, tol: f64) -> bool {
    if scores.len() < n_iter_no_change + 1 {
        return false;
    }
    let reference = scores[scores.len() - n_iter_no_change - 1] + tol;
    !scores[scores.len() - n_iter_no_change..].iter().any(|&s| s > reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_once_the_last_scores_do_not_improve() {
        assert!(!should_stop(&[-3.0, -2.0], 2, 0.0));
        assert!(!should_stop(&[-3.0, -2.0, -1.0], 2, 0.0));
        assert!(should_stop(&[-3.0, -2.0, -2.0, -2.0], 2, 0.0));
        assert!(should_stop(&[-3.0, -2.0, -1.9, -1.95], 2, 0.5));
    }
}
