//! scikit-learn 1.2's split criteria (`_criterion.pyx`), arithmetic step for step: a criterion holds the weighted
//! statistics of a node's samples `[start, end)` and of its left part `[start, pos)`, moved to a new `pos` by adding
//! samples in order from the old position or — when that is shorter — subtracting them from the node's end. Sums
//! depend on that order in their last bits, and sklearn ranks candidate splits by those sums, so equal order is what
//! makes the same tree. Classification: gini, entropy (log₂, as sklearn's `log`); regression: squared error and
//! friedman_mse over one or several outputs.

/// The node window and weights every criterion keeps (sklearn's `Criterion` fields).
#[derive(Clone, Debug, Default)]
pub struct Window {
    pub start: usize,
    pub pos: usize,
    pub end: usize,
    /// Σ weights over every training sample (the tree's root weight, zero weights included).
    pub weighted_n_samples: f64,
    pub weighted_n_node_samples: f64,
    pub weighted_n_left: f64,
    pub weighted_n_right: f64,
}

pub trait Criterion: Send {
    fn window(&self) -> &Window;
    /// `init`: the statistics of samples[start..end] in their current order, then `reset`.
    fn init(&mut self, samples: &[u32], start: usize, end: usize);
    /// pos = start: everything on the right.
    fn reset(&mut self);
    /// pos = end: everything on the left.
    fn reverse_reset(&mut self);
    fn update(&mut self, samples: &[u32], new_pos: usize);
    fn node_impurity(&self) -> f64;
    fn children_impurity(&self, samples: &[u32]) -> (f64, f64);
    /// Ranks the splits of one node like `impurity_improvement`, cheaper.
    fn proxy_impurity_improvement(&self, samples: &[u32]) -> f64 {
        let (left, right) = self.children_impurity(samples);
        let w = self.window();
        -w.weighted_n_right * right - w.weighted_n_left * left
    }
    /// False only when `proxy_impurity_improvement` is certainly not above `best` — decided from products, without
    /// the divisions the proxy makes; the splitter then skips computing it.
    fn proxy_may_exceed(&self, _best: f64) -> bool {
        true
    }
    /// The weighted impurity decrease `min_impurity_decrease` is compared with.
    fn impurity_improvement(&self, parent: f64, left: f64, right: f64) -> f64 {
        let w = self.window();
        (w.weighted_n_node_samples / w.weighted_n_samples)
            * (parent - (w.weighted_n_right / w.weighted_n_node_samples * right) - (w.weighted_n_left / w.weighted_n_node_samples * left))
    }
    /// sklearn's node value: weighted class counts, or the weighted mean of each output.
    fn node_value(&self, dest: &mut [f64]);
}

/// sklearn's `log`: ln(x) / ln(2).
fn log2(x: f64) -> f64 {
    x.ln() / std::f64::consts::LN_2
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ClassImpurity {
    Gini,
    Entropy,
}

/// `ClassificationCriterion` for one output: weighted class counts.
pub struct ClassCriterion<'a> {
    kind: ClassImpurity,
    class: &'a [u32],
    weights: &'a [f64],
    window: Window,
    sum_total: Vec<f64>,
    sum_left: Vec<f64>,
    sum_right: Vec<f64>,
}

impl<'a> ClassCriterion<'a> {
    pub fn new(kind: ClassImpurity, class: &'a [u32], n_classes: usize, weights: &'a [f64], weighted_n_samples: f64) -> Self {
        let zeros = vec![0.0; n_classes];
        ClassCriterion {
            kind,
            class,
            weights,
            window: Window { weighted_n_samples, ..Window::default() },
            sum_total: zeros.clone(),
            sum_left: zeros.clone(),
            sum_right: zeros,
        }
    }

    fn impurity_of(&self, counts: &[f64], weight: f64) -> f64 {
        match self.kind {
            ClassImpurity::Gini => {
                let sq = counts.iter().fold(0.0, |s, c| s + c * c);
                1.0 - sq / (weight * weight)
            }
            ClassImpurity::Entropy => counts.iter().filter(|&&c| c > 0.0).fold(0.0, |e, &c| {
                let p = c / weight;
                e - p * log2(p)
            }),
        }
    }
}

impl Criterion for ClassCriterion<'_> {
    fn window(&self) -> &Window {
        &self.window
    }

    fn init(&mut self, samples: &[u32], start: usize, end: usize) {
        self.window.start = start;
        self.window.end = end;
        self.sum_total.iter_mut().for_each(|v| *v = 0.0);
        let mut total = 0.0;
        for &s in &samples[start..end] {
            let w = self.weights[s as usize];
            self.sum_total[self.class[s as usize] as usize] += w;
            total += w;
        }
        self.window.weighted_n_node_samples = total;
        self.reset();
    }

    fn reset(&mut self) {
        let w = &mut self.window;
        w.pos = w.start;
        w.weighted_n_left = 0.0;
        w.weighted_n_right = w.weighted_n_node_samples;
        self.sum_left.iter_mut().for_each(|v| *v = 0.0);
        self.sum_right.copy_from_slice(&self.sum_total);
    }

    fn reverse_reset(&mut self) {
        let w = &mut self.window;
        w.pos = w.end;
        w.weighted_n_left = w.weighted_n_node_samples;
        w.weighted_n_right = 0.0;
        self.sum_right.iter_mut().for_each(|v| *v = 0.0);
        self.sum_left.copy_from_slice(&self.sum_total);
    }

    #[inline]
    fn update(&mut self, samples: &[u32], new_pos: usize) {
        let (pos, end) = (self.window.pos, self.window.end);
        if new_pos - pos <= end - new_pos {
            for &s in &samples[pos..new_pos] {
                let w = self.weights[s as usize];
                self.sum_left[self.class[s as usize] as usize] += w;
                self.window.weighted_n_left += w;
            }
        } else {
            self.reverse_reset();
            for &s in samples[new_pos..end].iter().rev() {
                let w = self.weights[s as usize];
                self.sum_left[self.class[s as usize] as usize] -= w;
                self.window.weighted_n_left -= w;
            }
        }
        self.window.weighted_n_right = self.window.weighted_n_node_samples - self.window.weighted_n_left;
        for ((r, t), l) in self.sum_right.iter_mut().zip(&self.sum_total).zip(&self.sum_left) {
            *r = t - l;
        }
        self.window.pos = new_pos;
    }

    fn node_impurity(&self) -> f64 {
        self.impurity_of(&self.sum_total, self.window.weighted_n_node_samples)
    }

    fn children_impurity(&self, _samples: &[u32]) -> (f64, f64) {
        (self.impurity_of(&self.sum_left, self.window.weighted_n_left), self.impurity_of(&self.sum_right, self.window.weighted_n_right))
    }

    fn node_value(&self, dest: &mut [f64]) {
        dest.copy_from_slice(&self.sum_total);
    }
}

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
    window: Window,
    sq_sum_total: f64,
    sum_total: Vec<f64>,
    sum_left: Vec<f64>,
    sum_right: Vec<f64>,
}

impl<'a> RegressionCriterion<'a> {
    pub fn new(kind: RegressionImpurity, y: &'a [f64], n_outputs: usize, weights: &'a [f64], weighted_n_samples: f64) -> Self {
        let zeros = vec![0.0; n_outputs];
        RegressionCriterion {
            kind,
            y,
            n_outputs,
            weights,
            window: Window { weighted_n_samples, ..Window::default() },
            sq_sum_total: 0.0,
            sum_total: zeros.clone(),
            sum_left: zeros.clone(),
            sum_right: zeros,
        }
    }

    #[inline(always)]
    fn row(&self, s: u32) -> &[f64] {
        &self.y[s as usize * self.n_outputs..(s as usize + 1) * self.n_outputs]
    }

    /// W_r·Σ_k s_l[k] − W_l·Σ_k s_r[k] (friedman_mse).
    fn mean_difference(&self) -> f64 {
        let total_left = self.sum_left.iter().fold(0.0, |a, v| a + v);
        let total_right = self.sum_right.iter().fold(0.0, |a, v| a + v);
        self.window.weighted_n_right * total_left - self.window.weighted_n_left * total_right
    }
}

impl Criterion for RegressionCriterion<'_> {
    fn window(&self) -> &Window {
        &self.window
    }

    fn init(&mut self, samples: &[u32], start: usize, end: usize) {
        self.window.start = start;
        self.window.end = end;
        self.sq_sum_total = 0.0;
        self.sum_total.iter_mut().for_each(|v| *v = 0.0);
        let mut total = 0.0;
        for &s in &samples[start..end] {
            let w = self.weights[s as usize];
            for k in 0..self.n_outputs {
                let y = self.row(s)[k];
                let wy = w * y;
                self.sum_total[k] += wy;
                self.sq_sum_total += wy * y;
            }
            total += w;
        }
        self.window.weighted_n_node_samples = total;
        self.reset();
    }

    fn reset(&mut self) {
        let w = &mut self.window;
        w.pos = w.start;
        w.weighted_n_left = 0.0;
        w.weighted_n_right = w.weighted_n_node_samples;
        self.sum_left.iter_mut().for_each(|v| *v = 0.0);
        self.sum_right.copy_from_slice(&self.sum_total);
    }

    fn reverse_reset(&mut self) {
        let w = &mut self.window;
        w.pos = w.end;
        w.weighted_n_left = w.weighted_n_node_samples;
        w.weighted_n_right = 0.0;
        self.sum_right.iter_mut().for_each(|v| *v = 0.0);
        self.sum_left.copy_from_slice(&self.sum_total);
    }

    #[inline(always)]
    fn update(&mut self, samples: &[u32], new_pos: usize) {
        let (pos, end) = (self.window.pos, self.window.end);
        let (y, weights, m) = (self.y, self.weights, self.n_outputs);
        if new_pos - pos <= end - new_pos {
            if m == 1 {
                // One output (the common case, and every boosting tree): the same sums in a tight loop.
                let (mut sum, mut weight) = (self.sum_left[0], self.window.weighted_n_left);
                for &s in &samples[pos..new_pos] {
                    let w = weights[s as usize];
                    sum += w * y[s as usize];
                    weight += w;
                }
                self.sum_left[0] = sum;
                self.window.weighted_n_left = weight;
            } else {
                for &s in &samples[pos..new_pos] {
                    let w = weights[s as usize];
                    for (l, v) in self.sum_left.iter_mut().zip(&y[s as usize * m..(s as usize + 1) * m]) {
                        *l += w * v;
                    }
                    self.window.weighted_n_left += w;
                }
            }
        } else {
            self.reverse_reset();
            for &s in samples[new_pos..end].iter().rev() {
                let w = weights[s as usize];
                for (l, v) in self.sum_left.iter_mut().zip(&y[s as usize * m..(s as usize + 1) * m]) {
                    *l -= w * v;
                }
                self.window.weighted_n_left -= w;
            }
        }
        self.window.weighted_n_right = self.window.weighted_n_node_samples - self.window.weighted_n_left;
        for ((r, t), l) in self.sum_right.iter_mut().zip(&self.sum_total).zip(&self.sum_left) {
            *r = t - l;
        }
        self.window.pos = new_pos;
    }

    fn node_impurity(&self) -> f64 {
        let w = self.window.weighted_n_node_samples;
        let mut impurity = self.sq_sum_total / w;
        for s in &self.sum_total {
            let mean = s / w;
            impurity -= mean * mean;
        }
        impurity / self.n_outputs as f64
    }

    fn children_impurity(&self, samples: &[u32]) -> (f64, f64) {
        let win = &self.window;
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
        for (l, r) in self.sum_left.iter().zip(&self.sum_right) {
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
        let w = &self.window;
        if best <= 0.0 {
            return true;
        }
        let bound = best * w.weighted_n_left * w.weighted_n_right * MARGIN;
        let lhs = match self.kind {
            RegressionImpurity::SquaredError => {
                let left = self.sum_left.iter().fold(0.0, |a, v| a + v * v);
                let right = self.sum_right.iter().fold(0.0, |a, v| a + v * v);
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
        let w = &self.window;
        match self.kind {
            RegressionImpurity::SquaredError => {
                let left = self.sum_left.iter().fold(0.0, |a, v| a + v * v);
                let right = self.sum_right.iter().fold(0.0, |a, v| a + v * v);
                left / w.weighted_n_left + right / w.weighted_n_right
            }
            RegressionImpurity::FriedmanMse => {
                let diff = self.mean_difference();
                diff * diff / (w.weighted_n_left * w.weighted_n_right)
            }
        }
    }

    fn impurity_improvement(&self, parent: f64, left: f64, right: f64) -> f64 {
        let w = &self.window;
        match self.kind {
            RegressionImpurity::SquaredError => {
                (w.weighted_n_node_samples / w.weighted_n_samples)
                    * (parent - (w.weighted_n_right / w.weighted_n_node_samples * right) - (w.weighted_n_left / w.weighted_n_node_samples * left))
            }
            RegressionImpurity::FriedmanMse => {
                let diff = self.mean_difference() / self.n_outputs as f64;
                diff * diff / (w.weighted_n_left * w.weighted_n_right * w.weighted_n_node_samples)
            }
        }
    }

    fn node_value(&self, dest: &mut [f64]) {
        dest.iter_mut().zip(&self.sum_total).for_each(|(d, s)| *d = s / self.window.weighted_n_node_samples);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
