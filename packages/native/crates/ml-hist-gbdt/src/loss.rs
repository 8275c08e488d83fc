//! The losses of sklearn 1.2's `_loss` module that HistGradientBoosting uses: half squared error (regression),
//! half binomial (two classes, one tree per iteration) and half multinomial (K classes, K trees per iteration).
//! Raw predictions are stored per tree: `raw[k * n + i]`, and so are the f32 gradients and hessians.

use pgml_ml_core::numeric::softmax;
use rayon::prelude::*;

/// Rows per parallel task when computing gradients.
const ROWS_PER_TASK: usize = 8192;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Loss {
    SquaredError,
    Binomial,
    Multinomial { n_classes: usize },
}

impl Loss {
    pub fn for_classes(n_classes: usize) -> Loss {
        if n_classes == 2 {
            Loss::Binomial
        } else {
            Loss::Multinomial { n_classes }
        }
    }

    pub fn trees_per_iteration(self) -> usize {
        match self {
            Loss::Multinomial { n_classes } => n_classes,
            _ => 1,
        }
    }

    /// Squared error's hessians are all 1: histograms count instead of summing them.
    pub fn constant_hessian(self) -> bool {
        self == Loss::SquaredError
    }

    /// sklearn's `fit_intercept_only`: the raw prediction of the best constant model. `y` holds targets, or class
    /// positions 0..K−1 as f64.
    pub fn baseline(self, y: &[f64]) -> Vec<f64> {
        let n = y.len() as f64;
        match self {
            Loss::SquaredError => vec![y.iter().sum::<f64>() / n],
            Loss::Binomial => {
                let eps = 10.0 * f64::EPSILON;
                let p = (y.iter().sum::<f64>() / n).clamp(eps, 1.0 - eps);
                vec![(p / (1.0 - p)).ln()]
            }
            Loss::Multinomial { n_classes } => {
                let mut counts = vec![0usize; n_classes];
                y.iter().for_each(|&c| counts[c as usize] += 1);
                let logs: Vec<f64> =
                    counts.iter().map(|&c| (c as f64 / n).clamp(f64::EPSILON, 1.0 - f64::EPSILON).ln()).collect();
                let mean = logs.iter().sum::<f64>() / n_classes as f64;
                logs.iter().map(|l| l - mean).collect()
            }
        }
    }

    /// Gradients (and hessians unless constant) of every row for every tree, from the raw predictions.
    pub fn gradients(self, y: &[f64], raw: &[f64], gradients: &mut [f32], hessians: &mut [f32]) {
        let n = y.len();
        match self {
            Loss::SquaredError => par_rows(gradients, |start, out| {
                for (r, g) in out.iter_mut().enumerate() {
                    *g = (raw[start + r] - y[start + r]) as f32;
                }
            }),
            Loss::Binomial => gradients
                .par_chunks_mut(ROWS_PER_TASK)
                .zip(hessians.par_chunks_mut(ROWS_PER_TASK))
                .enumerate()
                .for_each(|(c, (g, h))| {
                    for r in 0..g.len() {
                        let i = c * ROWS_PER_TASK + r;
                        (g[r], h[r]) = binomial_gradient_hessian(y[i], raw[i]);
                    }
                }),
            Loss::Multinomial { n_classes } => {
                // Row-parallel: each task fills its rows of every class's column.
                let mut blocks = column_blocks(gradients, n);
                let hessian_blocks = column_blocks(hessians, n);
                blocks.par_iter_mut().zip(hessian_blocks).enumerate().for_each(|(c, (g, mut h))| {
                    let mut p = vec![0.0; n_classes];
                    for r in 0..g[0].len() {
                        let i = c * ROWS_PER_TASK + r;
                        p.iter_mut().enumerate().for_each(|(k, v)| *v = raw[k * n + i]);
                        softmax(&mut p);
                        for k in 0..n_classes {
                            let target = f64::from(u8::from(y[i] as usize == k));
                            g[k][r] = (p[k] - target) as f32;
                            h[k][r] = (p[k] * (1.0 - p[k])) as f32;
                        }
                    }
                });
            }
        }
    }

    /// The mean loss (sklearn's `loss(y, raw)`), for early stopping.
    pub fn mean_loss(self, y: &[f64], raw: &[f64]) -> f64 {
        let n = y.len();
        let total: f64 = match self {
            Loss::SquaredError => y.iter().zip(raw).map(|(y, r)| 0.5 * (r - y) * (r - y)).sum(),
            Loss::Binomial => y.iter().zip(raw).map(|(&y, &r)| log1pexp(r) - y * r).sum(),
            Loss::Multinomial { n_classes } => {
                let mut p = vec![0.0; n_classes];
                (0..n)
                    .map(|i| {
                        p.iter_mut().enumerate().for_each(|(k, v)| *v = raw[k * n + i]);
                        softmax(&mut p) - raw[(y[i] as usize) * n + i]
                    })
                    .sum()
            }
        };
        total / n as f64
    }
}

/// sklearn's `cgradient_hessian_half_binomial`, written to stay finite for very negative raw values.
fn binomial_gradient_hessian(y: f64, raw: f64) -> (f32, f32) {
    if raw > -37.0 {
        let e = (-raw).exp();
        ((((1.0 - y) - y * e) / (1.0 + e)) as f32, (e / ((1.0 + e) * (1.0 + e))) as f32)
    } else {
        let e = raw.exp();
        ((e - y) as f32, e as f32)
    }
}

/// log(1 + exp(x)) as sklearn's `log1pexp` computes it.
fn log1pexp(x: f64) -> f64 {
    if x <= -37.0 {
        x.exp()
    } else if x <= -2.0 {
        x.exp().ln_1p()
    } else if x <= 18.0 {
        (1.0 + x.exp()).ln()
    } else if x <= 33.3 {
        x + (-x).exp()
    } else {
        x
    }
}

fn par_rows(out: &mut [f32], fill: impl Fn(usize, &mut [f32]) + Sync) {
    out.par_chunks_mut(ROWS_PER_TASK).enumerate().for_each(|(c, chunk)| fill(c * ROWS_PER_TASK, chunk));
}

/// Splits per-class columns of length `n` into row blocks: `blocks[b][k]` is class k's slice of block b.
fn column_blocks(values: &mut [f32], n: usize) -> Vec<Vec<&mut [f32]>> {
    let mut blocks: Vec<Vec<&mut [f32]>> = (0..n.div_ceil(ROWS_PER_TASK)).map(|_| Vec::new()).collect();
    for column in values.chunks_mut(n) {
        for (block, part) in blocks.iter_mut().zip(column.chunks_mut(ROWS_PER_TASK)) {
            block.push(part);
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_are_the_best_constants() {
        assert_eq!(Loss::SquaredError.baseline(&[1.0, 2.0, 6.0]), vec![3.0]);
        assert!((Loss::Binomial.baseline(&[0.0, 1.0, 1.0, 1.0])[0] - 3f64.ln()).abs() < 1e-15);
        let b = Loss::Multinomial { n_classes: 3 }.baseline(&[0.0, 1.0, 1.0, 2.0]);
        assert!(b.iter().sum::<f64>().abs() < 1e-15 && (b[1] - b[0] - 2f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn gradients_are_derivatives_of_the_loss() {
        let y = [0.0, 1.0, 2.0];
        let raw = [0.3, -1.2, 0.7, 0.1, 0.4, -0.5, 2.0, 0.0, 1.0];
        let loss = Loss::Multinomial { n_classes: 3 };
        let (mut g, mut h) = (vec![0f32; 9], vec![0f32; 9]);
        loss.gradients(&y, &raw, &mut g, &mut h);
        for j in 0..9 {
            let mut up = raw;
            up[j] += 1e-6;
            let numeric = (loss.mean_loss(&y, &up) - loss.mean_loss(&y, &raw)) * 3.0 / 1e-6;
            assert!((numeric - g[j] as f64).abs() < 1e-4, "{j}: {numeric} vs {}", g[j]);
        }
        let (mut g, mut h) = (vec![0f32; 3], vec![0f32; 3]);
        Loss::Binomial.gradients(&[0.0, 1.0, 1.0], &[0.5, -40.0, 3.0], &mut g, &mut h);
        assert!((g[0] as f64 - (1.0 / (1.0 + (-0.5f64).exp()))).abs() < 1e-7 && h[1] > 0.0 && h[1] < 1e-16);
    }
}
