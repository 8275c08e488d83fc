//! The fitted model of decision trees, random forests and extra trees: trees whose leaf values are averaged —
//! class probabilities for classifiers (predict is their argmax, as sklearn's forests), target means for
//! regressors (several targets natively). A decision tree is the ensemble of one.
//!
//! Body (ids 20–25): `u32 n_features, u32 kind, u32 n_values (targets or declared classes), u32 n_trees`, then each
//! tree's body (tree.rs). `kind`: bit 0 set for classification; `FLOAT32_X` set when thresholds compare X rounded to
//! float32 (scikit-learn's trees: every model fitted since the exact port), clear for older models (float64 X).

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::Fitted;
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::numeric::argmax;

use crate::predict::{combine_leaf_values, Combine};
use crate::tree::{read_trees, Tree};

/// The `kind` (and boosting's `link`) bit of models whose thresholds compare float32 X.
pub const FLOAT32_X: u32 = 0x100;

#[derive(Clone, Debug, PartialEq)]
pub struct TreeEnsemble {
    pub n_features: usize,
    pub classifier: bool,
    /// Targets (regression) or declared classes (classification); every tree's leaves hold this many values.
    pub n_values: usize,
    pub trees: Vec<Tree>,
    /// Thresholds compare X rounded to float32 (false only for models fitted before the exact port).
    pub float32: bool,
}

impl TreeEnsemble {
    fn mean_leaf_values(&self, x: &MatrixView) -> Vec<f64> {
        combine_leaf_values(x, &self.trees, self.n_values, |_| 0, Combine::Mean, self.float32)
    }

    pub fn read(r: &mut Reader) -> Result<TreeEnsemble> {
        let n_features = r.dim("n_features")?;
        let kind = r.u32()?;
        if kind & !(1 | FLOAT32_X) != 0 {
            return Err(Error::corrupt(format!("unknown tree ensemble kind {kind}")));
        }
        let n_values = r.dim("n_values")?;
        let n_trees = r.dim("n_trees")?;
        let trees = read_trees(r, n_trees, n_features, n_values)?;
        Ok(TreeEnsemble { n_features, classifier: kind & 1 == 1, n_values, trees, float32: kind & FLOAT32_X != 0 })
    }
}

impl Fitted for TreeEnsemble {
    fn n_features(&self) -> usize {
        self.n_features
    }
    fn n_outputs(&self) -> usize {
        if self.classifier {
            1
        } else {
            self.n_values
        }
    }
    fn n_classes(&self) -> Option<usize> {
        self.classifier.then_some(self.n_values)
    }
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let mean = self.mean_leaf_values(x);
        Ok(if self.classifier { mean.chunks_exact(self.n_values).map(|p| argmax(p) as f64).collect() } else { mean })
    }
    fn predict_proba(&self, x: &MatrixView) -> Result<Vec<f64>> {
        if !self.classifier {
            return Err(Error::invalid("a regressor has no predict_proba"));
        }
        Ok(self.mean_leaf_values(x))
    }
    fn write(&self, w: &mut Writer) {
        w.u32(self.n_features as u32);
        w.u32(u32::from(self.classifier) | if self.float32 { FLOAT32_X } else { 0 });
        w.u32(self.n_values as u32);
        w.u32(self.trees.len() as u32);
        self.trees.iter().for_each(|t| t.write(w));
    }
}
