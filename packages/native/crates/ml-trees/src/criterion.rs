//! scikit-learn 1.2's split criteria (`_criterion.pyx`), arithmetic step for step: a criterion holds the weighted
//! statistics of a node's samples `[start, end)` and of its left part `[start, pos)`, moved to a new `pos` by adding
//! samples in order from the old position or — when that is shorter — subtracting them from the node's end. Sums
//! depend on that order in their last bits, and sklearn ranks candidate splits by those sums, so equal order is what
//! makes the same tree. Classification (here): gini, entropy (log₂, as sklearn's `log`); regression
//! (regression_criterion.rs): squared error and friedman_mse over one or several outputs.

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

/// The weighted sums every criterion keeps besides its window, per class or per output: over the node, its left part
/// `[start, pos)` and its right part `[pos, end)`.
#[derive(Clone, Debug)]
pub struct Sums {
    pub window: Window,
    pub total: Vec<f64>,
    pub left: Vec<f64>,
    pub right: Vec<f64>,
}

impl Sums {
    pub fn new(width: usize, weighted_n_samples: f64) -> Sums {
        let zeros = vec![0.0; width];
        Sums {
            window: Window { weighted_n_samples, ..Window::default() },
            total: zeros.clone(),
            left: zeros.clone(),
            right: zeros,
        }
    }

    /// The start of `init`: the window, totals at zero.
    pub fn begin(&mut self, start: usize, end: usize) {
        self.window.start = start;
        self.window.end = end;
        self.total.iter_mut().for_each(|v| *v = 0.0);
    }

    /// pos = start: everything on the right.
    pub fn reset(&mut self) {
        let w = &mut self.window;
        w.pos = w.start;
        w.weighted_n_left = 0.0;
        w.weighted_n_right = w.weighted_n_node_samples;
        self.left.iter_mut().for_each(|v| *v = 0.0);
        self.right.copy_from_slice(&self.total);
    }

    /// pos = end: everything on the left.
    pub fn reverse_reset(&mut self) {
        let w = &mut self.window;
        w.pos = w.end;
        w.weighted_n_left = w.weighted_n_node_samples;
        w.weighted_n_right = 0.0;
        self.right.iter_mut().for_each(|v| *v = 0.0);
        self.left.copy_from_slice(&self.total);
    }

    /// The end of `update`: the right part is the node minus the left.
    pub fn settle(&mut self, new_pos: usize) {
        self.window.weighted_n_right = self.window.weighted_n_node_samples - self.window.weighted_n_left;
        for ((r, t), l) in self.right.iter_mut().zip(&self.total).zip(&self.left) {
            *r = t - l;
        }
        self.window.pos = new_pos;
    }
}

/// sklearn's `impurity_improvement`: W/W_root · (impurity − W_r/W · impurity_r − W_l/W · impurity_l).
pub fn weighted_improvement(w: &Window, parent: f64, left: f64, right: f64) -> f64 {
    (w.weighted_n_node_samples / w.weighted_n_samples)
        * (parent
            - (w.weighted_n_right / w.weighted_n_node_samples * right)
            - (w.weighted_n_left / w.weighted_n_node_samples * left))
}

pub trait Criterion: Send {
    fn window(&self) -> &Window;
    /// `init`: the statistics of samples[start..end] in their current order, then `reset`.
    fn init(&mut self, samples: &[u32], start: usize, end: usize);
    /// pos = start: everything on the right.
    fn reset(&mut self);
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
        weighted_improvement(self.window(), parent, left, right)
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
    sums: Sums,
}

impl<'a> ClassCriterion<'a> {
    pub fn new(
        kind: ClassImpurity,
        class: &'a [u32],
        n_classes: usize,
        weights: &'a [f64],
        weighted_n_samples: f64,
    ) -> Self {
        ClassCriterion { kind, class, weights, sums: Sums::new(n_classes, weighted_n_samples) }
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
        &self.sums.window
    }

    fn init(&mut self, samples: &[u32], start: usize, end: usize) {
        self.sums.begin(start, end);
        let mut total = 0.0;
        for &s in &samples[start..end] {
            let w = self.weights[s as usize];
            self.sums.total[self.class[s as usize] as usize] += w;
            total += w;
        }
        self.sums.window.weighted_n_node_samples = total;
        self.sums.reset();
    }

    fn reset(&mut self) {
        self.sums.reset();
    }

    #[inline]
    fn update(&mut self, samples: &[u32], new_pos: usize) {
        let (pos, end) = (self.sums.window.pos, self.sums.window.end);
        if new_pos - pos <= end - new_pos {
            for &s in &samples[pos..new_pos] {
                let w = self.weights[s as usize];
                self.sums.left[self.class[s as usize] as usize] += w;
                self.sums.window.weighted_n_left += w;
            }
        } else {
            self.sums.reverse_reset();
            for &s in samples[new_pos..end].iter().rev() {
                let w = self.weights[s as usize];
                self.sums.left[self.class[s as usize] as usize] -= w;
                self.sums.window.weighted_n_left -= w;
            }
        }
        self.sums.settle(new_pos);
    }

    fn node_impurity(&self) -> f64 {
        self.impurity_of(&self.sums.total, self.sums.window.weighted_n_node_samples)
    }

    fn children_impurity(&self, _samples: &[u32]) -> (f64, f64) {
        let w = &self.sums.window;
        (self.impurity_of(&self.sums.left, w.weighted_n_left), self.impurity_of(&self.sums.right, w.weighted_n_right))
    }

    fn node_value(&self, dest: &mut [f64]) {
        dest.copy_from_slice(&self.sums.total);
    }
}
