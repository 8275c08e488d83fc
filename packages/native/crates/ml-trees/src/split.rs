//! Finding a node's split. The best splitter (sklearn's BestSplitter) builds each feature's histogram of the node —
//! its non-empty bins in ascending order with a stats row each, built densely (one slot per bin) for big nodes or by
//! sorting the node's few (bin, sample) pairs for small ones, so deep nodes never scan a thousand empty bins — and
//! sweeps every boundary between bins (bins are the distinct values when a feature has ≤ MAX_BINS of them). The
//! random splitter (sklearn's RandomSplitter, extra trees) draws one threshold uniformly between the node's smallest
//! and largest value and needs only two passes over the codes.
//!
//! Features are visited in a random order until `max_features` have been looked at and at least one was not
//! constant in the node (sklearn's rule); the best proxy wins, the first visited on ties.

use rayon::prelude::*;

use pgml_ml_core::rng::Rng;

use crate::binning::{BinnedFeature, BinnedMatrix};
use crate::criterion::{Criterion, COUNT, WEIGHT};
use crate::targets::{add_class, add_value, add_values, Targets};

/// Work (samples × features) above which a node's features are histogrammed in parallel.
/// Below it, joining threads costs more than the work, especially on a loaded machine where the other worker may
/// not be scheduled for a whole time slice.
const PARALLEL_WORK: usize = 1 << 18;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Splitter {
    Best,
    Random,
}

/// Which splits a node may take.
#[derive(Clone, Copy, Debug)]
pub struct SplitRules {
    pub splitter: Splitter,
    pub max_features: usize,
    pub min_samples_leaf: usize,
    /// Absolute weight (sklearn's min_weight_fraction_leaf × total weight).
    pub min_weight_leaf: f64,
}

#[derive(Clone, Debug)]
pub struct Split {
    pub feature: usize,
    /// Samples with a bin ≤ `last_left_bin` go left.
    pub last_left_bin: u16,
    pub threshold: f64,
    pub proxy: f64,
    pub left: Vec<f64>,
    pub right: Vec<f64>,
}

/// A feature's non-empty bins in the node, ascending, and their stats rows (bins.len() × width).
struct Histogram {
    bins: Vec<u16>,
    stats: Vec<f64>,
}

pub struct NodeSplitter<'a> {
    pub binned: &'a BinnedMatrix,
    pub targets: Targets<'a>,
    pub weights: &'a [f64],
    pub criterion: &'a dyn Criterion,
    pub rules: SplitRules,
}

enum Outcome {
    Constant,
    NoValidSplit,
    Found(Split),
}

impl NodeSplitter<'_> {
    fn histogram(&self, feature: &BinnedFeature, samples: &[u32]) -> Histogram {
        match self.targets {
            Targets::Classes { class, .. } => self.histogram_with(feature, samples, |s, w, row| add_class(class, s, w, row)),
            Targets::Values { y, n_outputs: 1 } => self.histogram_with(feature, samples, |s, w, row| add_value(y, s, w, row)),
            Targets::Values { y, n_outputs } => self.histogram_with(feature, samples, |s, w, row| add_values(y, n_outputs, s, w, row)),
        }
    }

    /// `add` is the target kind's accumulator, resolved once per feature so the loops below inline it.
    #[inline(always)]
    fn histogram_with(&self, feature: &BinnedFeature, samples: &[u32], add: impl Fn(usize, f64, &mut [f64])) -> Histogram {
        let width = self.targets.width();
        if samples.len() * 2 >= feature.n_bins() {
            let mut dense = vec![0.0; feature.n_bins() * width];
            for &s in samples {
                let b = feature.codes[s as usize] as usize;
                add(s as usize, self.weights[s as usize], &mut dense[b * width..(b + 1) * width]);
            }
            let bins: Vec<u16> = (0..feature.n_bins()).filter(|&b| dense[b * width + COUNT] > 0.0).map(|b| b as u16).collect();
            let stats = bins.iter().flat_map(|&b| dense[b as usize * width..(b as usize + 1) * width].iter().copied()).collect();
            Histogram { bins, stats }
        } else {
            let mut pairs: Vec<(u16, u32)> = samples.iter().map(|&s| (feature.codes[s as usize], s)).collect();
            pairs.sort_unstable_by_key(|&(b, _)| b);
            let (mut bins, mut stats) = (Vec::new(), Vec::new());
            for &(b, s) in &pairs {
                if bins.last() != Some(&b) {
                    bins.push(b);
                    stats.resize(stats.len() + width, 0.0);
                }
                let row = stats.len() - width;
                add(s as usize, self.weights[s as usize], &mut stats[row..]);
            }
            Histogram { bins, stats }
        }
    }

    fn split_feature(&self, f: usize, samples: &[u32], node: &[f64], draw: f64) -> Outcome {
        match self.rules.splitter {
            Splitter::Best => self.best_split(f, samples, node),
            Splitter::Random => self.random_split(f, samples, node, draw),
        }
    }

    fn valid(&self, side: &[f64]) -> bool {
        side[COUNT] >= self.rules.min_samples_leaf as f64 && side[WEIGHT] >= self.rules.min_weight_leaf
    }

    /// The best boundary between the feature's non-empty bins.
    fn best_split(&self, f: usize, samples: &[u32], node: &[f64]) -> Outcome {
        let feature = &self.binned.features[f];
        let hist = self.histogram(feature, samples);
        let groups = hist.bins.len();
        if groups < 2 {
            return Outcome::Constant;
        }
        let width = node.len();
        let row = |g: usize| &hist.stats[g * width..(g + 1) * width];
        let (mut left, mut right) = (vec![0.0; width], vec![0.0; width]);
        let mut best: Option<(usize, f64)> = None;
        for g in 0..groups - 1 {
            left.iter_mut().zip(row(g)).for_each(|(l, v)| *l += v);
            right.iter_mut().zip(node.iter().zip(&left)).for_each(|(r, (n, l))| *r = n - l);
            if self.valid(&left) && self.valid(&right) {
                let proxy = self.criterion.proxy(&left, &right);
                if best.is_none_or(|(_, p)| proxy > p) {
                    best = Some((g, proxy));
                }
            }
        }
        let Some((g, proxy)) = best else { return Outcome::NoValidSplit };
        left.iter_mut().for_each(|v| *v = 0.0);
        (0..=g).for_each(|k| left.iter_mut().zip(row(k)).for_each(|(l, v)| *l += v));
        right.iter_mut().zip(node.iter().zip(&left)).for_each(|(r, (n, l))| *r = n - l);
        let threshold = feature.threshold_between(hist.bins[g] as usize, hist.bins[g + 1] as usize);
        Outcome::Found(Split { feature: f, last_left_bin: hist.bins[g], threshold, proxy, left, right })
    }

    /// sklearn's RandomSplitter: a threshold drawn uniformly (`draw` ∈ [0, 1)) between the node's smallest and
    /// largest value. Two passes over the node's codes, no histogram: extra trees are deep, and their many small
    /// nodes would otherwise pay a sort per feature.
    fn random_split(&self, f: usize, samples: &[u32], node: &[f64], draw: f64) -> Outcome {
        let feature = &self.binned.features[f];
        let (lowest, highest) = samples.iter().fold((u16::MAX, 0), |(lo, hi), &s| {
            let b = feature.codes[s as usize];
            (lo.min(b), hi.max(b))
        });
        if lowest >= highest {
            return Outcome::Constant;
        }
        let (lowest, highest) = (lowest as usize, highest as usize);
        let threshold = feature.lower[lowest] + draw * (feature.upper[highest] - feature.lower[lowest]);
        // The last bin whose values sit (on average) at or below the threshold — exact for one-value bins — kept
        // below the highest so both sides get samples.
        let mid = |b: usize| feature.lower[b] / 2.0 + feature.upper[b] / 2.0;
        let cut = lowest + (lowest + 1..highest).take_while(|&b| mid(b) <= threshold).count();
        let mut left = vec![0.0; node.len()];
        for &s in samples {
            if feature.codes[s as usize] as usize <= cut {
                self.targets.add(s as usize, self.weights[s as usize], &mut left);
            }
        }
        let right: Vec<f64> = node.iter().zip(&left).map(|(n, l)| n - l).collect();
        if !(self.valid(&left) && self.valid(&right)) {
            return Outcome::NoValidSplit;
        }
        // Keep the drawn threshold (sklearn's), so unseen values between two training values fall either way at
        // random; a draw inside a quantized bin moves to the boundary after the cut bin.
        let threshold = if feature.upper[cut] <= threshold && threshold < feature.lower[cut + 1] {
            threshold
        } else {
            feature.threshold_between(cut, cut + 1)
        };
        let proxy = self.criterion.proxy(&left, &right);
        Outcome::Found(Split { feature: f, last_left_bin: cut as u16, threshold, proxy, left, right })
    }

    /// The node's split, or None when every visited feature is constant or no split respects the leaf minimums.
    pub fn find(&self, samples: &[u32], node: &[f64], rng: &mut Rng) -> Option<Split> {
        let n_features = self.binned.features.len();
        let mut order: Vec<usize> = (0..n_features).collect();
        let (mut visited, mut non_constant) = (0, 0);
        let mut best: Option<Split> = None;
        while visited < n_features && (visited < self.rules.max_features || non_constant == 0) {
            // Draw the next batch of the permutation (Fisher–Yates prefix) and its thresholds up front, so
            // evaluating it in parallel gives the same result as one by one.
            let batch = self.rules.max_features.saturating_sub(visited).max(1).min(n_features - visited);
            for i in visited..visited + batch {
                order.swap(i, i + rng.below(n_features - i));
            }
            let draws: Vec<f64> = match self.rules.splitter {
                Splitter::Random => (0..batch).map(|_| rng.uniform()).collect(),
                Splitter::Best => vec![0.0; batch],
            };
            let features = &order[visited..visited + batch];
            let evaluate = |(f, draw): (&usize, &f64)| self.split_feature(*f, samples, node, *draw);
            let outcomes: Vec<Outcome> = if samples.len() * batch >= PARALLEL_WORK && batch > 1 {
                features.par_iter().zip(draws.par_iter()).map(evaluate).collect()
            } else {
                features.iter().zip(draws.iter()).map(evaluate).collect()
            };
            visited += batch;
            for outcome in outcomes {
                match outcome {
                    Outcome::Constant => {}
                    Outcome::NoValidSplit => non_constant += 1,
                    Outcome::Found(split) => {
                        non_constant += 1;
                        if best.as_ref().is_none_or(|b| split.proxy > b.proxy) {
                            best = Some(split);
                        }
                    }
                }
            }
        }
        best
    }
}
