//! Machine-learning algorithms in plain Rust (no N-API here): shared primitives (matrix views, hyperparameters,
//! LAPACK wrappers, the payload codec, L-BFGS) and one module per algorithm family. `model` is the surface the FFI
//! layer calls.

pub mod codec;
pub mod error;
pub mod hyperparams;
pub mod json;
pub mod lapack;
pub mod lbfgs;
pub mod linear;
pub mod linear_model;
pub mod logistic;
pub mod matrix;
pub mod model;

pub use error::{Error, ErrorKind, Result};
pub use hyperparams::Hyperparams;
pub use matrix::MatrixView;
pub use model::{algorithms_json, fit, validate, FitInfo, Model, Task};
