//! The fitted state every linear estimator shares: `decision = X · coefᵀ + intercept`, one row of `coef` per output
//! (target for regression, class — or the single positive class of a binary problem — for classification).

use super::codec::{Reader, Writer};
use super::error::{Error, Result};
use super::lapack;
use super::matrix::MatrixView;

#[derive(Clone, Debug, PartialEq)]
pub struct LinearModel {
    pub n_features: usize,
    /// outputs × n_features, row-major.
    pub coef: Vec<f64>,
    /// One per output.
    pub intercept: Vec<f64>,
}

impl LinearModel {
    pub fn n_outputs(&self) -> usize {
        self.intercept.len()
    }

    pub fn check_features(&self, x: &MatrixView) -> Result<()> {
        if x.cols() != self.n_features {
            return Err(Error::invalid(format!(
                "the model was fitted on {} features, X has {}",
                self.n_features,
                x.cols()
            )));
        }
        Ok(())
    }

    /// rows × outputs, row-major.
    pub fn decision(&self, x: &MatrixView) -> Result<Vec<f64>> {
        self.check_features(x)?;
        let outputs = self.n_outputs();
        let mut out: Vec<f64> = (0..x.rows()).flat_map(|_| self.intercept.iter().copied()).collect();
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

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.n_features as u32);
        w.u32(self.n_outputs() as u32);
        w.f64s(&self.coef);
        w.f64s(&self.intercept);
    }

    pub fn read(r: &mut Reader) -> Result<Self> {
        let n_features = r.dim("n_features")?;
        let n_outputs = r.dim("n_outputs")?;
        let coef = r.f64s("coef", n_outputs.checked_mul(n_features).ok_or_else(|| Error::corrupt("coef size overflows"))?)?;
        let intercept = r.f64s("intercept", n_outputs)?;
        Ok(LinearModel { n_features, coef, intercept })
    }
}
