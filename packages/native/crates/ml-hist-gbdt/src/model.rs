//! The fitted HistGradientBoosting model and its two registry rows.
//!
//! Payload bodies. Ensemble: `u32 n_features, u32 trees_per_iteration K, u32 n_iter, f64 baseline[K]`, then
//! `n_iter × K` trees (tree.rs), iteration-major. Regressor (id 40): `wrap_multi_target`'s `u32 n_targets` then one
//! ensemble per target. Classifier (id 41): `u32 n_classes, u32 n_trained, u32 classes[n_trained]`, then the
//! ensemble (K = 1 for two trained classes, else n_trained).

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, Fit, FitInfo, FitInput, Fitted, Task};
use pgml_ml_core::labels::encode_labels;
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::numeric::{argmax, sigmoid, softmax};
use pgml_ml_core::{read_multi_target, wrap_multi_target};
use rayon::prelude::*;

use crate::boosting::{boost, Ensemble};
use crate::loss::Loss;
use crate::params::{settings, CLASSIFIER_PARAMS, REGRESSOR_PARAMS};
use crate::tree::{Tree, BLOCK_ROWS};

pub const HIST_GRADIENT_BOOSTING_REGRESSOR: AlgorithmDef = AlgorithmDef {
    names: &["hist_gradient_boosting"],
    task: Task::Regression,
    estimator: "HistGradientBoostingRegressor",
    id: 40,
    params: REGRESSOR_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: true,
    fit: |input| wrap_multi_target(input, fit_regressor),
    read: |r| read_multi_target(r, |r| Ok(Box::new(HistGbdtModel::read(r, None)?))),
};

pub const HIST_GRADIENT_BOOSTING_CLASSIFIER: AlgorithmDef = AlgorithmDef {
    names: &["hist_gradient_boosting"],
    task: Task::Classification,
    estimator: "HistGradientBoostingClassifier",
    id: 41,
    params: CLASSIFIER_PARAMS,
    predict_proba: true,
    multi_target: false,
    accepts_nan: true,
    fit: fit_classifier,
    read: |r| Ok(Box::new(HistGbdtModel::read_classifier(r)?)),
};

/// Declared label count and the labels present in training (ascending); output k of the ensemble scores
/// `classes[k]` (binary: the single output scores `classes[1]`).
#[derive(Clone, Debug, PartialEq)]
struct Classes {
    n_classes: usize,
    trained: Vec<u32>,
}

#[derive(Debug)]
pub struct HistGbdtModel {
    n_features: usize,
    classes: Option<Classes>,
    baseline: Vec<f64>,
    /// Iteration-major: tree `iteration * K + k` adds to output k.
    trees: Vec<Tree>,
}

fn fit_regressor(input: &FitInput) -> Result<Fit> {
    let y = input.y()?.data();
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::data(format!("y contains {} at row {i}", y[i])));
    }
    let s = settings(input.params, y.len())?;
    let ensemble = boost(input.x, y, Loss::SquaredError, &s, &input.ticking("iterations", s.max_iter, 1))?;
    Ok(HistGbdtModel::fitted(input.x.cols(), None, ensemble))
}

fn fit_classifier(input: &FitInput) -> Result<Fit> {
    let (trained, positions) = encode_labels(input.y()?.data(), input.n_classes)?;
    let y: Vec<f64> = positions.iter().map(|&p| p as f64).collect();
    let s = settings(input.params, y.len())?;
    let ensemble =
        boost(input.x, &y, Loss::for_classes(trained.len()), &s, &input.ticking("iterations", s.max_iter, 1))?;
    Ok(HistGbdtModel::fitted(input.x.cols(), Some(Classes { n_classes: input.n_classes, trained }), ensemble))
}

impl HistGbdtModel {
    fn fitted(n_features: usize, classes: Option<Classes>, e: Ensemble) -> Fit {
        let info = FitInfo { n_iter: Some(e.n_iter), converged: true };
        (Box::new(HistGbdtModel { n_features, classes, baseline: e.baseline, trees: e.trees }), info)
    }

    /// rows × K raw predictions: baseline plus every tree, summed in tree order as sklearn sums them.
    fn raw_predict(&self, x: &MatrixView) -> Vec<f64> {
        let (p, k) = (x.cols(), self.baseline.len());
        let mut raw = self.baseline.repeat(x.rows());
        raw.par_chunks_mut(BLOCK_ROWS * k).zip(x.data().par_chunks(BLOCK_ROWS * p)).for_each(|(out, rows)| {
            for (t, tree) in self.trees.iter().enumerate() {
                tree.add_block(rows, p, &mut out[t % k..], k);
            }
        });
        raw
    }

    fn write_ensemble(&self, w: &mut Writer) {
        w.u32(self.n_features as u32);
        w.u32(self.baseline.len() as u32);
        w.u32((self.trees.len() / self.baseline.len()) as u32);
        w.f64s(&self.baseline);
        self.trees.iter().for_each(|t| t.write(w));
    }

    fn read(r: &mut Reader, classes: Option<Classes>) -> Result<HistGbdtModel> {
        let n_features = r.dim("n_features")?;
        let k = r.dim("trees per iteration")?;
        let expected_k = classes.as_ref().map_or(1, |c| if c.trained.len() == 2 { 1 } else { c.trained.len() });
        if k != expected_k {
            return Err(Error::corrupt(format!("{k} trees per iteration, expected {expected_k}")));
        }
        let n_iter = r.dim("n_iter")?;
        let baseline = r.f64s("baseline", k)?;
        if baseline.iter().any(|b| !b.is_finite()) {
            return Err(Error::corrupt("non-finite baseline"));
        }
        let n_trees = n_iter.checked_mul(k).ok_or_else(|| Error::corrupt("tree count overflows"))?;
        let mut trees = Vec::new();
        for _ in 0..n_trees {
            trees.push(Tree::read(r, n_features)?);
        }
        Ok(HistGbdtModel { n_features, classes, baseline, trees })
    }

    fn read_classifier(r: &mut Reader) -> Result<HistGbdtModel> {
        let n_classes = r.dim("n_classes")?;
        let n_trained = r.dim("number of trained classes")?;
        if n_trained < 2 || n_trained > n_classes {
            return Err(Error::corrupt(format!("{n_trained} trained classes of {n_classes}")));
        }
        let mut trained = Vec::new();
        for _ in 0..n_trained {
            let c = r.u32()?;
            if c as usize >= n_classes || trained.last().is_some_and(|&last| c <= last) {
                return Err(Error::corrupt("trained classes are not ascending labels below n_classes"));
            }
            trained.push(c);
        }
        HistGbdtModel::read(r, Some(Classes { n_classes, trained }))
    }

    /// Probabilities of the trained classes, rows × n_trained.
    fn trained_proba(&self, x: &MatrixView) -> Vec<f64> {
        let raw = self.raw_predict(x);
        if self.baseline.len() == 1 {
            raw.iter()
                .flat_map(|&r| {
                    let p = sigmoid(r);
                    [1.0 - p, p]
                })
                .collect()
        } else {
            let mut proba = raw;
            proba.chunks_exact_mut(self.baseline.len()).for_each(|row| {
                softmax(row);
            });
            proba
        }
    }
}

impl Fitted for HistGbdtModel {
    fn n_features(&self) -> usize {
        self.n_features
    }
    fn n_outputs(&self) -> usize {
        1
    }
    fn n_classes(&self) -> Option<usize> {
        self.classes.as_ref().map(|c| c.n_classes)
    }

    /// Regression: the raw prediction. Classification: the label of the most probable class (first on ties, as
    /// numpy's argmax).
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let Some(classes) = &self.classes else { return Ok(self.raw_predict(x)) };
        let m = classes.trained.len();
        Ok(self.trained_proba(x).chunks_exact(m).map(argmax).map(|k| classes.trained[k] as f64).collect())
    }

    /// rows × n_classes; labels absent from training get probability 0.
    fn predict_proba(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let Some(classes) = &self.classes else { return Err(Error::invalid("a regressor has no predict_proba")) };
        let m = classes.trained.len();
        let mut out = vec![0.0; x.rows() * classes.n_classes];
        for (dest, row) in out.chunks_exact_mut(classes.n_classes).zip(self.trained_proba(x).chunks_exact(m)) {
            classes.trained.iter().zip(row).for_each(|(&c, &p)| dest[c as usize] = p);
        }
        Ok(out)
    }

    fn write(&self, w: &mut Writer) {
        if let Some(c) = &self.classes {
            w.u32(c.n_classes as u32);
            w.u32(c.trained.len() as u32);
            c.trained.iter().for_each(|&k| w.u32(k));
        }
        self.write_ensemble(w);
    }
}
