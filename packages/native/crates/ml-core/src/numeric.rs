//! Scalar link functions shared by probabilistic models, written to stay finite for any finite input.

pub fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// In place: max-shifted exp normalised to sum 1; returns log Σ exp.
pub fn softmax(row: &mut [f64]) -> f64 {
    let max = row.iter().fold(f64::NEG_INFINITY, |m, v| m.max(*v));
    let mut sum = 0.0;
    row.iter_mut().for_each(|v| {
        *v = (*v - max).exp();
        sum += *v;
    });
    row.iter_mut().for_each(|v| *v /= sum);
    max + sum.ln()
}

/// Index of the first maximum (numpy's argmax); f64 scores or XGBoost's f32 probabilities.
pub fn argmax<T: PartialOrd>(row: &[T]) -> usize {
    row.iter().enumerate().fold(0, |best, (i, v)| if *v > row[best] { i } else { best })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_at_extremes() {
        assert_eq!(softplus(-1000.0), 0.0);
        assert_eq!(softplus(1000.0), 1000.0);
        assert!((softplus(0.0) - 2f64.ln()).abs() < 1e-15);
        assert_eq!((sigmoid(-1000.0), sigmoid(1000.0)), (0.0, 1.0));
        let mut row = [1000.0, 1000.0, -1000.0];
        let lse = softmax(&mut row);
        assert!((lse - (1000.0 + 2f64.ln())).abs() < 1e-12);
        assert_eq!(row, [0.5, 0.5, 0.0]);
    }

    #[test]
    fn argmax_takes_the_first_maximum() {
        assert_eq!(argmax(&[1.0, 3.0, 3.0, 2.0]), 1);
        assert_eq!(argmax(&[5.0]), 0);
    }
}
