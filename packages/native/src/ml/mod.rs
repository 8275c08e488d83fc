pub mod error;
pub mod hyperparams;
pub mod lapack;
pub mod matrix;
