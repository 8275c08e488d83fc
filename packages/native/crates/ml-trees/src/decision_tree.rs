//! scikit-learn 1.2's `DecisionTreeClassifier` / `DecisionTreeRegressor` (PostgresML `decision_tree`): one tree,
//! all rows, splitter "best" (or "random", the extra-trees split). Payload ids 20 (regression) and 21
//! (classification), body in ensemble.rs. Regression fits several targets natively, as sklearn's tree does.

use pgml_ml_core::error::Result;
use pgml_ml_core::estimator::{AlgorithmDef, Fit, FitInput, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec};

use crate::ensemble::TreeEnsemble;
use crate::fit_trees::{fit_ensemble, Sampling};
use crate::params::*;
use crate::splitter::SplitterKind;

const SPLITTER: ParamSpec = ParamSpec::new("splitter", Kind::Choice(&["best", "random"]), Default::Str("best"));

pub const DECISION_TREE_REGRESSOR_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("criterion", Kind::Choice(&["squared_error", "friedman_mse"]), Default::Str("squared_error")),
    SPLITTER,
    MAX_DEPTH,
    MIN_SAMPLES_SPLIT,
    MIN_SAMPLES_LEAF,
    MIN_WEIGHT_FRACTION_LEAF,
    max_features(Default::Null),
    RANDOM_STATE,
    MAX_LEAF_NODES,
    MIN_IMPURITY_DECREASE,
    CCP_ALPHA,
];

pub const DECISION_TREE_CLASSIFIER_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("criterion", Kind::Choice(&["gini", "entropy", "log_loss"]), Default::Str("gini")),
    SPLITTER,
    MAX_DEPTH,
    MIN_SAMPLES_SPLIT,
    MIN_SAMPLES_LEAF,
    MIN_WEIGHT_FRACTION_LEAF,
    max_features(Default::Null),
    RANDOM_STATE,
    MAX_LEAF_NODES,
    MIN_IMPURITY_DECREASE,
    ParamSpec::new("class_weight", Kind::Choice(&["balanced"]), Default::Null).nullable(),
    CCP_ALPHA,
];

fn fit(input: &FitInput, estimator: &str, classifier: bool) -> Result<Fit> {
    let kind = if input.params.str("splitter") == "random" { SplitterKind::Random } else { SplitterKind::Best };
    fit_ensemble(input, estimator, classifier, kind, Sampling::SingleTree)
}

pub const DECISION_TREE_REGRESSOR: AlgorithmDef = AlgorithmDef {
    names: &["decision_tree"],
    task: Task::Regression,
    estimator: "DecisionTreeRegressor",
    id: 20,
    params: DECISION_TREE_REGRESSOR_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| fit(input, "DecisionTreeRegressor", false),
    read: |r| Ok(Box::new(TreeEnsemble::read(r)?)),
};

pub const DECISION_TREE_CLASSIFIER: AlgorithmDef = AlgorithmDef {
    names: &["decision_tree"],
    task: Task::Classification,
    estimator: "DecisionTreeClassifier",
    id: 21,
    params: DECISION_TREE_CLASSIFIER_PARAMS,
    predict_proba: true,
    multi_target: false,
    accepts_nan: false,
    fit: |input| fit(input, "DecisionTreeClassifier", true),
    read: |r| Ok(Box::new(TreeEnsemble::read(r)?)),
};
