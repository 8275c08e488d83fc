//! Feature importances as scikit-learn exposes them on a fitted estimator: `coef_` of linear models (and PCA's
//! `components_`, its linear map), the impurity-based `feature_importances_` of tree models, and XGBoost's `gain`.
//! Estimators without either (kernel SVMs, k-means, histogram boosting) have none; callers then measure
//! permutation importance on held-out rows.
//!
//! Importances explain a model to people; they are not part of the payload. Tree models compute theirs at fit, from
//! node statistics the flat trees do not keep, so a model read back from bytes reports them only where they derive
//! from the payload itself (coefficients, XGBoost's trees).

use crate::codec::Writer;
use crate::error::Result;
use crate::estimator::Fitted;
use crate::matrix::MatrixView;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportanceKind {
    /// Rows of `coef_` (linear models) or `components_` (PCA).
    Coefficients,
    /// Mean decrease in impurity, normalized to sum 1 (sklearn's `feature_importances_` of trees and ensembles).
    Impurity,
    /// XGBoost's average split gain per feature, normalized to sum 1 (python-xgboost's `feature_importances_`).
    Gain,
}

impl ImportanceKind {
    pub fn name(self) -> &'static str {
        match self {
            ImportanceKind::Coefficients => "coefficients",
            ImportanceKind::Impurity => "impurity",
            ImportanceKind::Gain => "gain",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Importances {
    pub kind: ImportanceKind,
    /// `outputs.len()` rows × n_features, row-major.
    pub values: Vec<f64>,
    /// What each row explains: a class index (classifier coefficients), a target or a component index; a single
    /// row that explains the whole model has `None`.
    pub outputs: Vec<Option<u32>>,
}

impl Importances {
    /// One row for the whole model.
    pub fn overall(kind: ImportanceKind, values: Vec<f64>) -> Importances {
        Importances { kind, values, outputs: vec![None] }
    }

    /// Rows side by side for several outputs of one kind (per-target models), or None when any has none or their
    /// kinds differ.
    pub fn stack(parts: &[Option<Importances>]) -> Option<Importances> {
        let first = parts.first()?.as_ref()?;
        let mut values = Vec::new();
        let mut outputs = Vec::new();
        for (target, part) in parts.iter().enumerate() {
            let part = part.as_ref().filter(|p| p.kind == first.kind && p.outputs.len() == 1)?;
            values.extend_from_slice(&part.values);
            outputs.push(Some(target as u32));
        }
        Some(Importances { kind: first.kind, values, outputs })
    }
}

/// A fitted model with the importances its fit measured; predicts and serializes as the model it wraps (the
/// payload is unchanged, and a model read back is the bare model).
#[derive(Debug)]
pub struct WithImportances {
    pub model: Box<dyn Fitted>,
    pub importances: Importances,
}

impl Fitted for WithImportances {
    fn n_features(&self) -> usize {
        self.model.n_features()
    }
    fn n_outputs(&self) -> usize {
        self.model.n_outputs()
    }
    fn n_classes(&self) -> Option<usize> {
        self.model.n_classes()
    }
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        self.model.predict(x)
    }
    fn predict_proba(&self, x: &MatrixView) -> Result<Vec<f64>> {
        self.model.predict_proba(x)
    }
    fn feature_importances(&self) -> Option<Importances> {
        Some(self.importances.clone())
    }
    fn write(&self, w: &mut Writer) {
        self.model.write(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacking_needs_every_part_of_one_kind() {
        let row = |kind, v: f64| Some(Importances::overall(kind, vec![v, 1.0 - v]));
        let stacked =
            Importances::stack(&[row(ImportanceKind::Impurity, 0.25), row(ImportanceKind::Impurity, 0.5)]).unwrap();
        assert_eq!(stacked.values, vec![0.25, 0.75, 0.5, 0.5]);
        assert_eq!(stacked.outputs, vec![Some(0), Some(1)]);
        assert!(Importances::stack(&[row(ImportanceKind::Impurity, 0.25), None]).is_none());
        assert!(Importances::stack(&[row(ImportanceKind::Impurity, 0.25), row(ImportanceKind::Gain, 0.5)]).is_none());
        assert!(Importances::stack(&[]).is_none());
    }
}
