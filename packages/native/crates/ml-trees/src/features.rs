//! X as scikit-learn's trees see it: rounded to float32 (`DTYPE`) and stored column by column (the Fortran order
//! sklearn copies X into), so a node gathers one feature's values for its samples from one contiguous column. Each
//! column also records how often its values repeat: a node without equal values has a unique sorted order, which the
//! splitter may reach by a faster route than sklearn's introsort (sort.rs).

use rayon::prelude::*;

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::matrix::MatrixView;

/// How often a column's values repeat, which decides how a node sorts it (splitter.rs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ties {
    /// Every value distinct: every node's order is unique.
    None,
    /// This many rows repeat the value of the row before them (in sorted order).
    Repeats(usize),
    /// Not counted.
    Unknown,
}

pub struct FeatureMatrix {
    /// n_features columns of n_rows values.
    values: Vec<f32>,
    /// Per column: how its values repeat (as float32, so −0 equals 0).
    ties: Vec<Ties>,
    pub n_rows: usize,
    pub n_features: usize,
}

impl FeatureMatrix {
    /// X rounded to float32; a value beyond float32's range is a DATA_ERROR, as sklearn's check_array raises. The
    /// columns' ties are counted when `count_ties` (the best splitter sorts; the random one does not).
    pub fn new(x: &MatrixView, count_ties: bool) -> Result<FeatureMatrix> {
        let (n_rows, n_features) = (x.rows(), x.cols());
        let mut values = vec![0.0f32; n_rows * n_features];
        values.par_chunks_mut(n_rows.max(1)).enumerate().for_each(|(j, column)| {
            column.iter_mut().zip(x.data().iter().skip(j).step_by(n_features)).for_each(|(c, &v)| *c = v as f32);
        });
        if let Some(at) = values.iter().position(|v| v.is_infinite()) {
            let (j, i) = (at / n_rows, at % n_rows);
            return Err(Error::data(format!(
                "X[{i}, {j}] = {} is too large for float32, which tree models fit on",
                x.data()[i * n_features + j]
            )));
        }
        let ties = values
            .par_chunks(n_rows.max(1))
            .map(|column| {
                if !count_ties {
                    return Ties::Unknown;
                }
                let mut sorted = column.to_vec();
                sorted.sort_unstable_by(f32::total_cmp);
                let repeated = sorted.windows(2).filter(|w| w[0] == w[1]).count();
                if repeated == 0 {
                    Ties::None
                } else {
                    Ties::Repeats(repeated)
                }
            })
            .collect();
        Ok(FeatureMatrix { values, ties, n_rows, n_features })
    }

    pub fn ties(&self, feature: usize) -> Ties {
        self.ties[feature]
    }

    /// Whether a node of `n` rows likely has no two equal values of `feature`: under half a repeat expected, as
    /// each repeated pair lands in the node with probability (n / rows)².
    pub fn likely_distinct(&self, feature: usize, n: usize) -> bool {
        match self.ties[feature] {
            Ties::None => true,
            Ties::Repeats(r) => r as f64 * (n as f64 / self.n_rows as f64).powi(2) < 0.5,
            Ties::Unknown => false,
        }
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
        let m = FeatureMatrix::new(&x, true).unwrap();
        assert_eq!(m.column(0), &[0.1f32, 3.0]);
        assert_eq!(m.column(1), &[2.0f32, 4.5]);
        assert_eq!(m.row(1), vec![3.0f32, 4.5]);
        assert_eq!((m.ties(0), m.ties(1)), (Ties::None, Ties::None));
        let zeros = [0.0, 1.0, -0.0, 1.0];
        let m = FeatureMatrix::new(&MatrixView::new("X", &zeros, 2, 2).unwrap(), true).unwrap();
        assert_eq!((m.ties(0), m.ties(1)), (Ties::Repeats(1), Ties::Repeats(1)));
        let few: Vec<f64> = (0..200).map(|i| if i == 7 { 0.0 } else { f64::from(i) }).collect();
        let m = FeatureMatrix::new(&MatrixView::new("X", &few, 200, 1).unwrap(), true).unwrap();
        assert_eq!(m.ties(0), Ties::Repeats(1));
        assert!(m.likely_distinct(0, 100) && !m.likely_distinct(0, 190));
        let huge = [1.0, 1e300];
        let err = FeatureMatrix::new(&MatrixView::new("X", &huge, 1, 2).unwrap(), false).err().unwrap();
        assert_eq!(err.code(), "DATA_ERROR");
    }
}
