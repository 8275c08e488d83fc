//! scikit-learn 1.2's `PCA` with the full SVD (`_fit_full`): center X, SVD (LAPACK dgesdd, as scipy.linalg.svd),
//! `svd_flip`'s sign convention (the largest-|u| entry of each left singular vector is positive), explained variance
//! S²/(n−1). `n_components` is all of min(n, p), an integer, or a fraction of variance to explain. `predict` is
//! `transform`: (X − mean) · componentsᵀ, divided by √explained_variance when `whiten`.
//!
//! Payload body (id 72): `u32 n_features, u32 n_components, u32 whiten (0|1), f64 mean[n_features],
//! f64 components[n_components × n_features] (row-major), f64 explained_variance[n_components],
//! f64 explained_variance_ratio[n_components]`.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, FitInfo, FitInput, Fitted, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Value};
use pgml_ml_core::{lapack, Fit, ImportanceKind, Importances, MatrixView};

use crate::tall_svd::centered_svd_tall;

pub const PCA: AlgorithmDef = AlgorithmDef {
    names: &["pca"],
    task: Task::Decomposition,
    estimator: "PCA",
    id: 72,
    params: PCA_PARAMS,
    predict_proba: false,
    multi_target: false,
    accepts_nan: false,
    fit: fit_pca,
    read: Pca::read_boxed,
};

pub const PCA_PARAMS: &[ParamSpec] = &[
    // An integer ≥ 1, or a fraction in (0, 1) of the variance to keep; null keeps min(n_samples, n_features).
    ParamSpec::new("n_components", Kind::Float { min: 0.0, exclusive: true }, Default::Null).nullable(),
    ParamSpec::new("copy", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("whiten", Kind::Bool, Default::Bool(false)),
    // Always the full SVD: 'auto' may pick sklearn's randomized solver for large X, whose result approximates it.
    ParamSpec::new("svd_solver", Kind::Choice(&["auto", "full"]), Default::Str("auto")),
    // The remaining parameters only tune the arpack/randomized solvers; accepted so sklearn hyperparameters load.
    ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.0)),
    ParamSpec::new(
        "iterated_power",
        Kind::FloatOrChoice { min: 0.0, exclusive: false, choices: &["auto"] },
        Default::Str("auto"),
    ),
    ParamSpec::new("n_oversamples", Kind::Int { min: 1 }, Default::Number(10.0)),
    ParamSpec::new("power_iteration_normalizer", Kind::Choice(&["auto", "QR", "LU", "none"]), Default::Str("auto")),
    ParamSpec::new("random_state", Kind::Int { min: 0 }, Default::Null).nullable(),
];

#[derive(Clone, Debug, PartialEq)]
pub struct Pca {
    pub n_features: usize,
    pub mean: Vec<f64>,
    /// n_components × n_features, row-major (sklearn's `components_`).
    pub components: Vec<f64>,
    pub explained_variance: Vec<f64>,
    pub explained_variance_ratio: Vec<f64>,
    pub whiten: bool,
}

/// How many components sklearn keeps: all, an integer, or the fewest whose cumulative ratio exceeds a fraction.
fn component_count(requested: &Value, ratios: &[f64], max: usize) -> Result<usize> {
    match requested {
        Value::Number(f) if *f < 1.0 => {
            let mut cumulative = 0.0;
            let below = ratios.iter().take_while(|r| {
                cumulative += *r;
                cumulative <= *f
            });
            Ok((below.count() + 1).min(ratios.len()))
        }
        Value::Number(k) if k.fract() != 0.0 => {
            Err(Error::hyperparameter(format!("n_components must be an integer or a fraction in (0, 1), got {k}")))
        }
        Value::Number(k) if *k as usize > max => Err(Error::hyperparameter(format!(
            "n_components={k} must be between 0 and min(n_samples, n_features)={max} with svd_solver='full'"
        ))),
        Value::Number(k) => Ok(*k as usize),
        _ => Ok(max),
    }
}

/// sklearn's `svd_flip(u, vt)`: each row of vt takes the sign that makes its u column's largest-|·| entry positive.
pub(crate) fn svd_flip(u: &[f64], vt: &mut [f64], k: usize) {
    let p = vt.len() / k;
    for j in 0..k {
        let mut best = 0.0f64;
        let mut sign = 1.0;
        for row in u.chunks_exact(k) {
            if row[j].abs() > best {
                best = row[j].abs();
                sign = if row[j] < 0.0 { -1.0 } else { 1.0 };
            }
        }
        vt[j * p..][..p].iter_mut().for_each(|v| *v *= sign);
    }
}

/// Tall X is factorized block-wise (tall_svd.rs) to avoid n × p copies; smaller X goes through the same dgesdd call
/// as scipy, so results match sklearn's to rounding.
const TALL_VALUES: usize = 1 << 20;

/// Singular values and sign-flipped right singular vectors of X − mean.
fn centered_svd(x: &MatrixView, mean: &[f64]) -> Result<(Vec<f64>, Vec<f64>)> {
    let (n, p) = (x.rows(), x.cols());
    if n >= 2 * p && n * p > TALL_VALUES {
        return centered_svd_tall(x, mean);
    }
    let svd = lapack::svd(&x.centered(mean), n, p)?;
    let mut vt = svd.vt;
    svd_flip(&svd.u, &mut vt, svd.k);
    Ok((svd.s, vt))
}

fn fit_pca(input: &FitInput) -> Result<Fit> {
    let x = input.x;
    let (n, p) = (x.rows(), x.cols());
    if n < 2 {
        return Err(Error::data("PCA needs at least 2 samples (explained variance divides by n_samples - 1)"));
    }
    input.check_cancelled()?;
    let mean = x.column_means();
    let (singular_values, vt) = centered_svd(x, &mean)?;
    // A closed-form fit: the SVD cannot be interrupted, but a cancelled fit stops at its boundaries.
    input.check_cancelled()?;
    let k = singular_values.len();
    let variance: Vec<f64> = singular_values.iter().map(|s| s * s / (n - 1) as f64).collect();
    let total: f64 = variance.iter().sum();
    let ratio: Vec<f64> = variance.iter().map(|v| v / total).collect();
    let kept = component_count(input.params.value("n_components"), &ratio, k)?;
    let model = Pca {
        n_features: p,
        mean,
        components: vt[..kept * p].to_vec(),
        explained_variance: variance[..kept].to_vec(),
        explained_variance_ratio: ratio[..kept].to_vec(),
        whiten: input.params.bool("whiten"),
    };
    Ok((Box::new(model), FitInfo::CLOSED_FORM))
}

impl Pca {
    pub fn n_components(&self) -> usize {
        self.explained_variance.len()
    }

    pub fn read_boxed(r: &mut Reader) -> Result<Box<dyn Fitted>> {
        let n_features = r.dim("n_features")?;
        let n_components = r.dim("n_components")?;
        let whiten = match r.u32()? {
            0 => false,
            1 => true,
            other => return Err(Error::corrupt(format!("whiten flag is {other}"))),
        };
        let mean = r.f64s("mean", n_features)?;
        let components = r.f64s(
            "components",
            n_components.checked_mul(n_features).ok_or_else(|| Error::corrupt("components size overflows"))?,
        )?;
        let explained_variance = r.f64s("explained_variance", n_components)?;
        let explained_variance_ratio = r.f64s("explained_variance_ratio", n_components)?;
        Ok(Box::new(Pca { n_features, mean, components, explained_variance, explained_variance_ratio, whiten }))
    }
}

impl Fitted for Pca {
    fn n_features(&self) -> usize {
        self.n_features
    }
    fn n_outputs(&self) -> usize {
        self.n_components()
    }
    fn n_classes(&self) -> Option<usize> {
        None
    }
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let (n, c) = (x.rows(), self.n_components());
        // (X − mean)·Cᵀ = X·Cᵀ − mean·Cᵀ: one dgemm over X without a centered copy.
        let shift: Vec<f64> = self
            .components
            .chunks_exact(self.n_features)
            .map(|comp| -comp.iter().zip(&self.mean).map(|(a, b)| a * b).sum::<f64>())
            .collect();
        let mut out = shift.repeat(n);
        lapack::gemm(false, true, n, c, self.n_features, 1.0, x.data(), &self.components, 1.0, &mut out)?;
        if self.whiten {
            let scale: Vec<f64> = self.explained_variance.iter().map(|v| v.sqrt()).collect();
            out.chunks_exact_mut(c).for_each(|row| row.iter_mut().zip(&scale).for_each(|(v, s)| *v /= s));
        }
        Ok(out)
    }
    /// `components_`: the linear map `transform` applies, one row per component.
    fn feature_importances(&self) -> Option<Importances> {
        let outputs = (0..self.n_components() as u32).map(Some).collect();
        Some(Importances { kind: ImportanceKind::Coefficients, values: self.components.clone(), outputs })
    }
    fn write(&self, w: &mut Writer) {
        w.u32(self.n_features as u32);
        w.u32(self.n_components() as u32);
        w.u32(u32::from(self.whiten));
        w.f64s(&self.mean);
        w.f64s(&self.components);
        w.f64s(&self.explained_variance);
        w.f64s(&self.explained_variance_ratio);
    }
}
