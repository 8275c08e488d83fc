//! liblinear's dual coordinate descent solvers as scikit-learn 1.2 builds them (sklearn/svm/src/liblinear):
//! L1-/L2-loss SVC (Hsieh et al., ICML 2008, Algorithm 3) and L1-/L2-loss ε-SVR (Ho & Lin 2012, Algorithm 4),
//! with their random coordinate order per outer iteration, shrinking, and the intercept as an extra feature of
//! constant value `bias` that is regularised like the others.

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::mt19937::NumpyRandomState;

/// The training rows as liblinear sees them: X's rows in the given order, plus the bias feature when fitted.
pub struct Rows<'a> {
    pub x: &'a [f64],
    pub p: usize,
    pub order: &'a [usize],
    pub bias: Option<f64>,
}

impl Rows<'_> {
    /// Length of w: features, plus one for the bias.
    pub fn w_size(&self) -> usize {
        self.p + usize::from(self.bias.is_some())
    }

    fn row(&self, s: usize) -> &[f64] {
        let r = self.order[s];
        &self.x[r * self.p..(r + 1) * self.p]
    }

    /// `start` + wᵀx_s, accumulated in liblinear's order (features, then the bias node).
    fn dot(&self, s: usize, w: &[f64], start: f64) -> f64 {
        let mut sum = start;
        for (v, wj) in self.row(s).iter().zip(w) {
            sum += wj * v;
        }
        if let Some(b) = self.bias {
            sum += w[self.p] * b;
        }
        sum
    }

    /// w += d · x_s.
    fn axpy(&self, s: usize, d: f64, w: &mut [f64]) {
        for (wj, v) in w.iter_mut().zip(self.row(s)) {
            *wj += d * v;
        }
        if let Some(b) = self.bias {
            w[self.p] += d * b;
        }
    }

    fn squared_norm(&self, s: usize, start: f64) -> f64 {
        let mut sum = start;
        for v in self.row(s) {
            sum += v * v;
        }
        if let Some(b) = self.bias {
            sum += b * b;
        }
        sum
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Loss {
    /// hinge / epsilon_insensitive: box-constrained dual, no diagonal term.
    L1,
    /// squared_hinge / squared_epsilon_insensitive: unbounded dual with a diagonal 1/(2C).
    L2,
}

pub struct Settings<'a> {
    pub loss: Loss,
    pub tol: f64,
    pub max_iter: usize,
    pub cancelled: &'a (dyn Fn() -> bool + Sync),
}

/// Shuffles the first `active` entries of `index` as liblinear does at the start of each outer iteration.
fn shuffle(index: &mut [usize], active: usize, rng: &mut NumpyRandomState) {
    for i in 0..active {
        let j = i + rng.bounded((active - i) as u32) as usize;
        index.swap(i, j);
    }
}

fn poll(settings: &Settings) -> Result<()> {
    if (settings.cancelled)() {
        Err(Error::aborted())
    } else {
        Ok(())
    }
}

/// `solve_l2r_l1l2_svc`: `positive[s]` is row s's label; costs `c_pos` / `c_neg`. Returns (w, iterations).
pub fn svc(
    rows: &Rows,
    positive: &[bool],
    c_pos: f64,
    c_neg: f64,
    settings: &Settings,
    rng: &mut NumpyRandomState,
) -> Result<(Vec<f64>, usize)> {
    let l = rows.order.len();
    let y: Vec<f64> = positive.iter().map(|&p| if p { 1.0 } else { -1.0 }).collect();
    let cost: Vec<f64> = positive.iter().map(|&p| if p { c_pos } else { c_neg }).collect();
    let (diag, upper): (Vec<f64>, Vec<f64>) = match settings.loss {
        Loss::L2 => cost.iter().map(|c| (0.5 / c, f64::INFINITY)).unzip(),
        Loss::L1 => cost.iter().map(|&c| (0.0, c)).unzip(),
    };
    let qd: Vec<f64> = (0..l).map(|s| rows.squared_norm(s, diag[s])).collect();
    let mut w = vec![0.0; rows.w_size()];
    let mut alpha = vec![0.0; l];
    let mut index: Vec<usize> = (0..l).collect();
    let mut active = l;
    let (mut pg_max_old, mut pg_min_old) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut iter = 0;
    while iter < settings.max_iter {
        poll(settings)?;
        let (mut pg_max_new, mut pg_min_new) = (f64::NEG_INFINITY, f64::INFINITY);
        shuffle(&mut index, active, rng);
        let mut s = 0;
        while s < active {
            let i = index[s];
            let g = rows.dot(i, &w, 0.0) * y[i] - 1.0 + alpha[i] * diag[i];
            let c = upper[i];
            let mut pg = 0.0;
            if alpha[i] == 0.0 {
                if g > pg_max_old {
                    active -= 1;
                    index.swap(s, active);
                    continue;
                } else if g < 0.0 {
                    pg = g;
                }
            } else if alpha[i] == c {
                if g < pg_min_old {
                    active -= 1;
                    index.swap(s, active);
                    continue;
                } else if g > 0.0 {
                    pg = g;
                }
            } else {
                pg = g;
            }
            pg_max_new = pg_max_new.max(pg);
            pg_min_new = pg_min_new.min(pg);
            if pg.abs() > 1.0e-12 {
                let old = alpha[i];
                alpha[i] = (alpha[i] - g / qd[i]).max(0.0).min(c);
                rows.axpy(i, (alpha[i] - old) * y[i], &mut w);
            }
            s += 1;
        }
        iter += 1;
        if pg_max_new - pg_min_new <= settings.tol {
            if active == l {
                break;
            }
            active = l;
            pg_max_old = f64::INFINITY;
            pg_min_old = f64::NEG_INFINITY;
            continue;
        }
        pg_max_old = if pg_max_new <= 0.0 { f64::INFINITY } else { pg_max_new };
        pg_min_old = if pg_min_new >= 0.0 { f64::NEG_INFINITY } else { pg_min_new };
    }
    Ok((w, iter))
}

/// `solve_l2r_l1l2_svr`: ε-insensitive (`Loss::L1`) or squared (`Loss::L2`) loss with tube `epsilon`.
pub fn svr(
    rows: &Rows,
    target: &[f64],
    c: f64,
    epsilon: f64,
    settings: &Settings,
    rng: &mut NumpyRandomState,
) -> Result<(Vec<f64>, usize)> {
    let l = rows.order.len();
    let (lambda, upper) = match settings.loss {
        Loss::L2 => (0.5 / c, f64::INFINITY),
        Loss::L1 => (0.0, c),
    };
    let qd: Vec<f64> = (0..l).map(|s| rows.squared_norm(s, 0.0)).collect();
    let mut w = vec![0.0; rows.w_size()];
    let mut beta = vec![0.0; l];
    let mut index: Vec<usize> = (0..l).collect();
    let mut active = l;
    let mut g_max_old = f64::INFINITY;
    let mut g_norm1_init = -1.0;
    let mut iter = 0;
    while iter < settings.max_iter {
        poll(settings)?;
        let (mut g_max_new, mut g_norm1_new) = (0.0f64, 0.0);
        shuffle(&mut index, active, rng);
        let mut s = 0;
        while s < active {
            let i = index[s];
            let g = rows.dot(i, &w, -target[i] + lambda * beta[i]);
            let h = qd[i] + lambda;
            let (gp, gn) = (g + epsilon, g - epsilon);
            let mut violation = 0.0;
            if beta[i] == 0.0 {
                if gp < 0.0 {
                    violation = -gp;
                } else if gn > 0.0 {
                    violation = gn;
                } else if gp > g_max_old && gn < -g_max_old {
                    active -= 1;
                    index.swap(s, active);
                    continue;
                }
            } else if beta[i] >= upper {
                if gp > 0.0 {
                    violation = gp;
                } else if gp < -g_max_old {
                    active -= 1;
                    index.swap(s, active);
                    continue;
                }
            } else if beta[i] <= -upper {
                if gn < 0.0 {
                    violation = -gn;
                } else if gn > g_max_old {
                    active -= 1;
                    index.swap(s, active);
                    continue;
                }
            } else if beta[i] > 0.0 {
                violation = gp.abs();
            } else {
                violation = gn.abs();
            }
            g_max_new = g_max_new.max(violation);
            g_norm1_new += violation;
            s += 1;

            // Newton direction, clipped to the box.
            let d = if gp < h * beta[i] {
                -gp / h
            } else if gn > h * beta[i] {
                -gn / h
            } else {
                -beta[i]
            };
            if d.abs() < 1.0e-12 {
                continue;
            }
            let old = beta[i];
            beta[i] = (beta[i] + d).max(-upper).min(upper);
            let step = beta[i] - old;
            if step != 0.0 {
                rows.axpy(i, step, &mut w);
            }
        }
        if iter == 0 {
            g_norm1_init = g_norm1_new;
        }
        iter += 1;
        if g_norm1_new <= settings.tol * g_norm1_init {
            if active == l {
                break;
            }
            active = l;
            g_max_old = f64::INFINITY;
            continue;
        }
        g_max_old = g_max_new;
    }
    Ok((w, iter))
}
