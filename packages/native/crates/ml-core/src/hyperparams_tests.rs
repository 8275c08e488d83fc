//! Tests of `hyperparams` (a file of their own to keep `hyperparams.rs` small).

use super::*;
use crate::error::ErrorKind;

const SPECS: &[ParamSpec] = &[
    ParamSpec::new("alpha", Kind::Float { min: 0.0, exclusive: false }, Default::Number(1.0)),
    ParamSpec::new("max_iter", Kind::Int { min: 0 }, Default::Number(100.0)),
    ParamSpec::new("fit_intercept", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("solver", Kind::Choice(&["auto", "cholesky"]), Default::Str("auto")),
    ParamSpec::new("n_jobs", Kind::Int { min: -1 }, Default::Null).nullable(),
];

fn given(pairs: &[(&str, Value)]) -> Hyperparams {
    Hyperparams(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

#[test]
fn defaults_fill_what_is_not_given() {
    let p = resolve("Ridge", SPECS, &given(&[("alpha", Value::Number(0.5))])).unwrap();
    assert_eq!(p.f64("alpha"), 0.5);
    assert_eq!(p.usize("max_iter"), 100);
    assert!(p.bool("fit_intercept"));
    assert_eq!(p.str("solver"), "auto");
    assert_eq!(p.to_json(), r#"{"alpha":0.5,"max_iter":100,"fit_intercept":true,"solver":"auto","n_jobs":null}"#);
}

#[test]
fn unknown_names_and_wrong_types_are_typed_errors() {
    let err = resolve("Ridge", SPECS, &given(&[("alpah", Value::Number(1.0))])).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidHyperparameter);
    assert!(err.message.contains("\"alpah\"") && err.message.contains("allowed: alpha, max_iter"), "{}", err.message);
    for bad in [
        ("alpha", Value::Number(-1.0)),
        ("alpha", Value::Str("1".into())),
        ("alpha", Value::Number(f64::NAN)),
        ("max_iter", Value::Number(1.5)),
        ("fit_intercept", Value::Number(1.0)),
        ("solver", Value::Str("sag".into())),
        ("alpha", Value::Null),
    ] {
        let err = resolve("Ridge", SPECS, &given(std::slice::from_ref(&bad))).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidHyperparameter, "{bad:?}");
        assert!(err.message.contains(bad.0), "{}", err.message);
    }
    assert!(resolve("Ridge", SPECS, &given(&[("n_jobs", Value::Number(4.0))])).is_ok());
}

#[test]
fn specs_describe_what_they_accept() {
    let json: Vec<String> = SPECS.iter().map(ParamSpec::to_json).collect();
    assert_eq!(json[0], r#"{"name":"alpha","default":1,"accepts":[{"type":"number","min":0,"minExclusive":false}]}"#);
    assert_eq!(
        json[1],
        r#"{"name":"max_iter","default":100,"accepts":[{"type":"integer","min":0,"minExclusive":false}]}"#
    );
    assert_eq!(json[2], r#"{"name":"fit_intercept","default":true,"accepts":[{"type":"boolean"}]}"#);
    assert_eq!(
        json[3],
        r#"{"name":"solver","default":"auto","accepts":[{"type":"string","choices":["auto","cholesky"]}]}"#
    );
    assert_eq!(
        json[4],
        r#"{"name":"n_jobs","default":null,"accepts":[{"type":"integer","min":-1,"minExclusive":false},{"type":"null"}]}"#
    );
    let unbounded =
        ParamSpec::new("coef0", Kind::Float { min: f64::NEG_INFINITY, exclusive: false }, Default::Number(0.0));
    assert_eq!(unbounded.to_json(), r#"{"name":"coef0","default":0,"accepts":[{"type":"number"}]}"#);
    let ratio =
        ParamSpec::new("l1_ratio", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.5)).at_most(1.0);
    assert_eq!(
        ratio.to_json(),
        r#"{"name":"l1_ratio","default":0.5,"accepts":[{"type":"number","min":0,"minExclusive":false,"max":1,"maxExclusive":false}]}"#
    );
    let bins = ParamSpec::new("max_bins", Kind::Int { min: 2 }, Default::Number(255.0)).below(256.0);
    assert!(bins.to_json().contains(r#""max":256,"maxExclusive":true"#), "{}", bins.to_json());
}

#[test]
fn ranges_are_two_sided() {
    const RATIO: &[ParamSpec] = &[
        ParamSpec::new("l1_ratio", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.5)).at_most(1.0),
        ParamSpec::new("fraction", Kind::Float { min: 0.0, exclusive: true }, Default::Number(0.1)).below(1.0),
        ParamSpec::new("bins", Kind::Int { min: 2 }, Default::Number(255.0)).at_most(255.0),
        ParamSpec::new(
            "gamma",
            Kind::FloatOrChoice { min: 0.0, exclusive: true, choices: &["auto"] },
            Default::Str("auto"),
        )
        .at_most(10.0),
    ];
    for ok in [("l1_ratio", 0.0), ("l1_ratio", 1.0), ("fraction", 0.5), ("bins", 255.0), ("gamma", 10.0)] {
        assert!(resolve("E", RATIO, &given(&[(ok.0, Value::Number(ok.1))])).is_ok(), "{ok:?}");
    }
    for (name, bad, expected) in [
        ("l1_ratio", 1.5, "a number >= 0 and <= 1"),
        ("fraction", 1.0, "a number > 0 and < 1"),
        ("bins", 256.0, "an integer >= 2 and <= 255"),
        ("gamma", 10.5, "a number > 0 and <= 10 or one of \"auto\""),
    ] {
        let err = resolve("E", RATIO, &given(&[(name, Value::Number(bad))])).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidHyperparameter);
        assert!(err.message.contains(expected), "{}", err.message);
    }
}

#[test]
fn float_or_choice_takes_either() {
    const GAMMA: &[ParamSpec] = &[ParamSpec::new(
        "gamma",
        Kind::FloatOrChoice { min: 0.0, exclusive: true, choices: &["scale", "auto"] },
        Default::Str("scale"),
    )];
    assert_eq!(resolve("SVC", GAMMA, &given(&[])).unwrap().value("gamma"), &Value::Str("scale".into()));
    assert_eq!(
        resolve("SVC", GAMMA, &given(&[("gamma", Value::Number(0.5))])).unwrap().value("gamma"),
        &Value::Number(0.5)
    );
    for bad in [Value::Number(0.0), Value::Str("big".into()), Value::Bool(true), Value::Null] {
        let err = resolve("SVC", GAMMA, &given(&[("gamma", bad.clone())])).unwrap_err();
        assert!(err.message.contains("a number > 0 or one of \"scale\", \"auto\""), "{bad:?}: {}", err.message);
    }
}

#[test]
fn bool_or_choice_takes_either() {
    const EARLY_STOPPING: &[ParamSpec] =
        &[ParamSpec::new("early_stopping", Kind::BoolOrChoice(&["auto"]), Default::Str("auto"))];
    assert_eq!(
        resolve("HGB", EARLY_STOPPING, &given(&[])).unwrap().value("early_stopping"),
        &Value::Str("auto".into())
    );
    let on = resolve("HGB", EARLY_STOPPING, &given(&[("early_stopping", Value::Bool(true))])).unwrap();
    assert_eq!(on.value("early_stopping"), &Value::Bool(true));
    for bad in [Value::Number(1.0), Value::Str("yes".into()), Value::Null] {
        let err = resolve("HGB", EARLY_STOPPING, &given(&[("early_stopping", bad.clone())])).unwrap_err();
        assert!(err.message.contains("a boolean or one of \"auto\""), "{bad:?}: {}", err.message);
    }
}
