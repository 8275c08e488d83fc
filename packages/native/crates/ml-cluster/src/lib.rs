//! Clustering and decomposition: scikit-learn's `KMeans` and `MiniBatchKMeans` (k-means++ seeding with numpy's
//! exact draws, Lloyd iterations over BLAS distance blocks in parallel) and `PCA` (full SVD, sklearn's sign
//! convention). Payload ids 70–89 belong to this family.

pub mod blocks;
pub mod centroids;
pub mod init;
pub mod kmeans;
pub mod lloyd;
pub mod minibatch;
pub mod pca;
pub mod tall_svd;
#[cfg(test)]
mod tests;

use pgml_ml_core::AlgorithmDef;

/// This family's rows of the registry, in the order `mlAlgorithms()` lists them.
pub const ALGORITHMS: &[AlgorithmDef] = &[kmeans::KMEANS, minibatch::MINI_BATCH_KMEANS, pca::PCA];
