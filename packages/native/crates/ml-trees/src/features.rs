//! X as scikit-learn's trees see it: rounded to float32 (`DTYPE`) and stored column by column (the Fortran order
//! sklearn copies X into), so a node gathers one feature's values for its samples from one contiguous column. Each
//! column also records whether its values are all distinct: then every node's sorted order is unique, and the
//! splitter may sort it by a faster route than sklearn's introsort (sort.rs).

use rayon::prelude::*;

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::matrix::MatrixView;

pub struct FeatureMatrix {
    /// n_features columns of n_rows values.
    values: Vec<f32>,
    /// Per column: no two rows share a value (as float32, so −0 equals 0).
    distinct: Vec<bool>,
    pub n_rows: usize,
    pub n_features: usize,
}

impl FeatureMatrix {
    /// X rounded to float32; a value beyond float32's range is a DATA_ERROR, as sklearn's check_array raises.
    pub fn new(x: &MatrixView) -> Result<FeatureMatrix> {
        let (n_rows, n_features) = (x.rows(), x.cols());
        let mut values = vec![0.0f32; n_rows * n_features];
        values.par_chunks_mut(n_rows.max(1)).enumerate().for_each(|(j, column)| {
            column.iter_mut().zip(x.data().iter().skip(j).step_by(n_features)).for_each(|(c, &v)| *c = v as f32);
        });
        if let Some(at) = values.iter().position(|v| v.is_infinite()) {
            let (j, i) = (at / n_rows, at % n_rows);
            return Err(Error::data(format!("X[{i}, {j}] = {} is too large for float32, which tree models fit on", x.data()[i * n_features + j])));
        }
        let distinct = values
            .par_chunks(n_rows.max(1))
            .map(|column| {
                let mut sorted = column.to_vec();
                sorted.sort_unstable_by(f32::total_cmp);
                sorted.windows(2).all(|w| w[0] != w[1])
            })
            .collect();
        Ok(FeatureMatrix { values, distinct, n_rows, n_features })
    }

    /// Whether no two rows have the same value of `feature`.
    pub fn distinct(&self, feature: usize) -> bool {
        self.distinct[feature]
    }

    #[inline(always)]
    pub fn column(&self, feature: usize) -> &[f32] {
        &self.values[feature * self.n_rows..(feature + 1) * self.n_rows]
    }

    /// Row `i` as float32 values (for applying a fitted tree to its own training rows).
    pub fn row(&self, i: usize) -> Vec<f32> {
        (0..self.n_features).map(|j| self.values[j * self.n_rows + i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_hold_float32_values_and_huge_values_are_data_errors() {
        let data = [0.1, 2.0, 3.0, 4.5];
        let x = MatrixView::new("X", &data, 2, 2).unwrap();
        let m = FeatureMatrix::new(&x).unwrap();
        assert_eq!(m.column(0), &[0.1f32, 3.0]);
        assert_eq!(m.column(1), &[2.0f32, 4.5]);
        assert_eq!(m.row(1), vec![3.0f32, 4.5]);
        assert!(m.distinct(0) && m.distinct(1));
        let zeros = [0.0, 1.0, -0.0, 1.0];
        let m = FeatureMatrix::new(&MatrixView::new("X", &zeros, 2, 2).unwrap()).unwrap();
        assert!(!m.distinct(0) && !m.distinct(1));
        let huge = [1.0, 1e300];
        let err = FeatureMatrix::new(&MatrixView::new("X", &huge, 1, 2).unwrap()).err().unwrap();
        assert_eq!(err.code(), "DATA_ERROR");
    }
}
