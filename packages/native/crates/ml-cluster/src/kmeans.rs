//! scikit-learn 1.2's `KMeans`: `n_init` runs of k-means++ (or random) seeding + Lloyd iterations on X minus its
//! column means, the run with the lowest inertia kept (a run replaces the best only if its clustering differs, as in
//! sklearn). Seeding draws from numpy's MT19937 exactly as sklearn does, so an integer `random_state` starts from the
//! same rows as scikit-learn.

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, FitInfo, FitInput, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Params, Value};
use pgml_ml_core::mt19937::NumpyRandomState;
use pgml_ml_core::rng::Rng;
use pgml_ml_core::{Fit, MatrixView};

use crate::blocks::Points;
use crate::centroids::Centroids;
use crate::init::{initial_centers, Init};
use crate::lloyd;

pub const KMEANS: AlgorithmDef = AlgorithmDef {
    names: &["kmeans"],
    task: Task::Clustering,
    estimator: "KMeans",
    id: 70,
    params: KMEANS_PARAMS,
    predict_proba: false,
    multi_target: false,
    accepts_nan: false,
    fit: fit_kmeans,
    read: Centroids::read_boxed,
};

pub const KMEANS_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("n_clusters", Kind::Int { min: 1 }, Default::Number(8.0)),
    ParamSpec::new("init", Kind::Choice(&["k-means++", "random"]), Default::Str("k-means++")),
    // sklearn 1.2's default is 'warn', which means 10 (and warns that 1.4 changes it to 'auto').
    ParamSpec::new(
        "n_init",
        Kind::FloatOrChoice { min: 1.0, exclusive: false, choices: &["auto", "warn"] },
        Default::Number(10.0),
    ),
    ParamSpec::new("max_iter", Kind::Int { min: 1 }, Default::Number(300.0)),
    ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: false }, Default::Number(1e-4)),
    ParamSpec::new("verbose", Kind::Int { min: 0 }, Default::Number(0.0)),
    ParamSpec::new("random_state", Kind::Int { min: 0 }, Default::Null).nullable(),
    // X is never modified here, so copy_x changes nothing.
    ParamSpec::new("copy_x", Kind::Bool, Default::Bool(true)),
    // 'auto' and 'full' are sklearn 1.2's deprecated aliases of 'lloyd'.
    ParamSpec::new("algorithm", Kind::Choice(&["lloyd", "elkan", "auto", "full"]), Default::Str("lloyd")),
];

/// sklearn's `random_state` as a numpy seed: an integer below 2³², or a fresh seed for `None`.
pub fn random_state(params: &Params) -> Result<NumpyRandomState> {
    match params.value("random_state") {
        Value::Number(n) if *n <= f64::from(u32::MAX) => Ok(NumpyRandomState::new(*n as u32)),
        Value::Number(n) => {
            Err(Error::hyperparameter(format!("random_state must be below 2^32 (numpy's seed range), got {n}")))
        }
        _ => Ok(NumpyRandomState::new(Rng::from_random_state(None).next_u64() as u32)),
    }
}

/// `n_init` resolved as sklearn does: an integer, 'auto' (1 run for k-means++, `default` for random) or 'warn'.
pub fn n_init(params: &Params, init: Init, default: usize) -> Result<usize> {
    match params.value("n_init") {
        Value::Number(n) if n.fract() == 0.0 => Ok(*n as usize),
        Value::Number(n) => Err(Error::hyperparameter(format!("n_init must be an integer or 'auto', got {n}"))),
        Value::Str(s) if s == "auto" && init == Init::KMeansPlusPlus => Ok(1),
        _ => Ok(default),
    }
}

/// sklearn checks `n_samples >= n_clusters` before fitting.
pub fn check_cluster_count(x: &MatrixView, k: usize) -> Result<()> {
    if x.rows() < k {
        return Err(Error::invalid(format!("n_samples={} should be >= n_clusters={k}", x.rows())));
    }
    Ok(())
}

/// sklearn's `_tolerance`: `tol` times the mean of the per-feature variances (`means` are X's column means).
pub fn tolerance(x: &MatrixView, means: &[f64], tol: f64) -> f64 {
    if tol == 0.0 {
        return 0.0;
    }
    let mut squares = vec![0.0; x.cols()];
    for row in x.data().chunks_exact(x.cols()) {
        for ((s, v), m) in squares.iter_mut().zip(row).zip(means) {
            *s += (v - m) * (v - m);
        }
    }
    squares.iter().sum::<f64>() / (x.rows() * x.cols()) as f64 * tol
}

fn fit_kmeans(input: &FitInput) -> Result<Fit> {
    let p = input.params;
    let (x, k) = (input.x, p.usize("n_clusters"));
    check_cluster_count(x, k)?;
    let init = Init::parse(p.str("init"));
    let runs = n_init(p, init, 10)?;
    let mut rng = random_state(p)?;
    let means = x.column_means();
    let tol = tolerance(x, &means, p.f64("tol"));
    let points = Points::new(x.data(), x.cols(), Some(&means));
    let norms = points.squared_norms();
    let mut best: Option<lloyd::Run> = None;
    for _ in 0..runs {
        input.check_cancelled()?;
        let start = initial_centers(init, &points, &norms, k, &mut rng);
        let run = lloyd::run(input, &points, start, p.usize("max_iter"), tol)?;
        let better = match &best {
            None => true,
            Some(b) => run.inertia < b.inertia && !lloyd::same_clustering(&run.labels, &b.labels, k),
        };
        if better {
            best = Some(run);
        }
    }
    let best = best.ok_or_else(|| Error::hyperparameter("n_init must be at least 1"))?;
    let d = x.cols();
    let centers: Vec<f64> =
        best.centers.chunks_exact(d).flat_map(|c| c.iter().zip(&means).map(|(v, m)| v + m)).collect();
    let info = FitInfo { n_iter: Some(best.n_iter), converged: best.n_iter < p.usize("max_iter") };
    Ok((Box::new(Centroids { n_features: d, centers, inertia: best.inertia }), info))
}
