//! scikit-learn 1.2's `RandomForestRegressor/Classifier` (PostgresML `random_forest`: bootstrap, best splits over
//! `max_features` random features) and `ExtraTreesRegressor/Classifier` (`extra_trees`: all rows by default, one
//! random threshold per examined feature). Trees are grown in parallel (`n_jobs` is accepted and ignored: rayon
//! uses every core). Payload ids 22/23 (random forest regression/classification) and 24/25 (extra trees), body in
//! ensemble.rs; predict_proba is the mean of the trees' leaf class fractions, as sklearn.

use pgml_ml_core::error::Result;
use pgml_ml_core::estimator::{AlgorithmDef, Fit, FitInput, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Value};

use crate::ensemble::TreeEnsemble;
use crate::fit_trees::{fit_ensemble, Sampling};
use crate::params::*;
use crate::splitter::SplitterKind;

const REGRESSION_CRITERION: ParamSpec =
    ParamSpec::new("criterion", Kind::Choice(&["squared_error", "friedman_mse"]), Default::Str("squared_error"));
const CLASSIFICATION_CRITERION: ParamSpec =
    ParamSpec::new("criterion", Kind::Choice(&["gini", "entropy", "log_loss"]), Default::Str("gini"));
const CLASS_WEIGHT: ParamSpec =
    ParamSpec::new("class_weight", Kind::Choice(&["balanced", "balanced_subsample"]), Default::Null).nullable();
const OOB_SCORE: ParamSpec = ParamSpec::new("oob_score", Kind::Bool, Default::Bool(false));
const MAX_SAMPLES: ParamSpec =
    ParamSpec::new("max_samples", Kind::Float { min: 0.0, exclusive: true }, Default::Null).nullable();
const fn bootstrap(default: bool) -> ParamSpec {
    ParamSpec::new("bootstrap", Kind::Bool, Default::Bool(default))
}

/// sklearn's forest constructor arguments, in its order; the four estimators differ in the criterion, the
/// max_features and bootstrap defaults, and class_weight.
macro_rules! forest_params {
    ($criterion:expr, $max_features:expr, $bootstrap:expr $(, $class_weight:expr)?) => {
        &[
            N_ESTIMATORS,
            $criterion,
            MAX_DEPTH,
            MIN_SAMPLES_SPLIT,
            MIN_SAMPLES_LEAF,
            MIN_WEIGHT_FRACTION_LEAF,
            max_features($max_features),
            MAX_LEAF_NODES,
            MIN_IMPURITY_DECREASE,
            bootstrap($bootstrap),
            OOB_SCORE,
            N_JOBS,
            RANDOM_STATE,
            VERBOSE,
            WARM_START,
            $($class_weight,)?
            CCP_ALPHA,
            MAX_SAMPLES,
        ]
    };
}

pub const RANDOM_FOREST_REGRESSOR_PARAMS: &[ParamSpec] =
    forest_params!(REGRESSION_CRITERION, Default::Number(1.0), true);
pub const RANDOM_FOREST_CLASSIFIER_PARAMS: &[ParamSpec] =
    forest_params!(CLASSIFICATION_CRITERION, Default::Str("sqrt"), true, CLASS_WEIGHT);
pub const EXTRA_TREES_REGRESSOR_PARAMS: &[ParamSpec] =
    forest_params!(REGRESSION_CRITERION, Default::Number(1.0), false);
pub const EXTRA_TREES_CLASSIFIER_PARAMS: &[ParamSpec] =
    forest_params!(CLASSIFICATION_CRITERION, Default::Str("sqrt"), false, CLASS_WEIGHT);

fn fit(input: &FitInput, estimator: &str, classifier: bool, kind: SplitterKind) -> Result<Fit> {
    let params = input.params;
    reject_flag(estimator, params, "oob_score", "out-of-bag scores are not computed natively")?;
    reject_flag(estimator, params, "warm_start", "a native fit always starts from scratch")?;
    let bootstrap = params.bool("bootstrap");
    let max_samples_given = !matches!(params.value("max_samples"), Value::Null);
    if !bootstrap && max_samples_given {
        return Err(invalid(estimator, "max_samples", "cannot be set when bootstrap is false (sklearn raises too)"));
    }
    let draws = if bootstrap { Some(max_samples(estimator, params, input.x.rows())?) } else { None };
    fit_ensemble(
        input,
        estimator,
        classifier,
        kind,
        Sampling::Forest { n_trees: params.usize("n_estimators"), bootstrap: draws },
    )
}

fn read(r: &mut pgml_ml_core::codec::Reader) -> Result<Box<dyn pgml_ml_core::estimator::Fitted>> {
    Ok(Box::new(TreeEnsemble::read(r)?))
}

pub const RANDOM_FOREST_REGRESSOR: AlgorithmDef = AlgorithmDef {
    names: &["random_forest"],
    task: Task::Regression,
    estimator: "RandomForestRegressor",
    id: 22,
    params: RANDOM_FOREST_REGRESSOR_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| fit(input, "RandomForestRegressor", false, SplitterKind::Best),
    read,
};

pub const RANDOM_FOREST_CLASSIFIER: AlgorithmDef = AlgorithmDef {
    names: &["random_forest"],
    task: Task::Classification,
    estimator: "RandomForestClassifier",
    id: 23,
    params: RANDOM_FOREST_CLASSIFIER_PARAMS,
    predict_proba: true,
    multi_target: false,
    accepts_nan: false,
    fit: |input| fit(input, "RandomForestClassifier", true, SplitterKind::Best),
    read,
};

pub const EXTRA_TREES_REGRESSOR: AlgorithmDef = AlgorithmDef {
    names: &["extra_trees"],
    task: Task::Regression,
    estimator: "ExtraTreesRegressor",
    id: 24,
    params: EXTRA_TREES_REGRESSOR_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| fit(input, "ExtraTreesRegressor", false, SplitterKind::Random),
    read,
};

pub const EXTRA_TREES_CLASSIFIER: AlgorithmDef = AlgorithmDef {
    names: &["extra_trees"],
    task: Task::Classification,
    estimator: "ExtraTreesClassifier",
    id: 25,
    params: EXTRA_TREES_CLASSIFIER_PARAMS,
    predict_proba: true,
    multi_target: false,
    accepts_nan: false,
    fit: |input| fit(input, "ExtraTreesClassifier", true, SplitterKind::Random),
    read,
};
