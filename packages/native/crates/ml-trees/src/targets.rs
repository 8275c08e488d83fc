//! What a tree is fitted to, and how one sample adds to a stats row (layout in criterion.rs).

use crate::criterion::{COUNT, PAYLOAD, WEIGHT};

#[derive(Clone, Copy)]
pub enum Targets<'a> {
    /// One class index per sample, in 0..n_classes.
    Classes { class: &'a [u32], n_classes: usize },
    /// rows × n_outputs, row-major (regression targets, or boosting's gradients).
    Values { y: &'a [f64], n_outputs: usize },
}

impl Targets<'_> {
    /// Length of a stats row.
    pub fn width(&self) -> usize {
        PAYLOAD + match *self {
            Targets::Classes { n_classes, .. } => n_classes,
            Targets::Values { n_outputs, .. } => 2 * n_outputs,
        }
    }

    /// Values a leaf stores: class probabilities or per-output means.
    pub fn n_values(&self) -> usize {
        match *self {
            Targets::Classes { n_classes, .. } => n_classes,
            Targets::Values { n_outputs, .. } => n_outputs,
        }
    }

    #[inline]
    pub fn add(&self, sample: usize, weight: f64, stats: &mut [f64]) {
        match *self {
            Targets::Classes { class, .. } => add_class(class, sample, weight, stats),
            Targets::Values { y, n_outputs: 1 } => add_value(y, sample, weight, stats),
            Targets::Values { y, n_outputs } => add_values(y, n_outputs, sample, weight, stats),
        }
    }

    /// The stats row of `samples`.
    pub fn stats(&self, samples: &[u32], weights: &[f64]) -> Vec<f64> {
        let mut stats = vec![0.0; self.width()];
        samples.iter().for_each(|&s| self.add(s as usize, weights[s as usize], &mut stats));
        stats
    }

    /// A leaf's values from its stats: weighted class fractions (sklearn's normalised `tree_.value`) or weighted
    /// means.
    pub fn leaf_values(&self, stats: &[f64]) -> Vec<f64> {
        let w = stats[WEIGHT];
        stats[PAYLOAD..PAYLOAD + self.n_values()].iter().map(|v| v / w).collect()
    }
}

// One function per target kind, so hot loops (split.rs) can pick one outside the loop instead of matching per sample.

#[inline(always)]
pub fn add_class(class: &[u32], sample: usize, weight: f64, stats: &mut [f64]) {
    stats[COUNT] += 1.0;
    stats[WEIGHT] += weight;
    stats[PAYLOAD + class[sample] as usize] += weight;
}

#[inline(always)]
pub fn add_value(y: &[f64], sample: usize, weight: f64, stats: &mut [f64]) {
    let wy = weight * y[sample];
    stats[COUNT] += 1.0;
    stats[WEIGHT] += weight;
    stats[PAYLOAD] += wy;
    stats[PAYLOAD + 1] += wy * y[sample];
}

#[inline(always)]
pub fn add_values(y: &[f64], n_outputs: usize, sample: usize, weight: f64, stats: &mut [f64]) {
    stats[COUNT] += 1.0;
    stats[WEIGHT] += weight;
    let (sums, squares) = stats[PAYLOAD..].split_at_mut(n_outputs);
    for ((s, q), &v) in sums.iter_mut().zip(squares).zip(&y[sample * n_outputs..(sample + 1) * n_outputs]) {
        *s += weight * v;
        *q += weight * v * v;
    }
}
