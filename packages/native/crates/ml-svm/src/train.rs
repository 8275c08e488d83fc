//! What SVC and SVR training share: the solver settings from sklearn's hyperparameters and libsvm's
//! `solve_c_svc` / `solve_epsilon_svr` over rows of the caller's X.

use pgml_ml_core::error::Result;
use pgml_ml_core::hyperparams::Params;
use pgml_ml_core::matrix::MatrixView;

use crate::kernel::Kernel;
use crate::qmatrix::{KernelRows, SvcQ, SvrQ};
use crate::solver::{solve, Problem, Solution};

/// A fit's fixed inputs: X, the kernel and libsvm's solver parameters.
pub struct Trainer<'a> {
    pub x: &'a [f64],
    pub p: usize,
    pub kernel: Kernel,
    pub tol: f64,
    pub shrinking: bool,
    pub cache_bytes: f64,
    /// sklearn's `max_iter` (−1 → no limit).
    pub max_iter: Option<usize>,
    pub cancelled: &'a (dyn Fn() -> bool + Sync),
}

impl<'a> Trainer<'a> {
    pub fn new(x: &'a MatrixView<'a>, params: &Params, cancelled: &'a (dyn Fn() -> bool + Sync)) -> Result<Self> {
        let max_iter = params.f64("max_iter");
        Ok(Trainer {
            x: x.data(),
            p: x.cols(),
            kernel: Kernel::from_params(params, x)?,
            tol: params.f64("tol"),
            shrinking: params.bool("shrinking"),
            cache_bytes: params.f64("cache_size") * (1u64 << 20) as f64,
            max_iter: if max_iter < 0.0 { None } else { Some(max_iter as usize) },
            cancelled,
        })
    }

    pub fn row(&self, r: usize) -> &[f64] {
        &self.x[r * self.p..(r + 1) * self.p]
    }

    /// libsvm's `solve_c_svc` on rows `positive` (y = +1, bound `c_pos`) followed by `negative` (y = −1,
    /// `c_neg`). α comes back signed (α_i y_i), in that row order.
    pub fn c_svc(&self, positive: &[usize], negative: &[usize], c_pos: f64, c_neg: f64) -> Result<Solution> {
        let rows: Vec<usize> = positive.iter().chain(negative).copied().collect();
        let y: Vec<i8> = (0..rows.len()).map(|k| if k < positive.len() { 1 } else { -1 }).collect();
        let c: Vec<f64> = y.iter().map(|&yi| if yi > 0 { c_pos } else { c_neg }).collect();
        let l = rows.len();
        let mut q = SvcQ::new(KernelRows::new(self.kernel, self.x, self.p, rows), y.clone(), self.cache_bytes);
        let problem = Problem {
            p: &vec![-1.0; l],
            y: &y,
            alpha: vec![0.0; l],
            c: &c,
            eps: self.tol,
            shrinking: self.shrinking,
            max_iter: self.max_iter,
        };
        let mut solution = solve(&mut q, problem, self.cancelled)?;
        solution.alpha.iter_mut().zip(&y).for_each(|(a, &yi)| *a *= f64::from(yi));
        Ok(solution)
    }

    /// libsvm's `solve_epsilon_svr` on all rows: α comes back as α⁺ − α⁻ per row.
    pub fn epsilon_svr(&self, target: &[f64], c: f64, epsilon: f64) -> Result<Solution> {
        let l = target.len();
        let linear: Vec<f64> = target.iter().map(|t| epsilon - t).chain(target.iter().map(|t| epsilon + t)).collect();
        let y: Vec<i8> = (0..2 * l).map(|k| if k < l { 1 } else { -1 }).collect();
        let mut q = SvrQ::new(KernelRows::new(self.kernel, self.x, self.p, (0..l).collect()), self.cache_bytes);
        let problem = Problem {
            p: &linear,
            y: &y,
            alpha: vec![0.0; 2 * l],
            c: &vec![c; 2 * l],
            eps: self.tol,
            shrinking: self.shrinking,
            max_iter: self.max_iter,
        };
        let mut solution = solve(&mut q, problem, self.cancelled)?;
        let alpha = (0..l).map(|i| solution.alpha[i] - solution.alpha[i + l]).collect();
        solution.alpha = alpha;
        Ok(solution)
    }
}
