//! The SVM family: scikit-learn's `SVC` / `SVR` (libsvm's SMO with WSS3, shrinking and kernel cache, Platt
//! probabilities) and `LinearSVC` / `LinearSVR` (liblinear's dual coordinate descent). Payload ids 50–59.

pub mod cache;
pub mod kernel;
pub mod liblinear;
pub mod linear_svm;
pub mod platt;
pub mod qmatrix;
pub mod solver;
pub mod svc;
pub mod svc_model;
pub mod svr;
pub mod train;

use pgml_ml_core::AlgorithmDef;

/// This family's rows of the registry, in the order `mlAlgorithms()` lists them.
pub const ALGORITHMS: &[AlgorithmDef] = &[svc::SVC, svr::SVR, linear_svm::LINEAR_SVC, linear_svm::LINEAR_SVR];
