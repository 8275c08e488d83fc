//! libsvm's probability outputs: Platt's sigmoid fitted by Newton's method with backtracking (Lin, Lin & Weng
//! 2007), and pairwise coupling of the one-vs-one probabilities into class probabilities (Wu, Lin & Weng 2004,
//! method 2).

/// (A, B) of P(y = +1 | f) = 1 / (1 + exp(A f + B)), fitted to decision values `dec` with labels `positive`.
pub fn sigmoid_train(dec: &[f64], positive: &[bool]) -> (f64, f64) {
    let prior1 = positive.iter().filter(|&&p| p).count() as f64;
    let prior0 = positive.len() as f64 - prior1;
    let (max_iter, min_step, sigma, eps) = (100, 1e-10, 1e-12, 1e-5);
    let hi_target = (prior1 + 1.0) / (prior1 + 2.0);
    let lo_target = 1.0 / (prior0 + 2.0);
    let t: Vec<f64> = positive.iter().map(|&p| if p { hi_target } else { lo_target }).collect();
    let objective = |a: f64, b: f64| -> f64 {
        dec.iter()
            .zip(&t)
            .map(|(&d, &ti)| {
                let f = d * a + b;
                if f >= 0.0 {
                    ti * f + (1.0 + (-f).exp()).ln()
                } else {
                    (ti - 1.0) * f + (1.0 + f.exp()).ln()
                }
            })
            .sum()
    };
    let (mut a, mut b) = (0.0, ((prior0 + 1.0) / (prior1 + 1.0)).ln());
    let mut fval = objective(a, b);
    for _ in 0..max_iter {
        let (mut h11, mut h22, mut h21, mut g1, mut g2) = (sigma, sigma, 0.0, 0.0, 0.0);
        for (&d, &ti) in dec.iter().zip(&t) {
            let f = d * a + b;
            let (p, q) = if f >= 0.0 {
                ((-f).exp() / (1.0 + (-f).exp()), 1.0 / (1.0 + (-f).exp()))
            } else {
                (1.0 / (1.0 + f.exp()), f.exp() / (1.0 + f.exp()))
            };
            let d2 = p * q;
            h11 += d * d * d2;
            h22 += d2;
            h21 += d * d2;
            let d1 = ti - p;
            g1 += d * d1;
            g2 += d1;
        }
        if g1.abs() < eps && g2.abs() < eps {
            break;
        }
        let det = h11 * h22 - h21 * h21;
        let da = -(h22 * g1 - h21 * g2) / det;
        let db = -(-h21 * g1 + h11 * g2) / det;
        let gd = g1 * da + g2 * db;
        let mut step = 1.0;
        while step >= min_step {
            let (new_a, new_b) = (a + step * da, b + step * db);
            let new_f = objective(new_a, new_b);
            if new_f < fval + 0.0001 * step * gd {
                a = new_a;
                b = new_b;
                fval = new_f;
                break;
            }
            step /= 2.0;
        }
        if step < min_step {
            break; // line search failed, as libsvm keeps the last (A, B)
        }
    }
    (a, b)
}

pub fn sigmoid_predict(dec: f64, a: f64, b: f64) -> f64 {
    let f = dec * a + b;
    // 1 − p is used later; this form avoids cancellation.
    if f >= 0.0 {
        (-f).exp() / (1.0 + (-f).exp())
    } else {
        1.0 / (1.0 + f.exp())
    }
}

/// Class probabilities from pairwise ones: `r[i * k + j]` = P(class i | i or j).
pub fn multiclass_probability(k: usize, r: &[f64]) -> Vec<f64> {
    let max_iter = 100.max(k);
    let eps = 0.005 / k as f64;
    let mut q = vec![0.0; k * k];
    for t in 0..k {
        for j in 0..k {
            if j != t {
                q[t * k + t] += r[j * k + t] * r[j * k + t];
                q[t * k + j] = -r[j * k + t] * r[t * k + j];
            }
        }
    }
    let mut p = vec![1.0 / k as f64; k];
    let mut qp = vec![0.0; k];
    for _ in 0..max_iter {
        let mut pqp = 0.0;
        for t in 0..k {
            qp[t] = (0..k).map(|j| q[t * k + j] * p[j]).sum();
            pqp += p[t] * qp[t];
        }
        let max_error = qp.iter().map(|v| (v - pqp).abs()).fold(0.0, f64::max);
        if max_error < eps {
            break;
        }
        for t in 0..k {
            let diff = (-qp[t] + pqp) / q[t * k + t];
            p[t] += diff;
            pqp = (pqp + diff * (diff * q[t * k + t] + 2.0 * qp[t])) / (1.0 + diff) / (1.0 + diff);
            for j in 0..k {
                qp[j] = (qp[j] + diff * q[t * k + j]) / (1.0 + diff);
                p[j] /= 1.0 + diff;
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_orders_and_coupling_sums_to_one() {
        let dec = [-2.0, -1.0, -0.5, 0.3, 1.0, 2.5, 0.1, -0.2];
        let pos = [false, false, false, true, true, true, false, true];
        let (a, b) = sigmoid_train(&dec, &pos);
        assert!(a < 0.0, "larger decision values are more likely positive");
        assert!(sigmoid_predict(2.0, a, b) > sigmoid_predict(-2.0, a, b));
        let r = [0.0, 0.7, 0.6, 0.3, 0.0, 0.55, 0.4, 0.45, 0.0];
        let p = multiclass_probability(3, &r);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(p[0] > p[1] && p[0] > p[2]);
    }
}
