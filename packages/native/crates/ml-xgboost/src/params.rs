//! The sklearn wrapper's hyperparameters (xgboost/sklearn.py, 1.7.4) and their translation into booster parameters
//! the way `XGBModel.get_xgb_params` + `Booster.set_param` do it: every constructor argument that is not `None`
//! and not wrapper-only goes to `XGBoosterSetParam` under its sklearn name (the library knows `learning_rate`,
//! `reg_alpha`, `random_state`, `n_jobs`, … as aliases), its value as Python's `str()` prints it. `None` means
//! "XGBoost's own default", so almost every spec here defaults to null — except `tree_method`, "hist" as in
//! XGBoost 2.x (the python runtime applies the same default).

use pgml_ml_core::hyperparams::{Default, Kind, Value};
use pgml_ml_core::{ParamSpec, Params, Result};

const fn number(name: &'static str, min: f64, exclusive: bool) -> ParamSpec {
    ParamSpec::new(name, Kind::Float { min, exclusive }, Default::Null).nullable()
}
const fn integer(name: &'static str, min: i64) -> ParamSpec {
    ParamSpec::new(name, Kind::Int { min }, Default::Null).nullable()
}
const fn choice(name: &'static str, options: &'static [&'static str]) -> ParamSpec {
    ParamSpec::new(name, Kind::Choice(options), Default::Null).nullable()
}
/// XGBRF*'s non-null defaults (learning_rate 1, subsample 0.8, colsample_bynode 0.8, reg_lambda 1e-5).
const fn forest_default(name: &'static str, min: f64, exclusive: bool, value: f64) -> ParamSpec {
    ParamSpec::new(name, Kind::Float { min, exclusive }, Default::Number(value)).nullable()
}

/// Every table: the shared arguments of `XGBModel.__init__`, then the estimator's own.
macro_rules! xgb_params {
    ($($own:expr),* $(,)?) => {
        &[
            ParamSpec::new("n_estimators", Kind::Int { min: 1 }, Default::Number(100.0)),
            integer("max_depth", 0),
            integer("max_leaves", 0),
            integer("max_bin", 2),
            choice("grow_policy", &["depthwise", "lossguide"]),
            choice("booster", &["gbtree", "dart"]),
            // XGBoost 2.x's default; 1.7 (the library linked here) would pick "exact" or "approx" (null asks for that).
            ParamSpec::new("tree_method", Kind::Choice(&["auto", "exact", "approx", "hist"]), Default::Str("hist")).nullable(),
            integer("n_jobs", -1),
            number("gamma", 0.0, false),
            number("min_child_weight", 0.0, false),
            number("max_delta_step", 0.0, false),
            number("colsample_bytree", 0.0, true).at_most(1.0),
            number("colsample_bylevel", 0.0, true).at_most(1.0),
            number("reg_alpha", 0.0, false),
            number("scale_pos_weight", 0.0, true),
            number("base_score", f64::NEG_INFINITY, false),
            // XGBoost 1.7's seed is a C int.
            integer("random_state", 0).at_most(i32::MAX as f64),
            // dart's dropout (kwargs the wrapper passes through; ignored by gbtree).
            number("rate_drop", 0.0, false).at_most(1.0),
            number("skip_drop", 0.0, false).at_most(1.0),
            // The rest of XGBModel.__init__ (1.7.4), so every argument python-xgboost takes is accepted here too.
            integer("verbosity", 0),
            choice("sampling_method", &["uniform", "gradient_based"]),
            text("monotone_constraints"),
            text("interaction_constraints"),
            choice("importance_type", &["gain", "weight", "cover", "total_gain", "total_cover"]),
            integer("gpu_id", -1),
            ParamSpec::new("validate_parameters", Kind::Bool, Default::Null).nullable(),
            choice("predictor", &["auto", "cpu_predictor", "gpu_predictor"]),
            ParamSpec::new("enable_categorical", Kind::Bool, Default::Null).nullable(),
            ParamSpec::new("feature_types", Kind::TextOrList, Default::Null).nullable(),
            integer("max_cat_to_onehot", 1),
            integer("max_cat_threshold", 1),
            ParamSpec::new("eval_metric", Kind::TextOrList, Default::Null).nullable(),
            integer("early_stopping_rounds", 1),
            // Python-only values (a float NaN, callback objects): JSON can carry only their default, null.
            only_null("missing"),
            only_null("callbacks"),
            $($own),*
        ]
    };
}

const fn text(name: &'static str) -> ParamSpec {
    ParamSpec::new(name, Kind::Text, Default::Null).nullable()
}
const fn only_null(name: &'static str) -> ParamSpec {
    ParamSpec::new(name, Kind::Choice(&[]), Default::Null).nullable()
}

/// Arguments the sklearn wrapper keeps to itself instead of passing them to the booster. `early_stopping_rounds`
/// needs a validation set, and train gives fit none (the test split is for scoring): accepted and inert, as the
/// python runtime does. `enable_categorical`/`feature_types` describe the DMatrix; ours is all numeric features.
const WRAPPER_ONLY: &[&str] = &[
    "n_estimators",
    "early_stopping_rounds",
    "importance_type",
    "enable_categorical",
    "feature_types",
    "missing",
    "callbacks",
    "use_label_encoder",
];

const REGRESSION_OBJECTIVES: &[&str] = &[
    "reg:squarederror",
    // 1.7 still takes the deprecated name PostgresML 2.x's rust runtime used (reg:squarederror, with a warning).
    "reg:linear",
    "reg:logistic",
    "reg:squaredlogerror",
    "reg:pseudohubererror",
    "reg:absoluteerror",
    "count:poisson",
    "reg:gamma",
    "reg:tweedie",
];
/// Objectives whose "value" predictions are probabilities, which predict/predict_proba rely on.
const CLASSIFICATION_OBJECTIVES: &[&str] = &["binary:logistic", "multi:softprob"];

pub const XGB_REGRESSOR: &[ParamSpec] = xgb_params!(
    ParamSpec::new("objective", Kind::Choice(REGRESSION_OBJECTIVES), Default::Str("reg:squarederror")),
    number("learning_rate", 0.0, false),
    number("subsample", 0.0, true).at_most(1.0),
    number("colsample_bynode", 0.0, true).at_most(1.0),
    number("reg_lambda", 0.0, false),
    integer("num_parallel_tree", 1),
);
pub const XGB_CLASSIFIER: &[ParamSpec] = xgb_params!(
    ParamSpec::new("objective", Kind::Choice(CLASSIFICATION_OBJECTIVES), Default::Str("binary:logistic")),
    number("learning_rate", 0.0, false),
    number("subsample", 0.0, true).at_most(1.0),
    number("colsample_bynode", 0.0, true).at_most(1.0),
    number("reg_lambda", 0.0, false),
    integer("num_parallel_tree", 1),
    // XGBClassifier's own (deprecated in 1.7: only false/null are meaningful there).
    ParamSpec::new("use_label_encoder", Kind::Bool, Default::Null).nullable(),
);
// The random forests set num_parallel_tree = n_estimators themselves and boost one round.
pub const XGB_RF_REGRESSOR: &[ParamSpec] = xgb_params!(
    ParamSpec::new("objective", Kind::Choice(REGRESSION_OBJECTIVES), Default::Str("reg:squarederror")),
    forest_default("learning_rate", 0.0, false, 1.0),
    forest_default("subsample", 0.0, true, 0.8).at_most(1.0),
    forest_default("colsample_bynode", 0.0, true, 0.8).at_most(1.0),
    forest_default("reg_lambda", 0.0, false, 1e-5),
);
pub const XGB_RF_CLASSIFIER: &[ParamSpec] = xgb_params!(
    ParamSpec::new("objective", Kind::Choice(CLASSIFICATION_OBJECTIVES), Default::Str("binary:logistic")),
    forest_default("learning_rate", 0.0, false, 1.0),
    forest_default("subsample", 0.0, true, 0.8).at_most(1.0),
    forest_default("colsample_bynode", 0.0, true, 0.8).at_most(1.0),
    forest_default("reg_lambda", 0.0, false, 1e-5),
    ParamSpec::new("use_label_encoder", Kind::Bool, Default::Null).nullable(),
);

/// How a value reaches `XGBoosterSetParam`: Python's `str(value)`. Whole numbers print as ints (JSON numbers
/// without a fraction arrive in Python as ints), others as `repr(float)` — shortest round-trip digits, scientific
/// below 1e-4 or from 1e16 with a two-digit exponent (`1e-05`).
pub fn python_str(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        return format!("{}", v as i64);
    }
    let scientific = format!("{v:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..16).contains(&exponent) {
        format!("{v}")
    } else {
        format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs())
    }
}

/// The booster parameters python's sklearn wrapper would set for these hyperparameters (sorted by name, then
/// `num_class` and `validate_parameters`; the order is immaterial, the learner reads them all when it configures). `n_estimators` is wrapper-only: it is
/// the round count, or `num_parallel_tree` for the forests. `classes` is the number of classes trained on
/// (0 for regression).
pub fn booster_params(
    specs: &[ParamSpec],
    params: &Params,
    forest: bool,
    classes: usize,
) -> Result<Vec<(&'static str, String)>> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for spec in specs.iter().filter(|s| !WRAPPER_ONLY.contains(&s.name)) {
        match params.value(spec.name) {
            Value::Number(v) => out.push((spec.name, python_str(*v))),
            Value::Str(s) => out.push((spec.name, s.clone())),
            Value::Bool(b) => out.push((spec.name, if *b { "True" } else { "False" }.to_string())),
            // A list (eval_metric) is set once per item, as python's `_configure_metrics` does.
            Value::List(items) => out.extend(items.iter().map(|item| (spec.name, item.clone()))),
            Value::Null | Value::Nested(_) => {}
        }
    }
    if forest {
        out.push(("num_parallel_tree", params.usize("n_estimators").to_string()));
    }
    out.sort_by_key(|(name, _)| *name);
    if classes > 2 {
        // XGBClassifier.fit: anything but multi:softmax becomes multi:softprob with num_class.
        if let Some(objective) = out.iter_mut().find(|(name, _)| *name == "objective") {
            objective.1 = "multi:softprob".to_string();
        }
        out.push(("num_class", classes.to_string()));
    }
    if !out.iter().any(|(name, _)| *name == "validate_parameters") {
        out.push(("validate_parameters", "True".to_string()));
    }
    Ok(out)
}

/// Boosting rounds: `n_estimators` for the boosters, one round of `n_estimators` parallel trees for the forests.
pub fn rounds(params: &Params, forest: bool) -> usize {
    if forest {
        1
    } else {
        params.usize("n_estimators")
    }
}

/// Trees per class per round: `num_parallel_tree` (n_estimators for the forests, 1 unless set for the boosters).
pub fn trees_per_round(params: &Params, forest: bool) -> usize {
    match params.value(if forest { "n_estimators" } else { "num_parallel_tree" }) {
        Value::Number(n) => *n as usize,
        _ => 1,
    }
}

/// `nthread` for building the DMatrix: python's `DMatrix(nthread=n_jobs)`, with `None` → -1 (all cores).
pub fn dmatrix_threads(params: &Params) -> i64 {
    match params.value("n_jobs") {
        Value::Number(n) => *n as i64,
        _ => -1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgml_ml_core::hyperparams::{resolve, Hyperparams};

    #[test]
    fn numbers_print_as_python_prints_them() {
        for (v, text) in [
            (100.0, "100"),
            (0.3, "0.3"),
            (1e-5, "1e-05"),
            (0.8, "0.8"),
            (1.5e-7, "1.5e-07"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (-2.5, "-2.5"),
            (123.456, "123.456"),
        ] {
            assert_eq!(python_str(v), text);
        }
    }

    fn given(pairs: &[(&str, Value)]) -> Hyperparams {
        Hyperparams(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn defaults_set_only_what_python_sets() {
        // The python runtime sets tree_method="hist" too (pgml_worker/estimators.py XGBOOST_DEFAULTS).
        let p = resolve("XGBRegressor", XGB_REGRESSOR, &Hyperparams::default()).unwrap();
        let set = booster_params(XGB_REGRESSOR, &p, false, 0).unwrap();
        let expected = [("objective", "reg:squarederror"), ("tree_method", "hist"), ("validate_parameters", "True")];
        assert_eq!(set, expected.map(|(n, v)| (n, v.to_string())).to_vec());
        let null = resolve("XGBRegressor", XGB_REGRESSOR, &given(&[("tree_method", Value::Null)])).unwrap();
        assert!(!booster_params(XGB_REGRESSOR, &null, false, 0).unwrap().iter().any(|(n, _)| *n == "tree_method"));
        assert_eq!(rounds(&p, false), 100);

        let p = resolve(
            "XGBRFClassifier",
            XGB_RF_CLASSIFIER,
            &given(&[("n_estimators", Value::Number(7.0)), ("max_depth", Value::Number(3.0))]),
        )
        .unwrap();
        let set = booster_params(XGB_RF_CLASSIFIER, &p, true, 3).unwrap();
        let names: Vec<&str> = set.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "colsample_bynode",
                "learning_rate",
                "max_depth",
                "num_parallel_tree",
                "objective",
                "reg_lambda",
                "subsample",
                "tree_method",
                "num_class",
                "validate_parameters"
            ]
        );
        assert!(
            set.contains(&("reg_lambda", "1e-05".to_string()))
                && set.contains(&("objective", "multi:softprob".to_string()))
        );
        assert!(set.contains(&("num_parallel_tree", "7".to_string())) && set.contains(&("num_class", "3".to_string())));
        assert_eq!(rounds(&p, true), 1);
    }

    #[test]
    fn every_xgbmodel_argument_is_accepted() {
        let p = resolve(
            "XGBRegressor",
            XGB_REGRESSOR,
            &given(&[
                ("eval_metric", Value::List(vec!["rmse".into(), "mae".into()])),
                ("early_stopping_rounds", Value::Number(5.0)),
                ("objective", Value::Str("reg:linear".into())),
                ("booster", Value::Str("dart".into())),
                ("monotone_constraints", Value::Str("(1,-1)".into())),
                ("importance_type", Value::Str("gain".into())),
                ("validate_parameters", Value::Bool(false)),
                ("missing", Value::Null),
            ]),
        )
        .unwrap();
        let set = booster_params(XGB_REGRESSOR, &p, false, 0).unwrap();
        let metrics: Vec<&str> = set.iter().filter(|(n, _)| *n == "eval_metric").map(|(_, v)| v.as_str()).collect();
        assert_eq!(metrics, ["rmse", "mae"]);
        assert!(set.contains(&("monotone_constraints", "(1,-1)".to_string())));
        assert_eq!(set.iter().filter(|(n, _)| *n == "validate_parameters").count(), 1);
        assert!(set.contains(&("validate_parameters", "False".to_string())));
        // Wrapper-only arguments never reach the booster.
        assert!(!set.iter().any(|(n, _)| ["early_stopping_rounds", "importance_type", "missing"].contains(n)));
        let single =
            resolve("XGBClassifier", XGB_CLASSIFIER, &given(&[("eval_metric", Value::Str("logloss".into()))])).unwrap();
        assert!(booster_params(XGB_CLASSIFIER, &single, false, 2)
            .unwrap()
            .contains(&("eval_metric", "logloss".to_string())));
        for bad in [
            ("missing", Value::Number(0.0)),
            ("eval_metric", Value::Nested("an array")),
            ("eval_metric", Value::Str(String::new())),
        ] {
            assert!(resolve("XGBRegressor", XGB_REGRESSOR, &given(std::slice::from_ref(&bad))).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn out_of_range_values_are_hyperparameter_errors() {
        // Upper bounds are part of the spec: refused before any fit, like the lower ones.
        for bad in [
            ("subsample", Value::Number(1.5)),
            ("random_state", Value::Number(2f64.powi(31))),
            ("subsample", Value::Number(0.0)),
            ("max_depth", Value::Number(2.5)),
            ("objective", Value::Str("binary:logistic".into())),
            ("eta", Value::Number(0.1)),
        ] {
            assert!(resolve("XGBRegressor", XGB_REGRESSOR, &given(std::slice::from_ref(&bad))).is_err(), "{bad:?}");
        }
        assert!(
            resolve("XGBRFRegressor", XGB_RF_REGRESSOR, &given(&[("num_parallel_tree", Value::Number(2.0))])).is_err()
        );
    }
}
