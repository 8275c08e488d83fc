//! A fitted linear classifier: coefficient rows plus the mapping from output rows to the trained classes. Shared by
//! LogisticRegression (this crate) and liblinear's LinearSVC (ml-svm): same state, same payload, same prediction
//! (binary: decision > 0 → the second class; else the first maximum), differing only in the link below.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, ErrorKind, Result};
use pgml_ml_core::estimator::Fitted;
use pgml_ml_core::importance::{ImportanceKind, Importances};
use pgml_ml_core::labels::{
    classes_from_decision, read_trained_classes, scatter_class_probabilities, write_trained_classes,
};
use pgml_ml_core::matrix::MatrixView;

use crate::linear_model::LinearModel;

/// What the decision values mean. It is fixed by the estimator (each algorithm's `read` names it), not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Logistic regression: sigmoid/softmax probabilities. A binary model may also carry one row per class
    /// (migrated one-vs-rest 1.0 models).
    Logistic,
    /// Hinge-loss SVM: scores without probabilities; binary models have exactly one row.
    Hinge,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LinearClassifier {
    pub link: Link,
    /// Label count the caller declared; `predict_proba` has this many columns.
    pub n_classes: usize,
    /// The labels seen in training, ascending; output row `k` of `linear` belongs to `classes[k]` (binary: the
    /// single row scores `classes[1]`).
    pub classes: Vec<u32>,
    pub linear: LinearModel,
}

impl LinearClassifier {
    pub fn read(r: &mut Reader, link: Link) -> Result<Self> {
        let (n_classes, classes) = read_trained_classes(r)?;
        let k = classes.len();
        let linear = LinearModel::read(r)?;
        let rows = linear.n_outputs();
        let fits = match (k, link) {
            (2, Link::Logistic) => rows == 1 || rows == 2,
            (2, Link::Hinge) => rows == 1,
            _ => rows == k,
        };
        if !fits {
            return Err(Error::corrupt(format!("{rows} coefficient rows for {k} classes")));
        }
        Ok(LinearClassifier { link, n_classes, classes, linear })
    }
}

impl Fitted for LinearClassifier {
    fn n_features(&self) -> usize {
        self.linear.n_features
    }
    fn n_outputs(&self) -> usize {
        1
    }
    fn n_classes(&self) -> Option<usize> {
        Some(self.n_classes)
    }

    /// One class label (as f64) per row.
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        Ok(classes_from_decision(&self.linear.decision(x)?, self.linear.n_outputs(), &self.classes))
    }

    /// rows × n_classes; classes absent from training get probability 0. Logistic link only.
    fn predict_proba(&self, x: &MatrixView) -> Result<Vec<f64>> {
        if self.link != Link::Logistic {
            return Err(Error::new(ErrorKind::AlgorithmUnavailable, "this model has no predict_proba"));
        }
        let decision = self.linear.decision(x)?;
        let k = self.linear.n_outputs();
        let mut out = vec![0.0; x.rows() * self.n_classes];
        for (i, row) in decision.chunks(k).enumerate() {
            scatter_class_probabilities(row, &self.classes, &mut out[i * self.n_classes..(i + 1) * self.n_classes]);
        }
        Ok(out)
    }

    /// `coef_`: a binary model's single row scores the second trained class; otherwise row k scores `classes[k]`.
    fn feature_importances(&self) -> Option<Importances> {
        let rows = self.linear.n_outputs();
        let scored = if rows == 1 { &self.classes[self.classes.len() - 1..] } else { &self.classes[..] };
        let outputs = scored.iter().map(|&c| Some(c)).collect();
        Some(Importances { kind: ImportanceKind::Coefficients, values: self.linear.coef.clone(), outputs })
    }

    fn write(&self, w: &mut Writer) {
        write_trained_classes(w, self.n_classes, &self.classes);
        self.linear.write(w);
    }
}
