//! scikit-learn 1.2's `LinearSVC` (dual, L2-regularised squared hinge or hinge, one-vs-rest) and `LinearSVR`
//! (dual, ε-insensitive or squared ε-insensitive), trained by liblinear's coordinate descent with sklearn's random
//! coordinate order. Both keep liblinear's treatment of the intercept: an extra feature of value
//! `intercept_scaling`, regularised with the weights, reported as `intercept_scaling · w_bias`.
//!
//! Payload bodies: LinearSVC (id 52) `u32 n_classes, u32 n_trained, u32 classes[n_trained]` then the
//! `LinearModel` body (one row for two trained classes, else one per class); LinearSVR (id 53) the multi-target
//! wrapper around one `LinearModel` body per target.

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, Fit, FitInfo, FitInput, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Params};
use pgml_ml_core::labels::encode_labels;
use pgml_ml_core::mt19937::NumpyRandomState;
use pgml_ml_core::{read_multi_target, wrap_multi_target};
use pgml_ml_linear::linear_classifier::{LinearClassifier, Link};
use pgml_ml_linear::linear_model::LinearModel;

use crate::liblinear::{self, Loss, Rows, Settings};
use crate::svc::{class_costs, random_state, sklearn_seed};

pub const LINEAR_SVC: AlgorithmDef = AlgorithmDef {
    names: &["linear_svm"],
    task: Task::Classification,
    estimator: "LinearSVC",
    id: 52,
    params: LINEAR_SVC_PARAMS,
    predict_proba: false,
    multi_target: false,
    accepts_nan: false,
    fit: fit_svc,
    read: |r| Ok(Box::new(LinearClassifier::read(r, Link::Hinge)?)),
};

pub const LINEAR_SVR: AlgorithmDef = AlgorithmDef {
    names: &["linear_svm"],
    task: Task::Regression,
    estimator: "LinearSVR",
    id: 53,
    params: LINEAR_SVR_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| wrap_multi_target(input, fit_svr_one),
    read: |r| read_multi_target(r, LinearModel::read_boxed),
};

pub const LINEAR_SVC_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("penalty", Kind::Choice(&["l2"]), Default::Str("l2")),
    ParamSpec::new("loss", Kind::Choice(&["squared_hinge", "hinge"]), Default::Str("squared_hinge")),
    // Only the dual solvers are native: dual=false (liblinear's trust-region primal) is rejected at fit.
    ParamSpec::new("dual", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1e-4)),
    ParamSpec::new("C", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1.0)),
    ParamSpec::new("multi_class", Kind::Choice(&["ovr"]), Default::Str("ovr")),
    ParamSpec::new("fit_intercept", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("intercept_scaling", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1.0)),
    ParamSpec::new("class_weight", Kind::Choice(&["balanced"]), Default::Null).nullable(),
    ParamSpec::new("verbose", Kind::Int { min: 0 }, Default::Number(0.0)),
    ParamSpec::new("random_state", Kind::Int { min: 0 }, Default::Null).nullable(),
    ParamSpec::new("max_iter", Kind::Int { min: 0 }, Default::Number(1000.0)),
];

pub const LINEAR_SVR_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("epsilon", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.0)),
    ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1e-4)),
    ParamSpec::new("C", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1.0)),
    ParamSpec::new(
        "loss",
        Kind::Choice(&["epsilon_insensitive", "squared_epsilon_insensitive"]),
        Default::Str("epsilon_insensitive"),
    ),
    ParamSpec::new("fit_intercept", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("intercept_scaling", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1.0)),
    ParamSpec::new("dual", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("verbose", Kind::Int { min: 0 }, Default::Number(0.0)),
    ParamSpec::new("random_state", Kind::Int { min: 0 }, Default::Null).nullable(),
    ParamSpec::new("max_iter", Kind::Int { min: 0 }, Default::Number(1000.0)),
];

fn settings<'a>(params: &Params, loss: Loss, cancelled: &'a (dyn Fn() -> bool + Sync)) -> Result<Settings<'a>> {
    if !params.bool("dual") {
        return Err(Error::hyperparameter(
            "dual=false (liblinear's primal solver) is not supported natively; use dual=true or the python runtime",
        ));
    }
    Ok(Settings { loss, tol: params.f64("tol"), max_iter: params.usize("max_iter"), cancelled })
}

fn bias(params: &Params) -> Option<f64> {
    params.bool("fit_intercept").then(|| params.f64("intercept_scaling"))
}

/// Splits liblinear's w (features, then the bias weight) into coef and sklearn's intercept.
fn split_w(w: &[f64], p: usize, bias: Option<f64>) -> (Vec<f64>, f64) {
    (w[..p].to_vec(), bias.map_or(0.0, |b| b * w[p]))
}

fn fit_svc(input: &FitInput) -> Result<Fit> {
    let params = input.params;
    let loss = if params.str("loss") == "hinge" { Loss::L1 } else { Loss::L2 };
    let (classes, positions) = encode_labels(input.y()?.data(), input.n_classes)?;
    let k = classes.len();
    // liblinear groups rows by class (stable), and each one-vs-rest problem sees them in that order.
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by_key(|&r| positions[r]);
    let grouped_class: Vec<usize> = order.iter().map(|&r| positions[r]).collect();
    let counts: Vec<usize> = (0..k).map(|c| grouped_class.iter().filter(|&&g| g == c).count()).collect();
    let costs = class_costs(params, &counts);
    let rows = Rows { x: input.x.data(), p: input.x.cols(), order: &order, bias: bias(params) };
    let settings = settings(params, loss, input.cancelled)?;
    // One generator for the whole fit: the one-vs-rest problems run in sequence and share its stream.
    let mut rng = NumpyRandomState::new(sklearn_seed(random_state(params)?));
    let p = rows.p;
    let (mut coef, mut intercept, mut n_iter) = (Vec::new(), Vec::new(), Vec::new());
    let problems: Vec<usize> = if k == 2 { vec![1] } else { (0..k).collect() };
    for &positive_class in &problems {
        let positive: Vec<bool> = grouped_class.iter().map(|&c| c == positive_class).collect();
        let c_neg = if k == 2 { costs[0] } else { params.f64("C") };
        let (w, iter) = liblinear::svc(&rows, &positive, costs[positive_class], c_neg, &settings, &mut rng)?;
        let (w_coef, b) = split_w(&w, p, rows.bias);
        coef.extend(w_coef);
        intercept.push(b);
        n_iter.push(iter);
    }
    let max_iter = params.usize("max_iter");
    let n_iter = n_iter.into_iter().max();
    let info = FitInfo { n_iter, converged: n_iter.is_some_and(|n| n < max_iter) };
    let model = LinearClassifier {
        link: Link::Hinge,
        n_classes: input.n_classes,
        classes,
        linear: LinearModel { n_features: p, coef, intercept },
    };
    Ok((Box::new(model), info))
}

fn fit_svr_one(input: &FitInput) -> Result<Fit> {
    let params = input.params;
    let loss = if params.str("loss") == "epsilon_insensitive" { Loss::L1 } else { Loss::L2 };
    let order: Vec<usize> = (0..input.x.rows()).collect();
    let rows = Rows { x: input.x.data(), p: input.x.cols(), order: &order, bias: bias(params) };
    let mut rng = NumpyRandomState::new(sklearn_seed(random_state(params)?));
    let settings = settings(params, loss, input.cancelled)?;
    let (w, iter) =
        liblinear::svr(&rows, input.y()?.data(), params.f64("C"), params.f64("epsilon"), &settings, &mut rng)?;
    let (coef, b) = split_w(&w, rows.p, rows.bias);
    let model = LinearModel { n_features: rows.p, coef, intercept: vec![b] };
    Ok((Box::new(model), FitInfo { n_iter: Some(iter), converged: iter < params.usize("max_iter") }))
}
