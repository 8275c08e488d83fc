//! Shared ground for the native algorithms (no N-API here): matrix views, the error type, sklearn-named
//! hyperparameters, the payload codec, LAPACK/BLAS wrappers, label and numeric helpers — and the estimator contract
//! (`AlgorithmDef`, `Fitted`, `FitInput`) that every algorithm crate implements. See README.md for how to add one.

pub mod codec;
pub mod error;
pub mod estimator;
pub mod hyperparams;
pub mod importance;
pub mod json;
pub mod labels;
pub mod lapack;
pub mod matrix;
pub mod memory;
pub mod mt19937;
pub mod multi_target;
pub mod numeric;
pub mod rng;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tsqr;

pub use codec::{Reader, Writer};
pub use error::{Error, ErrorKind, Result};
pub use estimator::{check_features, AlgorithmDef, Fit, FitInfo, FitInput, Fitted, Progress, Task, NO_PROGRESS};
pub use hyperparams::{Hyperparams, ParamSpec, Params};
pub use importance::{ImportanceKind, Importances, WithImportances};
pub use matrix::MatrixView;
pub use multi_target::{read_multi_target, wrap_multi_target};
