//! libsvm's SMO solver (Fan, Chen & Lin, JMLR 2005): second-order working-set selection, shrinking with gradient
//! reconstruction, and libsvm's ρ. Solves
//!
//!   min ½ αᵀQα + pᵀα   s.t.  yᵀα = δ,  0 ≤ α_i ≤ C_i
//!
//! step for step as libsvm does, so the same data gives the same α and ρ up to rounding.

use pgml_ml_core::error::{Error, Result};

use crate::qmatrix::QMatrix;

const TAU: f64 = 1e-12;
/// How often (iterations) the caller's cancellation flag is polled.
pub(crate) const CANCEL_POLL: usize = 1000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    Lower,
    Upper,
    Free,
}

pub struct Solution {
    /// α in the caller's variable order.
    pub alpha: Vec<f64>,
    pub rho: f64,
    pub objective: f64,
    pub n_iter: usize,
    /// Stopped by `max_iter` (sklearn warns) rather than by the tolerance.
    pub hit_max_iter: bool,
}

pub struct Problem<'a> {
    pub p: &'a [f64],
    pub y: &'a [i8],
    pub alpha: Vec<f64>,
    pub c: &'a [f64],
    pub eps: f64,
    pub shrinking: bool,
    pub max_iter: Option<usize>,
}

struct Solver<'q, Q: QMatrix> {
    q: &'q mut Q,
    l: usize,
    active_size: usize,
    y: Vec<i8>,
    g: Vec<f64>,
    g_bar: Vec<f64>,
    bound: Vec<Bound>,
    alpha: Vec<f64>,
    c: Vec<f64>,
    p: Vec<f64>,
    active_set: Vec<usize>,
    eps: f64,
    unshrink: bool,
}

pub fn solve<Q: QMatrix>(q: &mut Q, problem: Problem, cancelled: &(dyn Fn() -> bool + Sync)) -> Result<Solution> {
    let l = problem.y.len();
    let mut s = Solver {
        q,
        l,
        active_size: l,
        y: problem.y.to_vec(),
        g: problem.p.to_vec(),
        g_bar: vec![0.0; l],
        bound: vec![Bound::Free; l],
        alpha: problem.alpha,
        c: problem.c.to_vec(),
        p: problem.p.to_vec(),
        active_set: (0..l).collect(),
        eps: problem.eps,
        unshrink: false,
    };
    (0..l).for_each(|i| s.update_bound(i));
    for i in 0..l {
        if s.bound[i] != Bound::Lower {
            let q_i = s.q.column(i, l);
            let alpha_i = s.alpha[i];
            s.g.iter_mut().zip(q_i.iter()).for_each(|(g, &q)| *g += alpha_i * f64::from(q));
            if s.bound[i] == Bound::Upper {
                let c_i = s.c[i];
                s.g_bar.iter_mut().zip(q_i.iter()).for_each(|(g, &q)| *g += c_i * f64::from(q));
            }
        }
    }

    let mut iter = 0;
    let mut counter = l.min(1000) + 1;
    let mut hit_max_iter = false;
    loop {
        if problem.max_iter.is_some_and(|m| iter >= m) {
            hit_max_iter = true;
            break;
        }
        counter -= 1;
        if counter == 0 {
            counter = l.min(1000);
            if problem.shrinking {
                s.do_shrinking();
            }
        }
        if iter % CANCEL_POLL == 0 && cancelled() {
            return Err(Error::aborted());
        }
        let (i, j) = match s.select_working_set() {
            Some(pair) => pair,
            None => {
                s.reconstruct_gradient();
                s.active_size = l;
                match s.select_working_set() {
                    Some(pair) => {
                        counter = 1; // shrink at the next iteration
                        pair
                    }
                    None => break,
                }
            }
        };
        iter += 1;
        s.take_step(i, j);
    }

    let rho = s.calculate_rho();
    let objective = (0..l).map(|i| s.alpha[i] * (s.g[i] + s.p[i])).sum::<f64>() / 2.0;
    let mut alpha = vec![0.0; l];
    for i in 0..l {
        alpha[s.active_set[i]] = s.alpha[i];
    }
    Ok(Solution { alpha, rho, objective, n_iter: iter, hit_max_iter })
}

impl<Q: QMatrix> Solver<'_, Q> {
    fn update_bound(&mut self, i: usize) {
        self.bound[i] = if self.alpha[i] >= self.c[i] {
            Bound::Upper
        } else if self.alpha[i] <= 0.0 {
            Bound::Lower
        } else {
            Bound::Free
        };
    }

    fn swap_index(&mut self, i: usize, j: usize) {
        self.q.swap_index(i, j);
        self.y.swap(i, j);
        self.g.swap(i, j);
        self.bound.swap(i, j);
        self.alpha.swap(i, j);
        self.p.swap(i, j);
        self.active_set.swap(i, j);
        self.g_bar.swap(i, j);
        self.c.swap(i, j);
    }

    /// Updates α_i, α_j along the feasible direction (clipped to the box) and the gradient.
    fn take_step(&mut self, i: usize, j: usize) {
        let active = self.active_size;
        let q_i = self.q.column(i, active);
        let q_j = self.q.column(j, active);
        let qd = self.q.diagonal();
        let (c_i, c_j) = (self.c[i], self.c[j]);
        let (old_i, old_j) = (self.alpha[i], self.alpha[j]);
        let (mut ai, mut aj) = (old_i, old_j);
        if self.y[i] != self.y[j] {
            let mut quad = qd[i] + qd[j] + 2.0 * f64::from(q_i[j]);
            if quad <= 0.0 {
                quad = TAU;
            }
            let delta = (-self.g[i] - self.g[j]) / quad;
            let diff = ai - aj;
            ai += delta;
            aj += delta;
            if diff > 0.0 {
                if aj < 0.0 {
                    aj = 0.0;
                    ai = diff;
                }
            } else if ai < 0.0 {
                ai = 0.0;
                aj = -diff;
            }
            if diff > c_i - c_j {
                if ai > c_i {
                    ai = c_i;
                    aj = c_i - diff;
                }
            } else if aj > c_j {
                aj = c_j;
                ai = c_j + diff;
            }
        } else {
            let mut quad = qd[i] + qd[j] - 2.0 * f64::from(q_i[j]);
            if quad <= 0.0 {
                quad = TAU;
            }
            let delta = (self.g[i] - self.g[j]) / quad;
            let sum = ai + aj;
            ai -= delta;
            aj += delta;
            if sum > c_i {
                if ai > c_i {
                    ai = c_i;
                    aj = sum - c_i;
                }
            } else if aj < 0.0 {
                aj = 0.0;
                ai = sum;
            }
            if sum > c_j {
                if aj > c_j {
                    aj = c_j;
                    ai = sum - c_j;
                }
            } else if ai < 0.0 {
                ai = 0.0;
                aj = sum;
            }
        }
        self.alpha[i] = ai;
        self.alpha[j] = aj;

        let (d_i, d_j) = (ai - old_i, aj - old_j);
        for ((g, &qi), &qj) in self.g[..active].iter_mut().zip(q_i.iter()).zip(q_j.iter()) {
            *g += f64::from(qi) * d_i + f64::from(qj) * d_j;
        }
        drop((q_i, q_j));

        for (k, c_k) in [(i, c_i), (j, c_j)] {
            let was_upper = self.bound[k] == Bound::Upper;
            self.update_bound(k);
            if was_upper != (self.bound[k] == Bound::Upper) {
                let q_k = self.q.column(k, self.l);
                let sign = if was_upper { -c_k } else { c_k };
                self.g_bar.iter_mut().zip(q_k.iter()).for_each(|(g, &q)| *g += sign * f64::from(q));
            }
        }
    }

    /// WSS3: i maximises −y_i ∇f_i over I_up; j minimises the second-order decrease over I_low. `None` when the
    /// maximal violation is below eps (optimal on the active set).
    fn select_working_set(&mut self) -> Option<(usize, usize)> {
        let mut gmax = f64::NEG_INFINITY;
        let mut gmax2 = f64::NEG_INFINITY;
        let mut gmax_idx = None;
        let mut gmin_idx = None;
        let mut obj_diff_min = f64::INFINITY;
        for t in 0..self.active_size {
            if self.y[t] == 1 {
                if self.bound[t] != Bound::Upper && -self.g[t] >= gmax {
                    gmax = -self.g[t];
                    gmax_idx = Some(t);
                }
            } else if self.bound[t] != Bound::Lower && self.g[t] >= gmax {
                gmax = self.g[t];
                gmax_idx = Some(t);
            }
        }
        let q_i = gmax_idx.map(|i| self.q.column(i, self.active_size));
        let qd = self.q.diagonal();
        for j in 0..self.active_size {
            let (grad_diff, q_ij_sign) = if self.y[j] == 1 {
                if self.bound[j] == Bound::Lower {
                    continue;
                }
                if self.g[j] >= gmax2 {
                    gmax2 = self.g[j];
                }
                (gmax + self.g[j], -1.0)
            } else {
                if self.bound[j] == Bound::Upper {
                    continue;
                }
                if -self.g[j] >= gmax2 {
                    gmax2 = -self.g[j];
                }
                (gmax - self.g[j], 1.0)
            };
            if grad_diff > 0.0 {
                // gmax is finite here, so i exists.
                let (Some(i), Some(q_i)) = (gmax_idx, q_i.as_ref()) else { continue };
                let quad = qd[i] + qd[j] + q_ij_sign * 2.0 * f64::from(self.y[i]) * f64::from(q_i[j]);
                let obj_diff = -(grad_diff * grad_diff) / if quad > 0.0 { quad } else { TAU };
                if obj_diff <= obj_diff_min {
                    gmin_idx = Some(j);
                    obj_diff_min = obj_diff;
                }
            }
        }
        if gmax + gmax2 < self.eps {
            return None;
        }
        Some((gmax_idx?, gmin_idx?))
    }

    fn be_shrunk(&self, i: usize, gmax1: f64, gmax2: f64) -> bool {
        match self.bound[i] {
            Bound::Upper => -self.g[i] > if self.y[i] == 1 { gmax1 } else { gmax2 },
            Bound::Lower => self.g[i] > if self.y[i] == 1 { gmax2 } else { gmax1 },
            Bound::Free => false,
        }
    }

    fn do_shrinking(&mut self) {
        let mut gmax1 = f64::NEG_INFINITY; // max −y_i ∇f_i over I_up
        let mut gmax2 = f64::NEG_INFINITY; // max y_i ∇f_i over I_low
        for i in 0..self.active_size {
            let (g, bound) = (self.g[i], self.bound[i]);
            if self.y[i] == 1 {
                if bound != Bound::Upper && -g >= gmax1 {
                    gmax1 = -g;
                }
                if bound != Bound::Lower && g >= gmax2 {
                    gmax2 = g;
                }
            } else {
                if bound != Bound::Upper && -g >= gmax2 {
                    gmax2 = -g;
                }
                if bound != Bound::Lower && g >= gmax1 {
                    gmax1 = g;
                }
            }
        }
        if !self.unshrink && gmax1 + gmax2 <= self.eps * 10.0 {
            self.unshrink = true;
            self.reconstruct_gradient();
            self.active_size = self.l;
        }
        let mut i = 0;
        while i < self.active_size {
            if self.be_shrunk(i, gmax1, gmax2) {
                self.active_size -= 1;
                while self.active_size > i {
                    if !self.be_shrunk(self.active_size, gmax1, gmax2) {
                        self.swap_index(i, self.active_size);
                        break;
                    }
                    self.active_size -= 1;
                }
            }
            i += 1;
        }
    }

    /// Recomputes ∇f of the inactive variables from G_bar and the free variables.
    fn reconstruct_gradient(&mut self) {
        let (l, active) = (self.l, self.active_size);
        if active == l {
            return;
        }
        for j in active..l {
            self.g[j] = self.g_bar[j] + self.p[j];
        }
        let nr_free = (0..active).filter(|&j| self.bound[j] == Bound::Free).count();
        if nr_free * l > 2 * active * (l - active) {
            for i in active..l {
                let q_i = self.q.column(i, active);
                let mut g = self.g[i];
                for j in 0..active {
                    if self.bound[j] == Bound::Free {
                        g += self.alpha[j] * f64::from(q_i[j]);
                    }
                }
                self.g[i] = g;
            }
        } else {
            for i in 0..active {
                if self.bound[i] == Bound::Free {
                    let q_i = self.q.column(i, l);
                    let alpha_i = self.alpha[i];
                    for j in active..l {
                        self.g[j] += alpha_i * f64::from(q_i[j]);
                    }
                }
            }
        }
    }

    fn calculate_rho(&self) -> f64 {
        let (mut nr_free, mut sum_free) = (0usize, 0.0);
        let (mut ub, mut lb) = (f64::INFINITY, f64::NEG_INFINITY);
        for i in 0..self.active_size {
            let yg = f64::from(self.y[i]) * self.g[i];
            match (self.bound[i], self.y[i] == 1) {
                (Bound::Upper, false) | (Bound::Lower, true) => ub = ub.min(yg),
                (Bound::Upper, true) | (Bound::Lower, false) => lb = lb.max(yg),
                (Bound::Free, _) => {
                    nr_free += 1;
                    sum_free += yg;
                }
            }
        }
        if nr_free > 0 {
            sum_free / nr_free as f64
        } else {
            (ub + lb) / 2.0
        }
    }
}
