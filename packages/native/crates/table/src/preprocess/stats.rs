//! Column statistics with the definitions numpy/scikit-learn use, so imputed and scaled features match
//! SimpleImputer and the sklearn scalers. Order statistics select in O(n) instead of sorting the column.

/// sklearn's `_incremental_mean_and_var` population variance: two passes with the rounding-error correction term,
/// Σ(x − m)² − (Σ(x − m))² / n, over n.
pub fn population_variance(values: &[f64], mean: f64) -> f64 {
    let (mut correction, mut squares) = (0.0, 0.0);
    for &v in values {
        let d = v - mean;
        correction += d;
        squares += d * d;
    }
    let n = values.len() as f64;
    (squares - correction * correction / n) / n
}

pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The k-th smallest value (0-based); reorders `values`.
fn select(values: &mut [f64], k: usize) -> f64 {
    *values.select_nth_unstable_by(k, f64::total_cmp).1
}

/// numpy's default ('linear') percentile, q in [0, 100], bit for bit (numpy lerps from the nearer end).
pub fn percentile(values: &mut [f64], q: f64) -> f64 {
    let n = values.len();
    let position = (n - 1) as f64 * (q / 100.0);
    let below = (position.floor().max(0.0) as usize).min(n - 1);
    let above = (below + 1).min(n - 1);
    let t = position - below as f64;
    let a = select(values, below);
    // After selecting `below`, everything right of it is ≥ a: the next order statistic is the minimum there.
    let b = if above == below { a } else { values[below + 1..].iter().copied().fold(f64::INFINITY, f64::min) };
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// np.median: the middle value, or the mean of the two middle values.
pub fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    let upper = select(values, n / 2);
    if n % 2 == 1 {
        return upper;
    }
    let lower = values[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lower + upper) / 2.0
}

/// SimpleImputer's most_frequent: the most frequent value, the smallest among ties; sorts `values`.
pub fn mode(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    let (mut best, mut best_count) = (values[0], 0);
    let mut i = 0;
    while i < values.len() {
        let j = i + values[i..].iter().take_while(|&&v| v == values[i]).count();
        if j - i > best_count {
            best = values[i];
            best_count = j - i;
        }
        i = j;
    }
    best
}

pub fn min_max(values: &[f64]) -> (f64, f64) {
    values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

/// sklearn's `_handle_zeros_in_scale`: a (numerically) zero scale becomes 1 so constant features pass through.
pub fn safe_scale(scale: f64) -> f64 {
    if scale < 10.0 * f64::EPSILON {
        1.0
    } else {
        scale
    }
}

/// StandardScaler's scale: 1 when the variance is within its rounding-error bound of zero, else the deviation.
pub fn standard_scale(variance: f64, mean: f64, n: usize) -> f64 {
    let n = n as f64;
    let upper_bound = n * f64::EPSILON * variance + (n * mean * f64::EPSILON).powi(2);
    if variance <= upper_bound {
        1.0
    } else {
        variance.sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_statistics_match_numpy() {
        // np.percentile([4, 1, 3, 2, 5], [25, 75]) == [2, 4]; np.percentile([1, 2, 3, 4], 25) == 1.75
        assert_eq!(percentile(&mut [4.0, 1.0, 3.0, 2.0, 5.0], 25.0), 2.0);
        assert_eq!(percentile(&mut [4.0, 1.0, 3.0, 2.0, 5.0], 75.0), 4.0);
        assert_eq!(percentile(&mut [4.0, 2.0, 3.0, 1.0], 25.0), 1.75);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(mode(&mut [3.0, 1.0, 3.0, 1.0, 2.0]), 1.0);
        assert_eq!(population_variance(&[1.0, 2.0, 3.0, 4.0], 2.5), 1.25);
        assert_eq!(standard_scale(0.0, 5.0, 4), 1.0);
        assert_eq!(safe_scale(0.0), 1.0);
    }
}
