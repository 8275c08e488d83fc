//! Impurity criteria over node statistics. Every node, histogram bin and split side is summarised by one stats row:
//! `[sample count, total weight, payload…]`, where the payload is the weight per class (classification) or, per
//! output, Σ w·y then Σ w·y² (regression). Criteria read only these rows, so the split finder can sweep histograms
//! without touching samples. Formulas are sklearn's `_criterion.pyx` (entropy in bits, as sklearn's `log` is log₂).

pub const COUNT: usize = 0;
pub const WEIGHT: usize = 1;
pub const PAYLOAD: usize = 2;

pub trait Criterion: Sync + Send {
    /// The node's impurity.
    fn impurity(&self, stats: &[f64]) -> f64;

    /// sklearn's `proxy_impurity_improvement`: ranks candidate splits of one node like the true improvement, cheaper.
    fn proxy(&self, left: &[f64], right: &[f64]) -> f64;

    /// sklearn's `impurity_improvement`, the quantity `min_impurity_decrease` bounds:
    /// W/W_root · (impurity − W_l/W · impurity_l − W_r/W · impurity_r).
    fn improvement(&self, parent: &[f64], left: &[f64], right: &[f64], root_weight: f64) -> f64 {
        let w = parent[WEIGHT];
        w / root_weight
            * (self.impurity(parent)
                - left[WEIGHT] / w * self.impurity(left)
                - right[WEIGHT] / w * self.impurity(right))
    }
}

/// Σ_c p_c (1 − p_c) over class weights.
pub struct Gini;
/// −Σ_c p_c log₂ p_c (sklearn's "entropy" and "log_loss").
pub struct Entropy;
/// Mean over outputs of the weighted variance. Payload: n_outputs sums, then n_outputs sums of squares.
pub struct SquaredError {
    pub n_outputs: usize,
}
/// Friedman's improvement score for boosting: squared error impurity, splits ranked by the weighted squared mean
/// difference of the two sides.
pub struct FriedmanMse {
    pub n_outputs: usize,
}

fn class_proxy<C: Criterion>(criterion: &C, left: &[f64], right: &[f64]) -> f64 {
    -left[WEIGHT] * criterion.impurity(left) - right[WEIGHT] * criterion.impurity(right)
}

impl Criterion for Gini {
    fn impurity(&self, stats: &[f64]) -> f64 {
        let w = stats[WEIGHT];
        1.0 - stats[PAYLOAD..].iter().map(|c| (c / w) * (c / w)).sum::<f64>()
    }
    fn proxy(&self, left: &[f64], right: &[f64]) -> f64 {
        class_proxy(self, left, right)
    }
}

impl Criterion for Entropy {
    fn impurity(&self, stats: &[f64]) -> f64 {
        let w = stats[WEIGHT];
        -stats[PAYLOAD..].iter().filter(|&&c| c > 0.0).map(|c| (c / w) * (c / w).log2()).sum::<f64>()
    }
    fn proxy(&self, left: &[f64], right: &[f64]) -> f64 {
        class_proxy(self, left, right)
    }
}

fn variance(stats: &[f64], n_outputs: usize) -> f64 {
    let w = stats[WEIGHT];
    let (sums, squares) = stats[PAYLOAD..].split_at(n_outputs);
    sums.iter().zip(squares).map(|(s, q)| q / w - (s / w) * (s / w)).sum::<f64>() / n_outputs as f64
}

impl Criterion for SquaredError {
    fn impurity(&self, stats: &[f64]) -> f64 {
        variance(stats, self.n_outputs)
    }
    /// Σ_k s_l²/W_l + s_r²/W_r: the parent's terms are constant across the node's candidates.
    fn proxy(&self, left: &[f64], right: &[f64]) -> f64 {
        let m = self.n_outputs;
        let side = |s: &[f64]| s[PAYLOAD..PAYLOAD + m].iter().map(|v| v * v).sum::<f64>() / s[WEIGHT];
        side(left) + side(right)
    }
}

impl FriedmanMse {
    /// W_r·Σs_l − W_l·Σs_r over outputs.
    fn mean_difference(&self, left: &[f64], right: &[f64]) -> f64 {
        let total = |s: &[f64]| s[PAYLOAD..PAYLOAD + self.n_outputs].iter().sum::<f64>();
        right[WEIGHT] * total(left) - left[WEIGHT] * total(right)
    }
}

impl Criterion for FriedmanMse {
    fn impurity(&self, stats: &[f64]) -> f64 {
        variance(stats, self.n_outputs)
    }
    fn proxy(&self, left: &[f64], right: &[f64]) -> f64 {
        let diff = self.mean_difference(left, right);
        diff * diff / (left[WEIGHT] * right[WEIGHT])
    }
    /// sklearn's FriedmanMSE improvement (normalised by the node's weight, not the root's).
    fn improvement(&self, parent: &[f64], left: &[f64], right: &[f64], _root_weight: f64) -> f64 {
        let diff = self.mean_difference(left, right) / self.n_outputs as f64;
        diff * diff / (left[WEIGHT] * right[WEIGHT] * parent[WEIGHT])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impurities_match_their_definitions() {
        // 3 samples: classes weighted 1 and 2.
        let node = [3.0, 3.0, 1.0, 2.0];
        assert!((Gini.impurity(&node) - (1.0 - 1.0 / 9.0 - 4.0 / 9.0)).abs() < 1e-15);
        let expected = -(1.0 / 3.0f64) * (1.0 / 3.0f64).log2() - (2.0 / 3.0f64) * (2.0 / 3.0f64).log2();
        assert!((Entropy.impurity(&node) - expected).abs() < 1e-15);
        // y = 1, 2, 3 (unit weights): variance 2/3.
        let node = [3.0, 3.0, 6.0, 14.0];
        assert!((SquaredError { n_outputs: 1 }.impurity(&node) - 2.0 / 3.0).abs() < 1e-15);
        // Split {1} | {2, 3}: improvement = 2/3 − (1/3·0 + 2/3·1/4) = 1/2.
        let (left, right) = ([1.0, 1.0, 1.0, 1.0], [2.0, 2.0, 5.0, 13.0]);
        let gain = SquaredError { n_outputs: 1 }.improvement(&node, &left, &right, 3.0);
        assert!((gain - 0.5).abs() < 1e-12, "{gain}");
        // Friedman: (2·1 − 1·5)² / (1·2·3) = 1.5.
        assert!((FriedmanMse { n_outputs: 1 }.improvement(&node, &left, &right, 3.0) - 1.5).abs() < 1e-12);
    }
}
