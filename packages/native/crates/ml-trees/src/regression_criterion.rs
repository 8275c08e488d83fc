//! scikit-learn 1.2's regression criteria (`_criterion.pyx` `RegressionCriterion`, `MSE`, `FriedmanMSE`), arithmetic
//! step for step as the classification ones in criterion.rs: per output Σ w·y over the node and its two parts, one
//! Σ w·y² over all outputs, and a squared-error impurity; friedman_mse ranks splits by Friedman's weighted
//! difference of the two means.

use crate::criterion::{weighted_improvement, Criterion, Sums, Window};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RegressionImpurity {
    SquaredError,
    /// Squared error impurity; splits ranked by Friedman's weighted difference of the two means.
    FriedmanMse,
}

/// `RegressionCriterion` (MSE, FriedmanMSE): Σ w·y per output and one Σ w·y² over all outputs.
pub struct RegressionCriterion<'a> {
    kind: RegressionImpurity,
    /// rows × n_outputs, row-major.
    y: &'a [f64],
    n_outputs: usize,
    weights: &'a [f64],
    sums: Sums,
    sq_sum_total: f64,
}

impl<'a> RegressionCriterion<'a> {
    pub fn new(
        kind: RegressionImpurity,
        y: &'a [f64],
        n_outputs: usize,
        weights: &'a [f64],
        weighted_n_samples: f64,
    ) -> Self {
        RegressionCriterion {
            kind,
            y,
            n_outputs,
            weights,
            sums: Sums::new(n_outputs, weighted_n_samples),
            sq_sum_total: 0.0,
        }
    }

    #[inline(always)]
    fn row(&self, s: u32) -> &[f64] {
        &self.y[s as usize * self.n_outputs..(s as usize + 1) * self.n_outputs]
    }

    /// W_r·Σ_k s_l[k] − W_l·Σ_k s_r[k] (friedman_mse).
    fn mean_difference(&self) -> f64 {
        let total_left = self.sums.left.iter().fold(0.0, |a, v| a + v);
        let total_right = self.sums.right.iter().fold(0.0, |a, v| a + v);
        self.sums.window.weighted_n_right * total_left - self.sums.window.weighted_n_left * total_right
    }
}

impl Criterion for RegressionCriterion<'_> {
    fn window(&self) -> &Window {
        &self.sums.window
    }

    fn init(&mut self, samples: &[u32], start: usize, end: usize) {
        self.sums.begin(start, end);
        self.sq_sum_total = 0.0;
        let mut total = 0.0;
        for &s in &samples[start..end] {
            let w = self.weights[s as usize];
            for k in 0..self.n_outputs {
                let y = self.row(s)[k];
                let wy = w * y;
                self.sums.total[k] += wy;
                self.sq_sum_total += wy * y;
            }
            total += w;
        }
        self.sums.window.weighted_n_node_samples = total;
        self.sums.reset();
    }

    fn reset(&mut self) {
        self.sums.reset();
    }

    #[inline(always)]
    fn update(&mut self, samples: &[u32], new_pos: usize) {
        let (pos, end) = (self.sums.window.pos, self.sums.window.end);
        let (y, weights, m) = (self.y, self.weights, self.n_outputs);
        if new_pos - pos <= end - new_pos {
            if m == 1 {
                // One output (the common case, and every boosting tree): the same sums in a tight loop.
                let (mut sum, mut weight) = (self.sums.left[0], self.sums.window.weighted_n_left);
                for &s in &samples[pos..new_pos] {
                    let w = weights[s as usize];
                    sum += w * y[s as usize];
                    weight += w;
                }
                self.sums.left[0] = sum;
                self.sums.window.weighted_n_left = weight;
            } else {
                for &s in &samples[pos..new_pos] {
                    let w = weights[s as usize];
                    for (l, v) in self.sums.left.iter_mut().zip(&y[s as usize * m..(s as usize + 1) * m]) {
                        *l += w * v;
                    }
                    self.sums.window.weighted_n_left += w;
                }
            }
        } else {
            self.sums.reverse_reset();
            for &s in samples[new_pos..end].iter().rev() {
                let w = weights[s as usize];
                for (l, v) in self.sums.left.iter_mut().zip(&y[s as usize * m..(s as usize + 1) * m]) {
                    *l -= w * v;
                }
                self.sums.window.weighted_n_left -= w;
            }
        }
        self.sums.settle(new_pos);
    }

    fn node_impurity(&self) -> f64 {
        let w = self.sums.window.weighted_n_node_samples;
        let mut impurity = self.sq_sum_total / w;
        for s in &self.sums.total {
            let mean = s / w;
            impurity -= mean * mean;
        }
        impurity / self.n_outputs as f64
    }

    fn children_impurity(&self, samples: &[u32]) -> (f64, f64) {
        let win = &self.sums.window;
        let mut sq_sum_left = 0.0;
        for &s in &samples[win.start..win.pos] {
            let w = self.weights[s as usize];
            for &y in self.row(s) {
                sq_sum_left += w * y * y;
            }
        }
        let sq_sum_right = self.sq_sum_total - sq_sum_left;
        let mut left = sq_sum_left / win.weighted_n_left;
        let mut right = sq_sum_right / win.weighted_n_right;
        for (l, r) in self.sums.left.iter().zip(&self.sums.right) {
            let (ml, mr) = (l / win.weighted_n_left, r / win.weighted_n_right);
            left -= ml * ml;
            right -= mr * mr;
        }
        (left / self.n_outputs as f64, right / self.n_outputs as f64)
    }

    /// Squared error: s_l/W_l + s_r/W_r ≤ best ⟸ s_l·W_r + s_r·W_l < best·W_l·W_r by more than rounding can move
    /// either side (both are sums of non-negative terms, each product and sum off by at most 2⁻⁵³ relative).
    /// friedman_mse: d²/(W_l·W_r) likewise against d² < best·W_l·W_r.
    #[inline(always)]
    fn proxy_may_exceed(&self, best: f64) -> bool {
        /// 16 units in the last place: well beyond the few roundings of either side.
        const MARGIN: f64 = 1.0 - 16.0 * f64::EPSILON;
        let w = &self.sums.window;
        if best <= 0.0 {
            return true;
        }
        let bound = best * w.weighted_n_left * w.weighted_n_right * MARGIN;
        let lhs = match self.kind {
            RegressionImpurity::SquaredError => {
                let left = self.sums.left.iter().fold(0.0, |a, v| a + v * v);
                let right = self.sums.right.iter().fold(0.0, |a, v| a + v * v);
                left * w.weighted_n_right + right * w.weighted_n_left
            }
            RegressionImpurity::FriedmanMse => {
                let diff = self.mean_difference();
                diff * diff
            }
        };
        lhs >= bound
    }

    #[inline(always)]
    fn proxy_impurity_improvement(&self, _samples: &[u32]) -> f64 {
        let w = &self.sums.window;
        match self.kind {
            RegressionImpurity::SquaredError => {
                let left = self.sums.left.iter().fold(0.0, |a, v| a + v * v);
                let right = self.sums.right.iter().fold(0.0, |a, v| a + v * v);
                left / w.weighted_n_left + right / w.weighted_n_right
            }
            RegressionImpurity::FriedmanMse => {
                let diff = self.mean_difference();
                diff * diff / (w.weighted_n_left * w.weighted_n_right)
            }
        }
    }

    fn impurity_improvement(&self, parent: f64, left: f64, right: f64) -> f64 {
        let w = &self.sums.window;
        match self.kind {
            RegressionImpurity::SquaredError => weighted_improvement(w, parent, left, right),
            RegressionImpurity::FriedmanMse => {
                let diff = self.mean_difference() / self.n_outputs as f64;
                diff * diff / (w.weighted_n_left * w.weighted_n_right * w.weighted_n_node_samples)
            }
        }
    }

    fn node_value(&self, dest: &mut [f64]) {
        dest.iter_mut().zip(&self.sums.total).for_each(|(d, s)| *d = s / self.sums.window.weighted_n_node_samples);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criterion::{ClassCriterion, ClassImpurity};

    #[test]
    fn impurities_and_improvements_follow_sklearn_formulas() {
        // y = 1, 2, 3 (unit weights): variance 2/3; split {1} | {2, 3}.
        let (y, w) = ([1.0, 2.0, 3.0], [1.0; 3]);
        let samples = [0u32, 1, 2];
        let mut c = RegressionCriterion::new(RegressionImpurity::SquaredError, &y, 1, &w, 3.0);
        c.init(&samples, 0, 3);
        assert!((c.node_impurity() - 2.0 / 3.0).abs() < 1e-15);
        c.update(&samples, 1);
        let (l, r) = c.children_impurity(&samples);
        assert_eq!((l, r), (0.0, 0.25));
        assert!((c.impurity_improvement(2.0 / 3.0, l, r) - 0.5).abs() < 1e-15);
        let mut f = RegressionCriterion::new(RegressionImpurity::FriedmanMse, &y, 1, &w, 3.0);
        f.init(&samples, 0, 3);
        f.update(&samples, 1);
        // (2·1 − 1·5)² / (1·2·3) = 1.5.
        assert!((f.impurity_improvement(0.0, 0.0, 0.0) - 1.5).abs() < 1e-15);
        // Updating backwards from the end gives the same statistics.
        c.reset();
        c.update(&samples, 2);
        let (l, _) = c.children_impurity(&samples);
        assert_eq!(l, 0.25);

        // Classes 0, 1, 1: gini 4/9, entropy of (1/3, 2/3).
        let (class, w) = ([0u32, 1, 1], [1.0; 3]);
        let mut g = ClassCriterion::new(ClassImpurity::Gini, &class, 3, &w, 3.0);
        g.init(&samples, 0, 3);
        assert!((g.node_impurity() - 4.0 / 9.0).abs() < 1e-15);
        let mut e = ClassCriterion::new(ClassImpurity::Entropy, &class, 3, &w, 3.0);
        e.init(&samples, 0, 3);
        let expected = -(1.0 / 3.0f64) * (1.0 / 3.0f64).log2() - (2.0 / 3.0f64) * (2.0 / 3.0f64).log2();
        assert!((e.node_impurity() - expected).abs() < 1e-15);
        let mut value = [0.0; 3];
        e.node_value(&mut value);
        assert_eq!(value, [1.0, 2.0, 0.0]);
    }
}
