//! scikit-learn's `cd_fast.enet_coordinate_descent` (dense X, no Gram), statement for statement, so Lasso and
//! ElasticNet stop at the same iteration with the same coefficients:
//!
//! minimise ½‖y − Xw‖² + l1·‖w‖₁ + ½·l2·‖w‖²  (sklearn passes l1 = α·ρ·n, l2 = α·(1−ρ)·n)
//!
//! One sweep updates every coordinate by soft-thresholding against the residual; when the largest update of a sweep
//! is below `tol` × the largest coefficient (or on the last sweep), the duality gap is computed and the solver stops
//! once it is below `tol · ‖y‖²`.

use pgml_ml_core::mt19937::NumpyRandomState;

/// sklearn's `RAND_R_MAX` (tree/_utils.pxd): the seed of the feature-order generator is drawn below it.
const RAND_R_MAX: u32 = 0x7FFF_FFFF;

/// The feature-order generator of `selection='random'`: sklearn's `our_rand_r` xorshift, seeded from numpy's
/// `RandomState(random_state).randint(0, RAND_R_MAX)`.
pub struct FeatureOrder {
    state: u32,
}

impl FeatureOrder {
    pub fn new(numpy: &mut NumpyRandomState) -> Self {
        FeatureOrder { state: numpy.randint(RAND_R_MAX as usize) as u32 }
    }

    /// `rand_int(end)`: `our_rand_r() % end`.
    fn next_below(&mut self, end: usize) -> usize {
        if self.state == 0 {
            self.state = 1;
        }
        self.state ^= self.state << 13;
        self.state ^= self.state >> 17;
        self.state ^= self.state << 5;
        ((self.state % (RAND_R_MAX + 1)) as usize) % end
    }
}

pub struct Problem<'a> {
    /// n × p, column-major (each feature contiguous, as sklearn's Fortran-ordered X).
    pub x_columns: &'a [f64],
    pub y: &'a [f64],
    pub l1: f64,
    pub l2: f64,
    pub max_iter: usize,
    pub tol: f64,
    pub positive: bool,
}

pub struct Solution {
    pub w: Vec<f64>,
    pub gap: f64,
    pub n_iter: usize,
    pub converged: bool,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    // Four independent sums so the loop vectorises; BLAS ddot (what sklearn calls) also reassociates.
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// y += a·x
fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    y.iter_mut().zip(x).for_each(|(yi, xi)| *yi += a * xi);
}

/// The duality gap of the current w with residual r = y − Xw (sklearn's stopping quantity).
fn duality_gap(p: &Problem, w: &[f64], r: &[f64]) -> f64 {
    let n = p.y.len();
    let mut dual_norm = 0.0f64;
    for (j, column) in p.x_columns.chunks_exact(n).enumerate() {
        let xta = dot(column, r) - p.l2 * w[j];
        dual_norm = dual_norm.max(if p.positive { xta } else { xta.abs() });
    }
    let r_norm2 = dot(r, r);
    let w_norm2 = dot(w, w);
    let (scale, mut gap) = if dual_norm > p.l1 {
        let scale = p.l1 / dual_norm;
        (scale, 0.5 * (r_norm2 + r_norm2 * scale * scale))
    } else {
        (1.0, r_norm2)
    };
    let l1_norm: f64 = w.iter().map(|v| v.abs()).sum();
    gap += p.l1 * l1_norm - scale * dot(r, p.y) + 0.5 * p.l2 * (1.0 + scale * scale) * w_norm2;
    gap
}

pub fn enet_coordinate_descent(
    p: &Problem,
    mut order: Option<FeatureOrder>,
    cancelled: &dyn Fn() -> bool,
) -> Option<Solution> {
    let n = p.y.len();
    let features = p.x_columns.len() / n;
    let column = |j: usize| &p.x_columns[j * n..(j + 1) * n];
    let norms: Vec<f64> = (0..features).map(|j| dot(column(j), column(j))).collect();
    let mut w = vec![0.0; features];
    let mut r = p.y.to_vec();
    let gap_tol = p.tol * dot(p.y, p.y);
    let mut gap = gap_tol + 1.0;
    for iteration in 0..p.max_iter {
        if iteration % 16 == 0 && cancelled() {
            return None;
        }
        let (mut w_max, mut d_w_max) = (0.0f64, 0.0f64);
        for f in 0..features {
            let j = match order.as_mut() {
                Some(order) => order.next_below(features),
                None => f,
            };
            if norms[j] == 0.0 {
                continue;
            }
            let w_old = w[j];
            if w_old != 0.0 {
                axpy(w_old, column(j), &mut r);
            }
            let tmp = dot(column(j), &r);
            w[j] = if p.positive && tmp < 0.0 {
                0.0
            } else {
                tmp.signum() * (tmp.abs() - p.l1).max(0.0) / (norms[j] + p.l2)
            };
            if w[j] != 0.0 {
                axpy(-w[j], column(j), &mut r);
            }
            d_w_max = d_w_max.max((w[j] - w_old).abs());
            w_max = w_max.max(w[j].abs());
        }
        if w_max == 0.0 || d_w_max / w_max < p.tol || iteration == p.max_iter - 1 {
            gap = duality_gap(p, &w, &r);
            if gap < gap_tol {
                return Some(Solution { w, gap, n_iter: iteration + 1, converged: true });
            }
        }
    }
    Some(Solution { w, gap, n_iter: p.max_iter, converged: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_thresholds_an_orthogonal_design() {
        // Orthogonal columns with ‖x_j‖² = 2: the lasso solution is soft-thresholding of Xᵀy / 2.
        let x_columns = [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, -1.0];
        let y = [3.0, 3.0, 0.5, -0.5];
        let p = Problem { x_columns: &x_columns, y: &y, l1: 1.0, l2: 0.0, max_iter: 100, tol: 1e-10, positive: false };
        let s = enet_coordinate_descent(&p, None, &|| false).unwrap();
        assert!(s.converged);
        assert!((s.w[0] - 2.5).abs() < 1e-12 && s.w[1] == 0.0, "{:?}", s.w);
        // Ridge part shrinks by 1/(‖x‖² + l2).
        let p = Problem { l1: 0.0, l2: 2.0, ..p };
        let s = enet_coordinate_descent(&p, None, &|| false).unwrap();
        assert!((s.w[0] - 1.5).abs() < 1e-12 && (s.w[1] - 0.25).abs() < 1e-12, "{:?}", s.w);
    }

    #[test]
    fn random_feature_order_is_sklearns_xorshift() {
        // our_rand_r from seed 1: 270369, 67634689, 2647435461 (mod 2^31 → 499951813).
        let mut order = FeatureOrder { state: 1 };
        assert_eq!(order.next_below(1 << 31), 270_369);
        assert_eq!(order.next_below(1 << 31), 67_634_689);
        assert_eq!(order.next_below(1 << 31), 499_951_813);
    }
}
