//! Unconstrained L-BFGS as scipy runs it (`minimize(method="L-BFGS-B")` without bounds, the Fortran L-BFGS-B 3.0
//! code): two-loop recursion with memory `m` and initial scaling θ = yᵀy / sᵀy, the Moré–Thuente line search
//! (MINPACK-2 `dcsrch`/`dcstep`, ftol 1e-3, gtol 0.9, xtol 0.1), first step 1/‖g‖, memory reset when the line search
//! fails, and scipy's stopping rules in scipy's order: iteration limit, ‖g‖∞ ≤ pgtol, relative reduction ≤ ftol.
//! Following the same path as scipy is what makes the fitted coefficients agree with sklearn's to tolerance.

use std::collections::VecDeque;

use pgml_ml_core::error::{Error, Result};

#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// scipy `maxcor`.
    pub memory: usize,
    /// scipy `maxiter`: iterations (accepted steps), not function evaluations.
    pub max_iter: usize,
    /// scipy `gtol` (`pgtol`): stop when max |gradient| ≤ this.
    pub pgtol: f64,
    /// scipy `ftol`: stop when (f_k − f_k+1) / max(|f_k|, |f_k+1|, 1) ≤ this.
    pub ftol: f64,
    /// scipy `maxls`: function evaluations per line search.
    pub max_line_search: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { memory: 10, max_iter: 15000, pgtol: 1e-5, ftol: 1e7 * f64::EPSILON, max_line_search: 20 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Termination {
    Gradient,
    RelativeReduction,
    /// Not converged: sklearn's ConvergenceWarning case; the iterate is still the best point found.
    MaxIter,
    /// The line search failed with an empty memory (scipy "ABNORMAL_TERMINATION_IN_LNSRCH").
    LineSearch,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub x: Vec<f64>,
    pub n_iter: usize,
    pub termination: Termination,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, v| m.max(v.abs()))
}

struct Pair {
    s: Vec<f64>,
    y: Vec<f64>,
    rho: f64,
}

/// d = −H·g, H the L-BFGS inverse Hessian approximation with H₀ = (sᵀy / yᵀy)·I of the newest pair.
fn direction(g: &[f64], history: &VecDeque<Pair>) -> Vec<f64> {
    let mut q: Vec<f64> = g.iter().map(|v| -v).collect();
    let Some(newest) = history.back() else { return q };
    let mut alphas = vec![0.0; history.len()];
    for (pair, alpha) in history.iter().zip(alphas.iter_mut()).rev() {
        *alpha = pair.rho * dot(&pair.s, &q);
        q.iter_mut().zip(&pair.y).for_each(|(qi, yi)| *qi -= *alpha * yi);
    }
    let gamma = 1.0 / (newest.rho * dot(&newest.y, &newest.y));
    q.iter_mut().for_each(|v| *v *= gamma);
    for (pair, alpha) in history.iter().zip(&alphas) {
        let beta = pair.rho * dot(&pair.y, &q);
        q.iter_mut().zip(&pair.s).for_each(|(qi, si)| *qi += (alpha - beta) * si);
    }
    q
}

/// Minimises `fg` (returns f, writes the gradient into its second argument) from `x0`.
/// `cancelled` is polled once per iteration.
pub fn minimize<F>(mut fg: F, x0: Vec<f64>, options: &Options, cancelled: &dyn Fn() -> bool) -> Result<Outcome>
where
    F: FnMut(&[f64], &mut [f64]) -> Result<f64>,
{
    let n = x0.len();
    let mut x = x0;
    let mut g = vec![0.0; n];
    let mut f = fg(&x, &mut g)?;
    if !f.is_finite() {
        return Err(Error::data("the objective is not finite at the starting point"));
    }
    if max_abs(&g) <= options.pgtol {
        return Ok(Outcome { x, n_iter: 0, termination: Termination::Gradient });
    }
    let mut history: VecDeque<Pair> = VecDeque::with_capacity(options.memory);
    let mut n_iter = 0;
    let (mut x_old, mut g_old) = (vec![0.0; n], vec![0.0; n]);
    loop {
        if cancelled() {
            return Err(Error::aborted());
        }
        let d = direction(&g, &history);
        let gd_old = dot(&g, &d);
        let f_old = f;
        x_old.copy_from_slice(&x);
        g_old.copy_from_slice(&g);
        let mut step = if n_iter == 0 { (1.0 / dot(&d, &d).sqrt()).min(STEP_MAX) } else { 1.0 };
        let mut accepted = false;
        if gd_old < 0.0 {
            let mut search = LineSearch::start(f, gd_old, step);
            for _ in 0..options.max_line_search {
                x.iter_mut().zip(&x_old).zip(&d).for_each(|((xi, x0), di)| *xi = x0 + step * di);
                f = fg(&x, &mut g)?;
                if !f.is_finite() {
                    // Treat overflow like a failed line search: back off to the previous iterate.
                    break;
                }
                match search.next(f, dot(&g, &d), &mut step) {
                    Status::Evaluate => continue,
                    Status::Done => {
                        accepted = true;
                        break;
                    }
                }
            }
        }
        if !accepted {
            x.copy_from_slice(&x_old);
            g.copy_from_slice(&g_old);
            f = f_old;
            if history.is_empty() {
                return Ok(Outcome { x, n_iter: n_iter + 1, termination: Termination::LineSearch });
            }
            history.clear();
            continue;
        }
        n_iter += 1;
        if n_iter >= options.max_iter {
            return Ok(Outcome { x, n_iter, termination: Termination::MaxIter });
        }
        if max_abs(&g) <= options.pgtol {
            return Ok(Outcome { x, n_iter, termination: Termination::Gradient });
        }
        if f_old - f <= options.ftol * f_old.abs().max(f.abs()).max(1.0) {
            return Ok(Outcome { x, n_iter, termination: Termination::RelativeReduction });
        }
        let s: Vec<f64> = x.iter().zip(&x_old).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g.iter().zip(&g_old).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        // L-BFGS-B skips pairs without enough curvature: sᵀy ≤ ε·(−sᵀg_old).
        if sy > f64::EPSILON * (-gd_old * step) {
            if history.len() == options.memory {
                history.pop_front();
            }
            history.push_back(Pair { s, y, rho: 1.0 / sy });
        }
    }
}

/// L-BFGS-B's step bound when no variable is bounded.
const STEP_MAX: f64 = 1e10;
const FTOL: f64 = 1e-3;
const GTOL: f64 = 0.9;
const XTOL: f64 = 0.1;

enum Status {
    Evaluate,
    Done,
}

/// MINPACK-2 `dcsrch` as a state machine: `next` takes f and f' at the current step and either accepts it or
/// writes the next trial step. stpmin = 0, stpmax = `STEP_MAX`.
struct LineSearch {
    bracketed: bool,
    stage1: bool,
    f_init: f64,
    g_test: f64,
    width: f64,
    width1: f64,
    stx: f64,
    fx: f64,
    gx: f64,
    sty: f64,
    fy: f64,
    gy: f64,
    st_min: f64,
    st_max: f64,
    g_init: f64,
}

impl LineSearch {
    fn start(f: f64, g: f64, step: f64) -> Self {
        let width = STEP_MAX;
        LineSearch {
            bracketed: false,
            stage1: true,
            f_init: f,
            g_init: g,
            g_test: FTOL * g,
            width,
            width1: width / 0.5,
            stx: 0.0,
            fx: f,
            gx: g,
            sty: 0.0,
            fy: f,
            gy: g,
            st_min: 0.0,
            st_max: step + 4.0 * step,
        }
    }

    fn next(&mut self, f: f64, g: f64, stp: &mut f64) -> Status {
        let f_test = self.f_init + *stp * self.g_test;
        if self.stage1 && f <= f_test && g >= 0.0 {
            self.stage1 = false;
        }
        // Warnings (rounding errors, xtol, step bounds) end the search with the current point, as in dcsrch.
        if self.bracketed && (*stp <= self.st_min || *stp >= self.st_max) {
            return Status::Done;
        }
        if self.bracketed && self.st_max - self.st_min <= XTOL * self.st_max {
            return Status::Done;
        }
        if *stp == STEP_MAX && f <= f_test && g <= self.g_test {
            return Status::Done;
        }
        if *stp == 0.0 && (f > f_test || g >= self.g_test) {
            return Status::Done;
        }
        if f <= f_test && g.abs() <= GTOL * (-self.g_init) {
            return Status::Done;
        }
        if self.stage1 && f <= self.fx && f > f_test {
            // Modified function ψ(stp) = f − stp·g_test while no sufficient decrease has been seen.
            let gt = self.g_test;
            let mut fxm = self.fx - self.stx * gt;
            let mut fym = self.fy - self.sty * gt;
            let mut gxm = self.gx - gt;
            let mut gym = self.gy - gt;
            let fm = f - *stp * gt;
            let gm = g - gt;
            step(
                &mut self.stx,
                &mut fxm,
                &mut gxm,
                &mut self.sty,
                &mut fym,
                &mut gym,
                stp,
                fm,
                gm,
                &mut self.bracketed,
                self.st_min,
                self.st_max,
            );
            self.fx = fxm + self.stx * gt;
            self.fy = fym + self.sty * gt;
            self.gx = gxm + gt;
            self.gy = gym + gt;
        } else {
            step(
                &mut self.stx,
                &mut self.fx,
                &mut self.gx,
                &mut self.sty,
                &mut self.fy,
                &mut self.gy,
                stp,
                f,
                g,
                &mut self.bracketed,
                self.st_min,
                self.st_max,
            );
        }
        if self.bracketed {
            if (self.sty - self.stx).abs() >= 0.66 * self.width1 {
                *stp = self.stx + 0.5 * (self.sty - self.stx);
            }
            self.width1 = self.width;
            self.width = (self.sty - self.stx).abs();
            self.st_min = self.stx.min(self.sty);
            self.st_max = self.stx.max(self.sty);
        } else {
            self.st_min = *stp + 1.1 * (*stp - self.stx);
            self.st_max = *stp + 4.0 * (*stp - self.stx);
        }
        *stp = stp.clamp(0.0, STEP_MAX);
        if self.bracketed
            && (*stp <= self.st_min || *stp >= self.st_max || self.st_max - self.st_min <= XTOL * self.st_max)
        {
            *stp = self.stx;
        }
        Status::Evaluate
    }
}

/// MINPACK-2 `dcstep`: safeguarded cubic/quadratic step and update of the interval of uncertainty [stx, sty].
#[allow(clippy::too_many_arguments)]
fn step(
    stx: &mut f64,
    fx: &mut f64,
    dx: &mut f64,
    sty: &mut f64,
    fy: &mut f64,
    dy: &mut f64,
    stp: &mut f64,
    fp: f64,
    dp: f64,
    bracketed: &mut bool,
    stpmin: f64,
    stpmax: f64,
) {
    let sgnd = dp * (*dx / dx.abs());
    let stpf;
    if fp > *fx {
        let theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        let s = theta.abs().max(dx.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dx / s) * (dp / s)).sqrt();
        if *stp < *stx {
            gamma = -gamma;
        }
        let p = (gamma - *dx) + theta;
        let q = ((gamma - *dx) + gamma) + dp;
        let stpc = *stx + (p / q) * (*stp - *stx);
        let stpq = *stx + ((*dx / ((*fx - fp) / (*stp - *stx) + *dx)) / 2.0) * (*stp - *stx);
        stpf = if (stpc - *stx).abs() < (stpq - *stx).abs() { stpc } else { stpc + (stpq - stpc) / 2.0 };
        *bracketed = true;
    } else if sgnd < 0.0 {
        let theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        let s = theta.abs().max(dx.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dx / s) * (dp / s)).sqrt();
        if *stp > *stx {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = ((gamma - dp) + gamma) + *dx;
        let stpc = *stp + (p / q) * (*stx - *stp);
        let stpq = *stp + (dp / (dp - *dx)) * (*stx - *stp);
        stpf = if (stpc - *stp).abs() > (stpq - *stp).abs() { stpc } else { stpq };
        *bracketed = true;
    } else if dp.abs() < dx.abs() {
        let theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        let s = theta.abs().max(dx.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dx / s) * (dp / s)).max(0.0).sqrt();
        if *stp > *stx {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = (gamma + (*dx - dp)) + gamma;
        let r = p / q;
        let stpc = if r < 0.0 && gamma != 0.0 {
            *stp + r * (*stx - *stp)
        } else if *stp > *stx {
            stpmax
        } else {
            stpmin
        };
        let stpq = *stp + (dp / (dp - *dx)) * (*stx - *stp);
        if *bracketed {
            let pick = if (stpc - *stp).abs() < (stpq - *stp).abs() { stpc } else { stpq };
            stpf =
                if *stp > *stx { pick.min(*stp + 0.66 * (*sty - *stp)) } else { pick.max(*stp + 0.66 * (*sty - *stp)) };
        } else {
            let pick = if (stpc - *stp).abs() > (stpq - *stp).abs() { stpc } else { stpq };
            stpf = pick.min(stpmax).max(stpmin);
        }
    } else if *bracketed {
        let theta = 3.0 * (fp - *fy) / (*sty - *stp) + *dy + dp;
        let s = theta.abs().max(dy.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dy / s) * (dp / s)).sqrt();
        if *stp > *sty {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = ((gamma - dp) + gamma) + *dy;
        stpf = *stp + (p / q) * (*sty - *stp);
    } else if *stp > *stx {
        stpf = stpmax;
    } else {
        stpf = stpmin;
    }
    if fp > *fx {
        *sty = *stp;
        *fy = fp;
        *dy = dp;
    } else {
        if sgnd < 0.0 {
            *sty = *stx;
            *fy = *fx;
            *dy = *dx;
        }
        *stx = *stp;
        *fx = fp;
        *dx = dp;
    }
    *stp = stpf;
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgml_ml_core::ErrorKind;

    fn rosenbrock(x: &[f64], g: &mut [f64]) -> Result<f64> {
        let mut f = 0.0;
        g.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..x.len() - 1 {
            let a = x[i + 1] - x[i] * x[i];
            let b = 1.0 - x[i];
            f += 100.0 * a * a + b * b;
            g[i] += -400.0 * x[i] * a - 2.0 * b;
            g[i + 1] += 200.0 * a;
        }
        Ok(f)
    }

    #[test]
    fn minimizes_rosenbrock() {
        let options = Options { pgtol: 1e-8, ftol: 0.0, ..Options::default() };
        let out = minimize(rosenbrock, vec![-1.2, 1.0, -1.2, 1.0, 0.5], &options, &|| false).unwrap();
        assert_eq!(out.termination, Termination::Gradient);
        for v in &out.x {
            assert!((v - 1.0).abs() < 1e-6, "{:?}", out.x);
        }
        // scipy needs 30–50 iterations here; a broken line search or two-loop recursion needs hundreds.
        assert!(out.n_iter < 80, "{} iterations", out.n_iter);
    }

    #[test]
    fn quadratic_converges_and_limits_hold() {
        let diag = [1.0, 10.0, 100.0, 1000.0];
        let quad = |x: &[f64], g: &mut [f64]| -> Result<f64> {
            let mut f = 0.0;
            for i in 0..x.len() {
                g[i] = diag[i] * (x[i] - 1.0);
                f += 0.5 * diag[i] * (x[i] - 1.0).powi(2);
            }
            Ok(f)
        };
        let out = minimize(quad, vec![0.0; 4], &Options { pgtol: 1e-10, ftol: 0.0, ..Options::default() }, &|| false)
            .unwrap();
        assert_eq!(out.termination, Termination::Gradient);
        let out = minimize(quad, vec![0.0; 4], &Options { max_iter: 2, pgtol: 0.0, ..Options::default() }, &|| false)
            .unwrap();
        assert_eq!((out.termination, out.n_iter), (Termination::MaxIter, 2));
        let err = minimize(quad, vec![0.0; 4], &Options::default(), &|| true).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Aborted);
    }
}
