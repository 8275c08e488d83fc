//! sklearn's tree hyperparameters, shared by every estimator of the family, their resolution into `TreeRules` once
//! the data's shape is known (as `BaseDecisionTree.fit` resolves them), and `random_state` as numpy's RandomState.
//!
//! JS numbers cannot tell sklearn's int from float, so count-or-fraction parameters read a value ≤ 1 as a fraction
//! and a larger one as a count (which must then be an integer). The only value where sklearn differs is exactly 1 for
//! `max_features` and `max_samples`: sklearn's int 1 means one feature/sample, here 1 means all (its float 1.0).

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Params, Value};
use pgml_ml_core::mt19937::NumpyRandomState;

use crate::builder::GrowRules;
use crate::splitter::{SplitRules, SplitterKind};

const POSITIVE: Kind = Kind::Float { min: 0.0, exclusive: true };
const NON_NEGATIVE: Kind = Kind::Float { min: 0.0, exclusive: false };

pub const MAX_DEPTH: ParamSpec = ParamSpec::new("max_depth", Kind::Int { min: 1 }, Default::Null).nullable();
pub const MIN_SAMPLES_SPLIT: ParamSpec = ParamSpec::new("min_samples_split", POSITIVE, Default::Number(2.0));
pub const MIN_SAMPLES_LEAF: ParamSpec = ParamSpec::new("min_samples_leaf", POSITIVE, Default::Number(1.0));
pub const MIN_WEIGHT_FRACTION_LEAF: ParamSpec =
    ParamSpec::new("min_weight_fraction_leaf", NON_NEGATIVE, Default::Number(0.0)).at_most(0.5);
pub const MAX_LEAF_NODES: ParamSpec = ParamSpec::new("max_leaf_nodes", Kind::Int { min: 2 }, Default::Null).nullable();
pub const MIN_IMPURITY_DECREASE: ParamSpec =
    ParamSpec::new("min_impurity_decrease", NON_NEGATIVE, Default::Number(0.0));
pub const RANDOM_STATE: ParamSpec = ParamSpec::new("random_state", Kind::Int { min: 0 }, Default::Null).nullable();
/// Cost-complexity pruning is not implemented natively: only sklearn's default 0 is in range.
pub const CCP_ALPHA: ParamSpec = ParamSpec::new("ccp_alpha", NON_NEGATIVE, Default::Number(0.0)).at_most(0.0);
pub const VERBOSE: ParamSpec = ParamSpec::new("verbose", Kind::Int { min: 0 }, Default::Number(0.0));
pub const N_JOBS: ParamSpec = ParamSpec::new("n_jobs", Kind::Int { min: -1 }, Default::Null).nullable();
pub const WARM_START: ParamSpec = ParamSpec::new("warm_start", Kind::Bool, Default::Bool(false));
pub const N_ESTIMATORS: ParamSpec = ParamSpec::new("n_estimators", Kind::Int { min: 1 }, Default::Number(100.0));

pub const fn max_features(default: Default) -> ParamSpec {
    let spec = ParamSpec::new(
        "max_features",
        Kind::FloatOrChoice { min: 0.0, exclusive: true, choices: &["sqrt", "log2", "auto"] },
        default,
    );
    spec.nullable()
}

pub fn invalid(estimator: &str, name: &str, message: impl std::fmt::Display) -> Error {
    Error::hyperparameter(format!("hyperparameter {name:?} of {estimator} {message}"))
}

/// A count-or-fraction parameter: below 1 (or exactly 1 when `one_is_fraction`, sklearn's float 1.0) a fraction of
/// `n` rounded up, as sklearn; otherwise an integer count.
fn count_or_fraction(estimator: &str, params: &Params, name: &str, n: usize, one_is_fraction: bool) -> Result<usize> {
    let v = params.f64(name);
    if v < 1.0 || (v == 1.0 && one_is_fraction) {
        Ok((v * n as f64).ceil() as usize)
    } else if v.fract() == 0.0 {
        Ok(v as usize)
    } else {
        Err(invalid(estimator, name, format!("must be an integer count or a fraction in (0, 1], got {v}")))
    }
}

/// Rows per tree for forests' `max_samples` (None: all rows). A fraction is rounded as Python's `round` does
/// (half to even).
pub fn max_samples(estimator: &str, params: &Params, n_rows: usize) -> Result<usize> {
    if let Value::Null = params.value("max_samples") {
        return Ok(n_rows);
    }
    let v = params.f64("max_samples");
    let count = if v <= 1.0 {
        ((v * n_rows as f64).round_ties_even() as usize).max(1)
    } else {
        count_or_fraction(estimator, params, "max_samples", n_rows, true)?
    };
    if count > n_rows {
        return Err(invalid(estimator, "max_samples", format!("must be at most the {n_rows} training rows, got {v}")));
    }
    Ok(count)
}

/// Features examined per split. `auto` (deprecated in sklearn 1.2) is sqrt for classifiers, all for regressors.
fn resolve_max_features(estimator: &str, params: &Params, n_features: usize, classifier: bool) -> Result<usize> {
    let p = n_features as f64;
    let count = match params.value("max_features") {
        Value::Null => n_features,
        Value::Str(s) if s == "sqrt" || (s == "auto" && classifier) => p.sqrt() as usize,
        Value::Str(s) if s == "log2" => p.log2() as usize,
        Value::Str(_) => n_features,
        Value::Number(v) if *v <= 1.0 => (v * p) as usize,
        Value::Number(v) if v.fract() == 0.0 && *v <= p => *v as usize,
        Value::Number(v) => {
            return Err(invalid(
                estimator,
                "max_features",
                format!("must be a fraction in (0, 1] or an integer count up to the {n_features} features, got {v}"),
            ));
        }
        other => return Err(invalid(estimator, "max_features", format!("got {other}"))),
    };
    Ok(count.max(1))
}

/// sklearn's tree rules for `n_rows` training rows of `n_features` features; `min_weight_leaf` is filled in per tree
/// from its sample weights (`for_weights`).
#[derive(Clone, Copy, Debug)]
pub struct TreeRules {
    pub grow: GrowRules,
    pub split: SplitRules,
    min_weight_fraction_leaf: f64,
}

impl TreeRules {
    /// The rules for a tree whose sample weights sum (numpy's `np.sum`) to `total_weight`.
    pub fn for_weights(&self, total_weight: f64) -> TreeRules {
        let min_weight_leaf = self.min_weight_fraction_leaf * total_weight;
        TreeRules {
            grow: GrowRules { min_weight_leaf, ..self.grow },
            split: SplitRules { min_weight_leaf, ..self.split },
            ..*self
        }
    }
}

/// The tree rules from the hyperparameters, for `n_rows` training rows of `n_features` features.
pub fn tree_rules(
    estimator: &str,
    params: &Params,
    n_rows: usize,
    n_features: usize,
    classifier: bool,
    kind: SplitterKind,
) -> Result<TreeRules> {
    let fraction = params.f64("min_weight_fraction_leaf");
    let min_samples_leaf = count_or_fraction(estimator, params, "min_samples_leaf", n_rows, false)?.max(1);
    // sklearn: an integer min_samples_split is at least 2, a fraction is rounded up and raised to 2.
    let min_samples_split = count_or_fraction(estimator, params, "min_samples_split", n_rows, true)?.max(2);
    if params.f64("min_samples_split") > 1.0 && params.f64("min_samples_split") < 2.0 {
        return Err(invalid(estimator, "min_samples_split", "must be an integer >= 2 or a fraction in (0, 1]"));
    }
    let optional = |name: &str| match params.value(name) {
        Value::Null => None,
        _ => Some(params.usize(name)),
    };
    Ok(TreeRules {
        grow: GrowRules {
            max_depth: optional("max_depth"),
            min_samples_split: min_samples_split.max(2 * min_samples_leaf),
            min_samples_leaf,
            min_weight_leaf: 0.0,
            max_leaf_nodes: optional("max_leaf_nodes"),
            min_impurity_decrease: params.f64("min_impurity_decrease"),
        },
        split: SplitRules {
            kind,
            max_features: resolve_max_features(estimator, params, n_features, classifier)?,
            min_samples_leaf,
            min_weight_leaf: 0.0,
        },
        min_weight_fraction_leaf: fraction,
    })
}

/// Rejects sklearn options that exist but are not implemented natively (true-valued flags).
pub fn reject_flag(estimator: &str, params: &Params, name: &str, why: &str) -> Result<()> {
    if params.bool(name) {
        return Err(invalid(estimator, name, format!("must be false: {why}")));
    }
    Ok(())
}

/// numpy's `RandomState(random_state)` (sklearn's `check_random_state`). An integer must fit numpy's seed range
/// (0..2³²); unset draws a seed from the clock, so every fit differs — as sklearn's global RandomState does.
pub fn random_state(estimator: &str, params: &Params) -> Result<NumpyRandomState> {
    let seed = match params.value("random_state") {
        Value::Null => {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            (nanos ^ (nanos >> 32)) as u32
        }
        _ => {
            let v = params.f64("random_state");
            if v > f64::from(u32::MAX) {
                return Err(invalid(
                    estimator,
                    "random_state",
                    format!("must be below 2^32 (numpy's seed range), got {v}"),
                ));
            }
            v as u32
        }
    };
    Ok(NumpyRandomState::new(seed))
}
