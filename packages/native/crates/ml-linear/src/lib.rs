//! The linear family: scikit-learn's `LinearRegression`, `Ridge` (LAPACK least squares / Cholesky / SVD),
//! `LogisticRegression` (L2, scipy-faithful L-BFGS), `Lasso` and `ElasticNet` (sklearn's coordinate descent).
//! Payload ids 1–19 belong to this family.

pub mod coordinate_descent;
pub mod elastic_net;
pub mod lbfgs;
pub mod linear;
pub mod linear_classifier;
pub mod linear_model;
pub mod logistic;

use pgml_ml_core::AlgorithmDef;

/// This family's rows of the registry, in the order `mlAlgorithms()` lists them.
pub const ALGORITHMS: &[AlgorithmDef] = &[
    linear::LINEAR_REGRESSION,
    linear::RIDGE,
    logistic::LOGISTIC_REGRESSION,
    elastic_net::LASSO,
    elastic_net::ELASTIC_NET,
];
