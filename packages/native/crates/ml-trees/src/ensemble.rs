//! The fitted model of decision trees, random forests and extra trees: trees whose leaf values are averaged —
//! class probabilities for classifiers (predict is their argmax, as sklearn's forests), target means for
//! regressors (several targets natively). A decision tree is the ensemble of one.
//!
//! Body (ids 20–25): `u32 n_features, u32 kind (0 regression, 1 classification), u32 n_values (targets or declared
//! classes), u32 n_trees`, then each tree's body (tree.rs).

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::Fitted;
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::numeric::argmax;

use crate::predict::sum_leaf_values;
use crate::tree::{read_trees, Tree};

#[derive(Clone, Debug, PartialEq)]
pub struct TreeEnsemble {
    pub n_features: usize,
    pub classifier: bool,
    /// Targets (regression) or declared classes (classification); every tree's leaves hold this many values.
    pub n_values: usize,
    pub trees: Vec<Tree>,
}

impl TreeEnsemble {
    fn mean_leaf_values(&self, x: &MatrixView) -> Vec<f64> {
        let base = vec![0.0; self.n_values];
        sum_leaf_values(x, &self.trees, self.n_values, |_| 0, &base, 1.0 / self.trees.len() as f64)
    }

    pub fn read(r: &mut Reader) -> Result<TreeEnsemble> {
        let n_features = r.dim("n_features")?;
        let classifier = match r.u32()? {
            0 => false,
            1 => true,
            other => return Err(Error::corrupt(format!("unknown tree ensemble kind {other}"))),
        };
        let n_values = r.dim("n_values")?;
        let n_trees = r.dim("n_trees")?;
        let trees = read_trees(r, n_trees, n_features, n_values)?;
        Ok(TreeEnsemble { n_features, classifier, n_values, trees })
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
        w.u32(u32::from(self.classifier));
        w.u32(self.n_values as u32);
        w.u32(self.trees.len() as u32);
        self.trees.iter().for_each(|t| t.write(w));
    }
}
