//! scikit-learn 1.2's `SVR` (libsvm ε-SVR, the 2l-variable dual solved by the same SMO). One model per target
//! column (`wrap_multi_target`), as sklearn's SVR is single-target.
//!
//! Payload body (id 51), per target inside the multi-target wrapper: the kernel (`Kernel::write`),
//! `u32 n_features, u32 n_sv, f64 support_vectors[n_sv × n_features], f64 dual_coef[n_sv], f64 rho`.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, Fit, FitInfo, FitInput, Fitted, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec};
use pgml_ml_core::lapack;
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::{read_multi_target, wrap_multi_target};

use crate::kernel::{row_norms, Kernel};
use crate::svc::KERNELS;
use crate::train::Trainer;

pub const SVR: AlgorithmDef = AlgorithmDef {
    names: &["svm"],
    task: Task::Regression,
    estimator: "SVR",
    id: 51,
    params: SVR_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| wrap_multi_target(input, fit_one),
    read: |r| read_multi_target(r, |r| Ok(Box::new(SvrModel::read(r)?))),
};

pub const SVR_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("kernel", Kind::Choice(KERNELS), Default::Str("rbf")),
    ParamSpec::new("degree", Kind::Int { min: 0 }, Default::Number(3.0)),
    ParamSpec::new(
        "gamma",
        Kind::FloatOrChoice { min: 0.0, exclusive: false, choices: &["scale", "auto"] },
        Default::Str("scale"),
    ),
    ParamSpec::new("coef0", Kind::Float { min: f64::NEG_INFINITY, exclusive: false }, Default::Number(0.0)),
    ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1e-3)),
    ParamSpec::new("C", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1.0)),
    ParamSpec::new("epsilon", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.1)),
    ParamSpec::new("shrinking", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("cache_size", Kind::Float { min: 0.0, exclusive: true }, Default::Number(200.0)),
    ParamSpec::new("verbose", Kind::Bool, Default::Bool(false)),
    ParamSpec::new("max_iter", Kind::Int { min: -1 }, Default::Number(-1.0)),
];

#[derive(Debug, Clone, PartialEq)]
pub struct SvrModel {
    pub kernel: Kernel,
    pub n_features: usize,
    pub support_vectors: Vec<f64>,
    pub dual_coef: Vec<f64>,
    pub rho: f64,
    sv_norms: Vec<f64>,
}

impl SvrModel {
    pub fn new(kernel: Kernel, n_features: usize, support_vectors: Vec<f64>, dual_coef: Vec<f64>, rho: f64) -> Self {
        let sv_norms = row_norms(&kernel, &support_vectors, n_features);
        SvrModel { kernel, n_features, support_vectors, dual_coef, rho, sv_norms }
    }

    pub fn read(r: &mut Reader) -> Result<Self> {
        let kernel = Kernel::read(r)?;
        let n_features = r.dim("n_features")?;
        let n_sv = r.u32()? as usize;
        let support_vectors =
            r.f64s("support vectors", n_sv.checked_mul(n_features).ok_or_else(|| Error::corrupt("size overflows"))?)?;
        let dual_coef = r.f64s("dual coefficients", n_sv)?;
        let rho = r.f64s("rho", 1)?[0];
        if !support_vectors.iter().chain(&dual_coef).all(|v| v.is_finite()) || !rho.is_finite() {
            return Err(Error::corrupt("SVR parameters are not finite"));
        }
        Ok(SvrModel::new(kernel, n_features, support_vectors, dual_coef, rho))
    }
}

fn fit_one(input: &FitInput) -> Result<Fit> {
    let params = input.params;
    let ticking = input.ticking("iterations", 0, crate::solver::CANCEL_POLL);
    let trainer = Trainer::new(input.x, params, &ticking)?;
    let solution = trainer.epsilon_svr(input.y()?.data(), params.f64("C"), params.f64("epsilon"))?;
    let mut support_vectors = Vec::new();
    let mut dual_coef = Vec::new();
    for (row, &a) in solution.alpha.iter().enumerate() {
        if a != 0.0 {
            support_vectors.extend_from_slice(trainer.row(row));
            dual_coef.push(a);
        }
    }
    let model = SvrModel::new(trainer.kernel, trainer.p, support_vectors, dual_coef, solution.rho);
    Ok((Box::new(model), FitInfo { n_iter: Some(solution.n_iter), converged: !solution.hit_max_iter }))
}

impl Fitted for SvrModel {
    fn n_features(&self) -> usize {
        self.n_features
    }
    fn n_outputs(&self) -> usize {
        1
    }
    fn n_classes(&self) -> Option<usize> {
        None
    }

    /// Σ coef_s K(x, sv_s) − ρ.
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let n_sv = self.dual_coef.len();
        let mut out = vec![0.0; x.rows()];
        self.kernel.for_blocks(x, &self.support_vectors, &self.sv_norms, &mut out, 1, |k, block| {
            if n_sv > 0 {
                lapack::gemm(false, false, block.len(), 1, n_sv, 1.0, k, &self.dual_coef, 0.0, block)?;
            }
            block.iter_mut().for_each(|v| *v -= self.rho);
            Ok(())
        })?;
        Ok(out)
    }

    fn write(&self, w: &mut Writer) {
        self.kernel.write(w);
        w.u32(self.n_features as u32);
        w.u32(self.dual_coef.len() as u32);
        w.f64s(&self.support_vectors);
        w.f64s(&self.dual_coef);
        w.f64s(&[self.rho]);
    }
}
