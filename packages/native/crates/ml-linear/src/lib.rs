//! The linear family: scikit-learn's `LinearRegression`, `Ridge` (LAPACK least squares / Cholesky / SVD) and
//! `LogisticRegression` (L2, scipy-faithful L-BFGS). Payload ids 1–19 belong to this family.

pub mod lbfgs;
pub mod linear;
pub mod linear_model;
pub mod logistic;

use pgml_ml_core::AlgorithmDef;

/// This family's rows of the registry, in the order `mlAlgorithms()` lists them.
pub const ALGORITHMS: &[AlgorithmDef] = &[linear::LINEAR_REGRESSION, linear::RIDGE, logistic::LOGISTIC_REGRESSION];
