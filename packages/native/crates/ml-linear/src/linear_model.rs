//! The fitted state every linear estimator shares: `decision = X · coefᵀ + intercept`, one row of `coef` per output
//! (target for regression, class — or the single positive class of a binary problem — for classification).
//!
//! Payload body (LinearRegression id 1, Ridge id 2, and the tail of LogisticRegression's): `u32 n_features,
//! u32 n_outputs, f64 coef[n_outputs × n_features] (row-major), f64 intercept[n_outputs]`.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{check_features, Fitted};
use pgml_ml_core::importance::{ImportanceKind, Importances};
use pgml_ml_core::lapack;
use pgml_ml_core::matrix::MatrixView;

#[derive(Clone, Debug, PartialEq)]
pub struct LinearModel {
    pub n_features: usize,
    /// outputs × n_features, row-major.
    pub coef: Vec<f64>,
    /// One per output.
    pub intercept: Vec<f64>,
}

impl LinearModel {
    /// rows × outputs, row-major.
    pub fn decision(&self, x: &MatrixView) -> Result<Vec<f64>> {
        check_features(self.n_features, x)?;
        let outputs = self.n_outputs();
        // Sized once: a collected flat_map does not know its length, so it grows by doubling, copying and
        // faulting in fresh pages — that cost more than the product itself.
        let mut out = self.intercept.repeat(x.rows());
        lapack::gemm(false, true, x.rows(), outputs, self.n_features, 1.0, x.data(), &self.coef, 1.0, &mut out)?;
        Ok(out)
    }

    /// intercept = y_offset − coef · x_offset: undoes the centering the solvers fit on (sklearn `_set_intercept`).
    pub fn from_centered(coef: Vec<f64>, n_features: usize, x_offset: &[f64], y_offset: &[f64]) -> Self {
        let intercept = y_offset
            .iter()
            .zip(coef.chunks_exact(n_features))
            .map(|(y0, w)| y0 - w.iter().zip(x_offset).map(|(a, b)| a * b).sum::<f64>())
            .collect();
        LinearModel { n_features, coef, intercept }
    }

    pub fn read(r: &mut Reader) -> Result<Self> {
        let n_features = r.dim("n_features")?;
        let n_outputs = r.dim("n_outputs")?;
        let coef =
            r.f64s("coef", n_outputs.checked_mul(n_features).ok_or_else(|| Error::corrupt("coef size overflows"))?)?;
        let intercept = r.f64s("intercept", n_outputs)?;
        Ok(LinearModel { n_features, coef, intercept })
    }

    /// `AlgorithmDef::read` of LinearRegression and Ridge.
    pub fn read_boxed(r: &mut Reader) -> Result<Box<dyn Fitted>> {
        Ok(Box::new(LinearModel::read(r)?))
    }
}

/// Regression: `predict` is the decision function, one column per target.
impl Fitted for LinearModel {
    fn n_features(&self) -> usize {
        self.n_features
    }
    fn n_outputs(&self) -> usize {
        self.intercept.len()
    }
    fn n_classes(&self) -> Option<usize> {
        None
    }
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        self.decision(x)
    }
    /// `coef_`: one row per target (a single target's row explains the model).
    fn feature_importances(&self) -> Option<Importances> {
        let outputs = self.n_outputs();
        let rows = if outputs == 1 { vec![None] } else { (0..outputs as u32).map(Some).collect() };
        Some(Importances { kind: ImportanceKind::Coefficients, values: self.coef.clone(), outputs: rows })
    }
    fn write(&self, w: &mut Writer) {
        w.u32(self.n_features as u32);
        w.u32(self.n_outputs() as u32);
        w.f64s(&self.coef);
        w.f64s(&self.intercept);
    }
}
