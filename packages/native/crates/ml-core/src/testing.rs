//! Test helpers for the algorithm crates (feature `testing`, enabled only in their `[dev-dependencies]`): fitting
//! one `AlgorithmDef` row the way the registry does — hyperparameters resolved against its spec, then its `fit` —
//! without the addon.

use crate::estimator::{AlgorithmDef, Fit, FitInput, NO_PROGRESS};
use crate::hyperparams::{resolve, Hyperparams, Value};
use crate::matrix::MatrixView;
use crate::Result;

/// `[("alpha", Value::Number(0.5))]` as the FFI layer would hand it over.
pub fn hyperparams(pairs: &[(&str, Value)]) -> Hyperparams {
    Hyperparams(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

/// Resolves `pairs` against `def`'s spec (INVALID_HYPERPARAMETER as `resolve` reports it) and fits.
pub fn fit_def(
    def: &AlgorithmDef,
    pairs: &[(&str, Value)],
    x: &MatrixView,
    y: Option<&MatrixView>,
    n_classes: usize,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Fit> {
    let params = resolve(def.estimator, def.params, &hyperparams(pairs))?;
    (def.fit)(&FitInput { x, y, n_classes, params: &params, cancelled, progress: &NO_PROGRESS })
}
