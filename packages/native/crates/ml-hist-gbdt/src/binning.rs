//! scikit-learn's `_BinMapper`: each feature's values become small integers (bins) once, before boosting, so every
//! tree works on u8 codes instead of f64 values. Thresholds are the midpoints between distinct values when a feature
//! has at most `max_bins` of them, else numpy's "midpoint" percentiles at `max_bins` equal steps — computed on at
//! most 200 000 rows drawn as sklearn draws them (`RandomState(seed).choice(n, 200000, replace=False)`). NaN gets a
//! bin of its own; unlike sklearn (whose missing bin is always `max_bins`), ours is the bin right after the feature's
//! last value bin, so a feature's histogram is exactly as long as the feature needs (digits' 17-value pixels use 18
//! slots, not 256) and the missing bin needs no special case when histograms are built.

use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::mt19937::NumpyRandomState;
use rayon::prelude::*;

/// sklearn's `subsample` of `_BinMapper`.
const BINNING_SUBSAMPLE: usize = 200_000;
/// sklearn clips thresholds to this so that only a "split on NaN" has an infinite threshold.
const ALMOST_INF: f64 = 1e300;
/// Rows binned per parallel task.
const ROWS_PER_TASK: usize = 4096;

/// Per-feature bin thresholds: value `x` falls in bin `i` iff `thresholds[i-1] < x <= thresholds[i]`.
#[derive(Clone, Debug)]
pub struct BinMapper {
    pub thresholds: Vec<Vec<f64>>,
}

/// The training rows' bins, column-major (`bins[f * rows + i]`), shared by every tree of the fit.
pub struct BinnedMatrix {
    pub bins: Vec<u8>,
    pub rows: usize,
    /// Per feature, whether a NaN was seen (sklearn's `has_missing_values`).
    pub has_missing: Vec<bool>,
}

impl BinnedMatrix {
    pub fn column(&self, feature: usize) -> &[u8] {
        &self.bins[feature * self.rows..(feature + 1) * self.rows]
    }
}

impl BinMapper {
    /// Thresholds from the rows `rows` of `x` (all rows when `None`), with at most `max_bins` value bins per feature.
    pub fn fit(x: &MatrixView, rows: Option<&[usize]>, max_bins: usize, seed: u32) -> BinMapper {
        let n = rows.map_or(x.rows(), |r| r.len());
        let row_at = |k: usize| rows.map_or(k, |r| r[k]);
        let sample: Vec<usize> = if n > BINNING_SUBSAMPLE {
            let mut picked = NumpyRandomState::new(seed).permutation(n);
            picked.truncate(BINNING_SUBSAMPLE);
            picked.into_iter().map(row_at).collect()
        } else {
            (0..n).map(row_at).collect()
        };
        let p = x.cols();
        let data = x.data();
        let thresholds = (0..p)
            .into_par_iter()
            .map(|f| {
                let column: Vec<f64> = sample.iter().map(|&i| data[i * p + f]).filter(|v| !v.is_nan()).collect();
                feature_thresholds(column, max_bins)
            })
            .collect();
        BinMapper { thresholds }
    }

    pub fn n_features(&self) -> usize {
        self.thresholds.len()
    }

    /// Value bins of a feature (sklearn's `n_bins_non_missing_`); the missing bin's code is this number.
    pub fn value_bins(&self, feature: usize) -> usize {
        self.thresholds[feature].len() + 1
    }

    fn bin(&self, feature: usize, value: f64) -> u8 {
        let thresholds = &self.thresholds[feature];
        if value.is_nan() {
            thresholds.len() as u8 + 1
        } else {
            thresholds.partition_point(|&t| t < value) as u8
        }
    }

    /// Bins of the rows `rows` of `x` (all rows when `None`), in that order.
    pub fn transform(&self, x: &MatrixView, rows: Option<&[usize]>) -> BinnedMatrix {
        let n = rows.map_or(x.rows(), |r| r.len());
        let p = x.cols();
        let data = x.data();
        let mut bins = vec![0u8; n * p];
        // Each task bins a block of rows for all features, writing into its slice of every column.
        let mut blocks: Vec<Vec<&mut [u8]>> = (0..n.div_ceil(ROWS_PER_TASK)).map(|_| Vec::with_capacity(p)).collect();
        for column in bins.chunks_mut(n) {
            for (block, part) in blocks.iter_mut().zip(column.chunks_mut(ROWS_PER_TASK)) {
                block.push(part);
            }
        }
        blocks.into_par_iter().enumerate().for_each(|(b, mut parts)| {
            for r in 0..parts[0].len() {
                let k = b * ROWS_PER_TASK + r;
                let i = rows.map_or(k, |rows| rows[k]);
                for (f, part) in parts.iter_mut().enumerate() {
                    part[r] = self.bin(f, data[i * p + f]);
                }
            }
        });
        let has_missing = (0..p).map(|f| bins[f * n..(f + 1) * n].contains(&(self.value_bins(f) as u8))).collect();
        BinnedMatrix { bins, rows: n, has_missing }
    }
}

/// sklearn's `_find_binning_thresholds` for one feature's non-NaN values.
fn feature_thresholds(mut values: Vec<f64>, max_bins: usize) -> Vec<f64> {
    values.sort_unstable_by(f64::total_cmp);
    let mut distinct = values.clone();
    distinct.dedup();
    let mut midpoints: Vec<f64> = if distinct.len() <= max_bins {
        distinct.windows(2).map(|w| (w[0] + w[1]) * 0.5).collect()
    } else {
        // np.percentile(values, np.linspace(0, 100, max_bins + 1)[1:-1], method="midpoint")
        let n = values.len();
        let step = 100.0 / max_bins as f64;
        (1..max_bins)
            .map(|k| {
                let index = (n - 1) as f64 * ((k as f64 * step) / 100.0);
                let (lo, hi) = (index.floor() as usize, index.ceil() as usize);
                if lo == hi {
                    values[lo]
                } else {
                    // numpy's lerp at t = 0.5 takes the `b - (b - a) * 0.5` branch.
                    values[hi] - (values[hi] - values[lo]) * 0.5
                }
            })
            .collect()
    };
    midpoints.iter_mut().for_each(|t| *t = t.min(ALMOST_INF));
    midpoints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_distinct_values_bin_at_midpoints_and_nan_gets_its_own_bin() {
        // sklearn's test_missing_values_support, with our per-feature missing bin.
        let nan = f64::NAN;
        let data = [1.0, 1.0, 0.0, nan, nan, 0.0, 2.0, 1.0, 0.0, nan, 2.0, 1.0, 3.0, 2.0, 1.0, 4.0, 1.0, 0.0];
        let x = MatrixView::new("X", &data, 6, 3).unwrap();
        let mapper = BinMapper::fit(&x, None, 255, 0);
        assert_eq!(mapper.thresholds[0], vec![1.5, 2.5, 3.5]);
        assert_eq!((mapper.value_bins(0), mapper.value_bins(1), mapper.value_bins(2)), (4, 2, 2));
        let binned = mapper.transform(&x, None);
        assert_eq!(binned.column(0), &[0, 4, 1, 4, 2, 3]);
        assert_eq!(binned.column(1), &[0, 2, 0, 1, 1, 0]);
        assert_eq!(binned.column(2), &[0, 0, 0, 1, 1, 0]);
        assert_eq!(binned.has_missing, vec![true, true, false]);
    }

    #[test]
    fn many_distinct_values_bin_at_midpoint_percentiles() {
        let values: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1000) as f64 / 10.0).collect();
        let t = feature_thresholds(values, 4);
        // np.percentile(np.arange(1000) / 10, [25, 50, 75], method="midpoint")
        assert!(t.iter().zip([24.95, 49.95, 74.95]).all(|(a, b)| (a - b).abs() < 1e-12), "{t:?}");
        assert!(feature_thresholds(vec![], 255).is_empty());
        assert!(feature_thresholds(vec![3.0, 3.0], 255).is_empty());
    }

    #[test]
    fn rows_subset_and_order_are_respected() {
        let data: Vec<f64> = (0..10).map(f64::from).collect();
        let x = MatrixView::new("X", &data, 10, 1).unwrap();
        let rows = [9, 0, 5];
        let mapper = BinMapper::fit(&x, Some(&rows), 255, 0);
        assert_eq!(mapper.thresholds[0], vec![2.5, 7.0]);
        assert_eq!(mapper.transform(&x, Some(&rows)).bins, vec![2, 0, 1]);
    }
}
