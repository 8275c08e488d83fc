//! Per-node gradient histograms: for every feature and bin, the sum of gradients, of hessians and the sample count
//! of the node's samples in that bin. Split finding reads only these, so a node costs one pass over its samples per
//! feature — and only the smaller child of a split is built that way: the larger one is its parent minus it
//! (sklearn's `compute_histograms_subtraction`), which reuses the parent's buffer.
//!
//! Gradients are f32 (sklearn's `G_H_DTYPE`) and sums f64, summed in sample order, as sklearn does.

use rayon::prelude::*;

use crate::binning::{BinMapper, BinnedMatrix};

/// Below this many (samples × features) a histogram is built on one thread: rayon's fork/join would cost more.
const PARALLEL_WORK: usize = 32 * 1024;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bin {
    pub sum_gradients: f64,
    /// Unused (zero) when hessians are constant: `count` is the hessian sum then.
    pub sum_hessians: f64,
    pub count: u32,
}

/// Where each feature's bins start in a node's histogram; a feature has its value bins plus the missing bin.
#[derive(Clone, Debug)]
pub struct Layout {
    offsets: Vec<usize>,
}

impl Layout {
    pub fn new(mapper: &BinMapper) -> Layout {
        let mut offsets = vec![0];
        for f in 0..mapper.n_features() {
            offsets.push(offsets[f] + mapper.value_bins(f) + 1);
        }
        Layout { offsets }
    }

    fn len(&self) -> usize {
        *self.offsets.last().unwrap_or(&0)
    }
}

/// The gradients and hessians of the samples a histogram is built over; `hessians: None` means all ones
/// (squared error).
#[derive(Clone, Copy)]
pub struct Gradients<'a> {
    pub gradients: &'a [f32],
    pub hessians: Option<&'a [f32]>,
}

#[derive(Clone, Debug)]
pub struct Histogram {
    bins: Vec<Bin>,
}

impl Histogram {
    /// The histogram of the samples `indices` (all training rows when `None`). With indices, `values` holds the
    /// gradients of exactly those samples in the same order (sklearn's `ordered_gradients`), so the inner loop
    /// reads them sequentially.
    pub fn build(layout: &Layout, binned: &BinnedMatrix, indices: Option<&[u32]>, values: Gradients) -> Histogram {
        let mut bins = vec![Bin::default(); layout.len()];
        let n_samples = indices.map_or(binned.rows, <[u32]>::len);
        let fill = |(f, hist): (usize, &mut [Bin])| accumulate(hist, binned.column(f), indices, values);
        let per_feature = split_by_feature(&mut bins, &layout.offsets);
        if n_samples * per_feature.len() >= PARALLEL_WORK {
            per_feature.into_par_iter().enumerate().for_each(fill);
        } else {
            per_feature.into_iter().enumerate().for_each(fill);
        }
        Histogram { bins }
    }

    /// Turns the parent's histogram into the sibling's: parent − child, bin by bin.
    pub fn subtract(mut self, child: &Histogram) -> Histogram {
        for (p, c) in self.bins.iter_mut().zip(&child.bins) {
            p.sum_gradients -= c.sum_gradients;
            p.sum_hessians -= c.sum_hessians;
            p.count -= c.count;
        }
        self
    }

    pub fn feature(&self, layout: &Layout, feature: usize) -> &[Bin] {
        &self.bins[layout.offsets[feature]..layout.offsets[feature + 1]]
    }
}

fn split_by_feature<'a>(mut bins: &'a mut [Bin], offsets: &[usize]) -> Vec<&'a mut [Bin]> {
    let mut out = Vec::with_capacity(offsets.len().saturating_sub(1));
    for w in offsets.windows(2) {
        let (head, tail) = std::mem::take(&mut bins).split_at_mut(w[1] - w[0]);
        out.push(head);
        bins = tail;
    }
    out
}

/// One feature's histogram; four monomorphic loops so the hot ones carry no per-sample branch.
fn accumulate(hist: &mut [Bin], column: &[u8], indices: Option<&[u32]>, values: Gradients) {
    let g = values.gradients;
    match (indices, values.hessians) {
        (None, None) => column.iter().zip(g).for_each(|(&b, &g)| add(&mut hist[b as usize], g, 0.0)),
        (None, Some(h)) => column.iter().zip(g).zip(h).for_each(|((&b, &g), &h)| add(&mut hist[b as usize], g, h)),
        (Some(idx), None) => idx.iter().zip(g).for_each(|(&i, &g)| add(&mut hist[column[i as usize] as usize], g, 0.0)),
        (Some(idx), Some(h)) => {
            idx.iter().zip(g).zip(h).for_each(|((&i, &g), &h)| add(&mut hist[column[i as usize] as usize], g, h))
        }
    }
}

#[inline(always)]
fn add(bin: &mut Bin, gradient: f32, hessian: f32) {
    bin.sum_gradients += gradient as f64;
    bin.sum_hessians += hessian as f64;
    bin.count += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgml_ml_core::MatrixView;

    #[test]
    fn built_and_subtracted_histograms_agree() {
        let data: Vec<f64> = (0..40).map(|i| ((i * 37) % 11) as f64).collect();
        let x = MatrixView::new("X", &data, 20, 2).unwrap();
        let mapper = BinMapper::fit(&x, None, 255, 0);
        let binned = mapper.transform(&x, None);
        let layout = Layout::new(&mapper);
        let g: Vec<f32> = (0..20).map(|i| i as f32 * 0.5 - 3.0).collect();
        let h: Vec<f32> = (0..20).map(|i| 1.0 + i as f32 * 0.1).collect();
        let all = Histogram::build(&layout, &binned, None, Gradients { gradients: &g, hessians: Some(&h) });
        let left: Vec<u32> = (0..20).filter(|i| i % 3 == 0).collect();
        let right: Vec<u32> = (0..20).filter(|i| i % 3 != 0).collect();
        let gather = |idx: &[u32], v: &[f32]| idx.iter().map(|&i| v[i as usize]).collect::<Vec<f32>>();
        let build = |idx: &[u32]| {
            let (gi, hi) = (gather(idx, &g), gather(idx, &h));
            Histogram::build(&layout, &binned, Some(idx), Gradients { gradients: &gi, hessians: Some(&hi) })
        };
        let (hl, hr) = (build(&left), build(&right));
        let sibling = all.clone().subtract(&hl);
        for f in 0..2 {
            let total: u32 = all.feature(&layout, f).iter().map(|b| b.count).sum();
            assert_eq!(total, 20);
            for (a, b) in sibling.feature(&layout, f).iter().zip(hr.feature(&layout, f)) {
                assert_eq!(a.count, b.count);
                assert!(
                    (a.sum_gradients - b.sum_gradients).abs() < 1e-9 && (a.sum_hessians - b.sum_hessians).abs() < 1e-9
                );
            }
        }
        let constant = Histogram::build(&layout, &binned, None, Gradients { gradients: &g, hessians: None });
        assert!(constant.feature(&layout, 0).iter().all(|b| b.sum_hessians == 0.0));
    }
}
