//! Histogram gradient boosting: scikit-learn 1.2's `HistGradientBoostingRegressor` (squared error) and
//! `HistGradientBoostingClassifier` (log loss; one tree per iteration for two classes, K for K classes), as
//! PostgresML's `hist_gradient_boosting`. Payload ids 40–49 belong to this family.
//!
//! The pipeline mirrors sklearn's, module by module: `binning` (X → u8 bins, column-major, once per fit),
//! `validation_split` (the early-stopping hold-out), `boosting` (the iteration loop), `loss`, `grower` (leaf-wise
//! growth), `histogram` (per-node gradient histograms, built or subtracted), `splitter` (best bin per feature),
//! `tree` (prediction on raw rows), `model` (the fitted model, its payload and the registry rows).
//!
//! NaN in X: the model handles it as sklearn does (a missing-value bin per feature; at predict time NaN follows the
//! direction learned for it, or the larger child when training had none), but the addon's FFI layer rejects
//! non-finite X for every algorithm before it reaches this crate.

pub mod binning;
pub mod boosting;
pub mod grower;
pub mod histogram;
pub mod loss;
pub mod model;
pub mod params;
pub mod splitter;
pub mod tree;
pub mod validation_split;

use pgml_ml_core::AlgorithmDef;

/// This family's rows of the registry.
pub const ALGORITHMS: &[AlgorithmDef] =
    &[model::HIST_GRADIENT_BOOSTING_REGRESSOR, model::HIST_GRADIENT_BOOSTING_CLASSIFIER];
