//! The fitted state of KMeans and MiniBatchKMeans: `cluster_centers_`. `predict` is the index of the nearest center
//! (sklearn's `predict`), one output column.
//!
//! Payload body (KMeans id 70, MiniBatchKMeans id 71): `u32 n_features, u32 n_clusters,
//! f64 centers[n_clusters × n_features]` (row-major), `f64 inertia`.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::Fitted;
use pgml_ml_core::matrix::MatrixView;

use crate::blocks::{nearest, Points};

#[derive(Clone, Debug, PartialEq)]
pub struct Centroids {
    pub n_features: usize,
    /// n_clusters × n_features, row-major, in X's coordinates.
    pub centers: Vec<f64>,
    /// sklearn's `inertia_` on the training data.
    pub inertia: f64,
}

impl Centroids {
    pub fn n_clusters(&self) -> usize {
        self.centers.len() / self.n_features
    }

    pub fn read_boxed(r: &mut Reader) -> Result<Box<dyn Fitted>> {
        let n_features = r.dim("n_features")?;
        let n_clusters = r.dim("n_clusters")?;
        let centers = r.f64s(
            "centers",
            n_clusters.checked_mul(n_features).ok_or_else(|| Error::corrupt("centers size overflows"))?,
        )?;
        let inertia = r.f64s("inertia", 1)?[0];
        Ok(Box::new(Centroids { n_features, centers, inertia }))
    }
}

impl Fitted for Centroids {
    fn n_features(&self) -> usize {
        self.n_features
    }
    fn n_outputs(&self) -> usize {
        1
    }
    fn n_classes(&self) -> Option<usize> {
        None
    }
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let points = Points::new(x.data(), self.n_features, None);
        Ok(nearest(&points, &self.centers).into_iter().map(f64::from).collect())
    }
    fn write(&self, w: &mut Writer) {
        w.u32(self.n_features as u32);
        w.u32(self.n_clusters() as u32);
        w.f64s(&self.centers);
        w.f64s(&[self.inertia]);
    }
}
