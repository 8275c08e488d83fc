//! sklearn's `Splitter` for numeric features: the best (feature, bin) of a node from its histogram, scanning each
//! feature's bins left to right (NaNs go right) and, when the feature had NaNs in training, right to left (NaNs go
//! left). Gain is the loss reduction of XGBoost's eq. 7 written as sklearn writes it, with the node's own value as
//! reference (0 at the root, as in sklearn, which only shifts the root's gains).

use crate::histogram::{Bin, Histogram, Layout};

/// sklearn's `min_hessian_to_split` (not a public hyperparameter).
const MIN_HESSIAN_TO_SPLIT: f64 = 1e-3;

#[derive(Clone, Copy, Debug)]
pub struct SplitRules {
    pub min_samples_leaf: usize,
    pub l2_regularization: f64,
    /// Squared error: every hessian is 1, so a bin's hessian sum is its count.
    pub constant_hessian: bool,
}

/// What a node needs from its parent's split: its gradient/hessian sums, size and value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NodeStats {
    pub sum_gradients: f64,
    pub sum_hessians: f64,
    pub n_samples: usize,
    pub value: f64,
}

#[derive(Clone, Copy, Debug)]
pub struct SplitInfo {
    pub gain: f64,
    pub feature: usize,
    /// Samples with a bin ≤ this go left.
    pub bin: u8,
    pub missing_go_to_left: bool,
    pub left: NodeStats,
    pub right: NodeStats,
}

/// sklearn's `compute_node_value` without monotonic bounds.
pub fn node_value(sum_gradients: f64, sum_hessians: f64, l2_regularization: f64) -> f64 {
    -sum_gradients / (sum_hessians + l2_regularization + 1e-15)
}

/// The best split over all features, or `None` when no split has positive gain under the rules.
pub fn find_node_split(
    rules: &SplitRules,
    layout: &Layout,
    hist: &Histogram,
    has_missing: &[bool],
    node: &NodeStats,
) -> Option<SplitInfo> {
    let mut best: Option<Candidate> = None;
    for (feature, &missing) in has_missing.iter().enumerate() {
        // Strictly greater: on equal gains the first feature wins, as in sklearn.
        if let Some(c) = scan_feature(rules, feature, hist.feature(layout, feature), missing, node) {
            if best.is_none_or(|b| c.gain > b.gain) {
                best = Some(c);
            }
        }
    }
    best.map(|c| c.finish(rules, node))
}

/// A split as the scans record it; the right side follows from the node's totals.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    gain: f64,
    feature: usize,
    bin: usize,
    missing_go_to_left: bool,
    sum_gradient_left: f64,
    sum_hessian_left: f64,
    n_left: usize,
}

impl Candidate {
    fn finish(self, rules: &SplitRules, node: &NodeStats) -> SplitInfo {
        let l2 = rules.l2_regularization;
        let (gl, hl) = (self.sum_gradient_left, self.sum_hessian_left);
        let (gr, hr) = (node.sum_gradients - gl, node.sum_hessians - hl);
        SplitInfo {
            gain: self.gain,
            feature: self.feature,
            bin: self.bin as u8,
            missing_go_to_left: self.missing_go_to_left,
            left: NodeStats {
                sum_gradients: gl,
                sum_hessians: hl,
                n_samples: self.n_left,
                value: node_value(gl, hl, l2),
            },
            right: NodeStats {
                sum_gradients: gr,
                sum_hessians: hr,
                n_samples: node.n_samples - self.n_left,
                value: node_value(gr, hr, l2),
            },
        }
    }
}

/// Both of sklearn's scans of one feature; `hist` is its value bins followed by the missing bin.
fn scan_feature(
    rules: &SplitRules,
    feature: usize,
    hist: &[Bin],
    has_missing: bool,
    node: &NodeStats,
) -> Option<Candidate> {
    let value_bins = hist.len() - 1;
    let hessian = |b: &Bin| if rules.constant_hessian { b.count as f64 } else { b.sum_hessians };
    let loss_current_node = node.sum_gradients * node.value;
    let gain_of = |gl: f64, hl: f64, gr: f64, hr: f64| {
        let l2 = rules.l2_regularization;
        loss_current_node - gl * node_value(gl, hl, l2) - gr * node_value(gr, hr, l2)
    };
    let mut best: Option<Candidate> = None;
    let mut best_gain = -1.0;
    // Left to right, NaNs right. The last value bin is a candidate only when NaNs exist (the "split on NaN").
    let (mut gl, mut hl, mut nl) = (0.0, 0.0, 0usize);
    for (bin, b) in hist.iter().enumerate().take(value_bins - 1 + usize::from(has_missing)) {
        nl += b.count as usize;
        hl += hessian(b);
        gl += b.sum_gradients;
        let (nr, hr, gr) = (node.n_samples - nl, node.sum_hessians - hl, node.sum_gradients - gl);
        if nl < rules.min_samples_leaf || hl < MIN_HESSIAN_TO_SPLIT {
            continue;
        }
        if nr < rules.min_samples_leaf || hr < MIN_HESSIAN_TO_SPLIT {
            break;
        }
        let gain = gain_of(gl, hl, gr, hr);
        if gain > best_gain && gain > 0.0 {
            best_gain = gain;
            best = Some(Candidate {
                gain,
                feature,
                bin,
                missing_go_to_left: false,
                sum_gradient_left: gl,
                sum_hessian_left: hl,
                n_left: nl,
            });
        }
    }
    if !has_missing {
        return best;
    }
    // Right to left, NaNs left: bins bin+1.. go right.
    let (mut gr, mut hr, mut nr) = (0.0, 0.0, 0usize);
    for bin in (0..value_bins.saturating_sub(1)).rev() {
        let b = &hist[bin + 1];
        nr += b.count as usize;
        hr += hessian(b);
        gr += b.sum_gradients;
        let (nl, hl, gl) = (node.n_samples - nr, node.sum_hessians - hr, node.sum_gradients - gr);
        if nr < rules.min_samples_leaf || hr < MIN_HESSIAN_TO_SPLIT {
            continue;
        }
        if nl < rules.min_samples_leaf || hl < MIN_HESSIAN_TO_SPLIT {
            break;
        }
        let gain = gain_of(gl, hl, gr, hr);
        if gain > best_gain && gain > 0.0 {
            best_gain = gain;
            best = Some(Candidate {
                gain,
                feature,
                bin,
                missing_go_to_left: true,
                sum_gradient_left: gl,
                sum_hessian_left: hl,
                n_left: nl,
            });
        }
    }
    best
}

/// Stable partition of a node's samples by a split: left ones first, both sides in their original order (as
/// sklearn's `split_indices` leaves them). Returns the left count.
pub fn partition(
    samples: &mut [u32],
    scratch: &mut Vec<u32>,
    column: &[u8],
    split: &SplitInfo,
    missing_bin: u8,
) -> usize {
    scratch.clear();
    let mut n_left = 0;
    for k in 0..samples.len() {
        let i = samples[k];
        let bin = column[i as usize];
        let left = if bin == missing_bin { split.missing_go_to_left } else { bin <= split.bin };
        if left {
            samples[n_left] = i;
            n_left += 1;
        } else {
            scratch.push(i);
        }
    }
    samples[n_left..].copy_from_slice(scratch);
    n_left
}
