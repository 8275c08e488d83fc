//! scikit-learn 1.2's HistGradientBoosting hyperparameters: names, defaults and ranges, and their reading into the
//! boosting `Settings`. Options this implementation does not compute (categorical features, monotonic or interaction
//! constraints, class weights, scorers other than the loss) accept only their default `None`/`"loss"`, so a request
//! for them is an INVALID_HYPERPARAMETER error rather than a silently different model. `warm_start` and `verbose`
//! are accepted and have no effect on a single fit.

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Params, Value};

use crate::boosting::Settings;
use crate::grower::GrowerParams;
use crate::splitter::SplitRules;
use crate::validation_split::ValidationSize;

/// sklearn enables `early_stopping="auto"` above this many rows.
const AUTO_EARLY_STOPPING_ROWS: usize = 10_000;

macro_rules! shared_params {
    ($($first:expr),* $(,)?) => {
        &[
            $($first,)*
            ParamSpec::new("learning_rate", Kind::Float { min: 0.0, exclusive: true }, Default::Number(0.1)),
            ParamSpec::new("max_iter", Kind::Int { min: 1 }, Default::Number(100.0)),
            ParamSpec::new("max_leaf_nodes", Kind::Int { min: 2 }, Default::Number(31.0)).nullable(),
            ParamSpec::new("max_depth", Kind::Int { min: 1 }, Default::Null).nullable(),
            ParamSpec::new("min_samples_leaf", Kind::Int { min: 1 }, Default::Number(20.0)),
            ParamSpec::new("l2_regularization", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.0)),
            ParamSpec::new("max_bins", Kind::Int { min: 2 }, Default::Number(255.0)).at_most(255.0),
            ParamSpec::new("categorical_features", Kind::Choice(&[]), Default::Null).nullable(),
            ParamSpec::new("monotonic_cst", Kind::Choice(&[]), Default::Null).nullable(),
            ParamSpec::new("interaction_cst", Kind::Choice(&[]), Default::Null).nullable(),
            ParamSpec::new("warm_start", Kind::Bool, Default::Bool(false)),
            ParamSpec::new("early_stopping", Kind::BoolOrChoice(&["auto"]), Default::Str("auto")),
            ParamSpec::new("scoring", Kind::Choice(&["loss"]), Default::Str("loss")),
            ParamSpec::new("validation_fraction", Kind::Float { min: 0.0, exclusive: true }, Default::Number(0.1)).nullable(),
            ParamSpec::new("n_iter_no_change", Kind::Int { min: 1 }, Default::Number(10.0)),
            ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: false }, Default::Number(1e-7)),
            ParamSpec::new("verbose", Kind::Int { min: 0 }, Default::Number(0.0)),
            ParamSpec::new("random_state", Kind::Int { min: 0 }, Default::Null).nullable(),
        ]
    };
}

pub const REGRESSOR_PARAMS: &[ParamSpec] = shared_params![
    ParamSpec::new("loss", Kind::Choice(&["squared_error"]), Default::Str("squared_error")),
    ParamSpec::new("quantile", Kind::Choice(&[]), Default::Null).nullable(),
];

/// "auto" is sklearn 1.2's deprecated alias of "log_loss".
pub const CLASSIFIER_PARAMS: &[ParamSpec] = shared_params![
    ParamSpec::new("loss", Kind::Choice(&["log_loss", "auto"]), Default::Str("log_loss")),
    ParamSpec::new("class_weight", Kind::Choice(&[]), Default::Null).nullable(),
];

fn optional_count(params: &Params, name: &str) -> Option<usize> {
    match params.value(name) {
        Value::Number(n) => Some(*n as usize),
        _ => None,
    }
}

/// The boosting settings for a fit on `n_rows` rows, with the range checks `ParamSpec` cannot express.
pub fn settings(params: &Params, n_rows: usize) -> Result<Settings> {
    let max_bins = params.usize("max_bins");
    let random_state = match params.value("random_state") {
        Value::Number(n) if *n > u32::MAX as f64 => {
            return Err(Error::hyperparameter(format!("hyperparameter \"random_state\" must be below 2^32, got {n}")))
        }
        Value::Number(n) => Some(*n as u32),
        _ => None,
    };
    let validation = match params.value("validation_fraction") {
        Value::Number(f) if *f < 1.0 => Some(ValidationSize::Fraction(*f)),
        Value::Number(r) if r.fract() == 0.0 => Some(ValidationSize::Rows(*r as usize)),
        Value::Number(bad) => {
            return Err(Error::hyperparameter(format!(
                "hyperparameter \"validation_fraction\" must be a fraction in (0, 1) or a row count, got {bad}"
            )))
        }
        _ => None,
    };
    let early_stopping = match params.value("early_stopping") {
        Value::Bool(on) => *on,
        _ => n_rows > AUTO_EARLY_STOPPING_ROWS,
    };
    Ok(Settings {
        grower: GrowerParams {
            rules: SplitRules {
                min_samples_leaf: params.usize("min_samples_leaf"),
                l2_regularization: params.f64("l2_regularization"),
                constant_hessian: false,
            },
            max_leaf_nodes: optional_count(params, "max_leaf_nodes"),
            max_depth: optional_count(params, "max_depth"),
            learning_rate: params.f64("learning_rate"),
        },
        max_iter: params.usize("max_iter"),
        max_bins,
        early_stopping: early_stopping.then_some(validation),
        n_iter_no_change: params.usize("n_iter_no_change"),
        tol: params.f64("tol"),
        random_state,
    })
}
