//! Hyperparameters as scikit-learn names them. The FFI layer turns a JS object into `Hyperparams` (name → value,
//! nothing checked); each algorithm declares a `&[ParamSpec]` with sklearn's names, types, ranges and defaults, and
//! `resolve` turns the two into `Params` or an INVALID_HYPERPARAMETER error naming the key and the allowed keys.

use std::fmt;

use crate::error::{Error, Result};

/// A JS value as the FFI layer hands it over. Numbers are JS numbers, so integers arrive as f64.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    /// An array of strings (XGBoost's `eval_metric: ["rmse", "mae"]`).
    List(Vec<String>),
    /// Any other array, or an object (the text names which): no hyperparameter of ours accepts one.
    Nested(&'static str),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => write!(f, "null"),
            Value::Bool(b) => write!(f, "boolean {b}"),
            Value::Number(n) => write!(f, "number {n}"),
            Value::Str(s) => write!(f, "string {s:?}"),
            Value::List(items) => write!(f, "an array of {} strings", items.len()),
            Value::Nested(kind) => write!(f, "{kind}"),
        }
    }
}

/// What the caller passed, in the caller's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hyperparams(pub Vec<(String, Value)>);

#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A real number ≥ `min` (> `min` when `exclusive`).
    Float { min: f64, exclusive: bool },
    /// An integer ≥ `min`.
    Int { min: i64 },
    Bool,
    /// One of the listed strings: the values of sklearn's option that this implementation computes.
    Choice(&'static [&'static str]),
    /// A real number as in `Float`, or one of the listed strings (SVC's `gamma`: "scale" | "auto" | float > 0).
    FloatOrChoice { min: f64, exclusive: bool, choices: &'static [&'static str] },
    /// A boolean or one of the listed strings (HistGradientBoosting's `early_stopping`: "auto" | bool).
    BoolOrChoice(&'static [&'static str]),
    /// Any non-empty string, passed on as it is (XGBoost's `monotone_constraints: "(1,-1)"`).
    Text,
    /// A non-empty string or a non-empty array of them (XGBoost's `eval_metric`).
    TextOrList,
}

#[derive(Clone, Copy, Debug)]
pub enum Default {
    Null,
    Bool(bool),
    Number(f64),
    Str(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub default: Default,
    /// sklearn accepts `None` here (e.g. `n_jobs`).
    pub nullable: bool,
}

impl ParamSpec {
    pub const fn new(name: &'static str, kind: Kind, default: Default) -> Self {
        ParamSpec { name, kind, default, nullable: false }
    }
    pub const fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }

    fn expectation(&self) -> String {
        if matches!(self.kind, Kind::Choice(options) if options.is_empty()) {
            // A parameter whose only JSON value is null (XGBoost's `missing`, a Python float NaN by default).
            return "null (its other values cannot be expressed in JSON)".to_string();
        }
        let base = match self.kind {
            Kind::Float { min, exclusive: false } => format!("a number >= {min}"),
            Kind::Float { min, exclusive: true } => format!("a number > {min}"),
            Kind::Int { min } => format!("an integer >= {min}"),
            Kind::Bool => "a boolean".to_string(),
            Kind::Choice(options) => format!("one of {}", options.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(", ")),
            Kind::FloatOrChoice { min, exclusive, choices } => format!(
                "a number {} {min} or one of {}",
                if exclusive { ">" } else { ">=" },
                choices.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(", ")
            ),
            Kind::BoolOrChoice(choices) => {
                format!("a boolean or one of {}", choices.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(", "))
            }
            Kind::Text => "a non-empty string".to_string(),
            Kind::TextOrList => "a non-empty string or an array of them".to_string(),
        };
        if self.nullable {
            format!("{base} or null")
        } else {
            base
        }
    }

    fn accepts(&self, value: &Value) -> bool {
        match (self.kind, value) {
            (_, Value::Null) => self.nullable,
            (Kind::Float { min, exclusive }, Value::Number(n)) => n.is_finite() && if exclusive { *n > min } else { *n >= min },
            (Kind::Int { min }, Value::Number(n)) => n.is_finite() && n.fract() == 0.0 && *n >= min as f64,
            (Kind::Bool, Value::Bool(_)) => true,
            (Kind::Choice(options), Value::Str(s)) => options.contains(&s.as_str()),
            (Kind::FloatOrChoice { min, exclusive, .. }, Value::Number(_)) => ParamSpec::new(self.name, Kind::Float { min, exclusive }, self.default).accepts(value),
            (Kind::FloatOrChoice { choices, .. }, Value::Str(s)) => choices.contains(&s.as_str()),
            (Kind::BoolOrChoice(_), Value::Bool(_)) => true,
            (Kind::BoolOrChoice(choices), Value::Str(s)) => choices.contains(&s.as_str()),
            (Kind::Text | Kind::TextOrList, Value::Str(s)) => !s.is_empty(),
            (Kind::TextOrList, Value::List(items)) => !items.is_empty() && items.iter().all(|s| !s.is_empty()),
            _ => false,
        }
    }

    /// `{"name","default","accepts":[…]}` for the algorithm catalogue: `accepts` lists the alternatives a value may
    /// take (any one will do) in the shape of `HyperparamSpec` in packages/core/src/catalogue/hyperparams.ts, built
    /// from the same `Kind` that `accepts` checks, so the catalogue cannot drift from validation.
    pub fn to_json(&self) -> String {
        fn number(kind: &str, min: f64, exclusive: bool) -> String {
            if min.is_finite() {
                format!(r#"{{"type":"{kind}","min":{},"minExclusive":{exclusive}}}"#, crate::json::value(&Value::Number(min)))
            } else {
                format!(r#"{{"type":"{kind}"}}"#)
            }
        }
        fn strings(options: &[&str]) -> String {
            let quoted: Vec<String> = options.iter().map(|o| crate::json::quote(o)).collect();
            format!(r#"{{"type":"string","choices":[{}]}}"#, quoted.join(","))
        }
        const BOOLEAN: &str = r#"{"type":"boolean"}"#;
        const TEXT: &str = r#"{"type":"string"}"#;
        let mut accepts = match self.kind {
            Kind::Float { min, exclusive } => vec![number("number", min, exclusive)],
            Kind::Int { min } => vec![number("integer", min as f64, false)],
            Kind::Bool => vec![BOOLEAN.to_string()],
            Kind::Choice(options) => vec![strings(options)],
            Kind::FloatOrChoice { min, exclusive, choices } => vec![number("number", min, exclusive), strings(choices)],
            Kind::BoolOrChoice(choices) => vec![BOOLEAN.to_string(), strings(choices)],
            Kind::Text => vec![TEXT.to_string()],
            Kind::TextOrList => vec![TEXT.to_string(), r#"{"type":"array"}"#.to_string()],
        };
        if self.nullable {
            accepts.push(r#"{"type":"null"}"#.to_string());
        }
        format!(
            r#"{{"name":{},"default":{},"accepts":[{}]}}"#,
            crate::json::quote(self.name),
            crate::json::value(&self.default_value()),
            accepts.join(",")
        )
    }

    fn default_value(&self) -> Value {
        match self.default {
            Default::Null => Value::Null,
            Default::Bool(b) => Value::Bool(b),
            Default::Number(n) => Value::Number(n),
            Default::Str(s) => Value::Str(s.to_string()),
        }
    }
}

/// Every declared parameter with its value (given or default), in declaration order.
#[derive(Clone, Debug, PartialEq)]
pub struct Params(Vec<(&'static str, Value)>);

/// Checks `given` against `specs`; `estimator` names the model in messages ("Ridge").
pub fn resolve(estimator: &str, specs: &[ParamSpec], given: &Hyperparams) -> Result<Params> {
    for (name, value) in &given.0 {
        let spec = specs.iter().find(|s| s.name == name).ok_or_else(|| {
            let allowed = specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", ");
            Error::hyperparameter(format!("unknown hyperparameter {name:?} for {estimator}; allowed: {allowed}"))
        })?;
        if !spec.accepts(value) {
            return Err(Error::hyperparameter(format!(
                "hyperparameter {name:?} of {estimator} must be {}, got {value}",
                spec.expectation()
            )));
        }
    }
    let values = specs
        .iter()
        .map(|spec| {
            let given = given.0.iter().rev().find(|(name, _)| name == spec.name).map(|(_, v)| v.clone());
            (spec.name, given.unwrap_or_else(|| spec.default_value()))
        })
        .collect();
    Ok(Params(values))
}

impl Params {
    /// `{"name": value, …}` with every declared parameter.
    pub fn to_json(&self) -> String {
        let fields: Vec<String> = self.0.iter().map(|(k, v)| format!("{}:{}", crate::json::quote(k), crate::json::value(v))).collect();
        format!("{{{}}}", fields.join(","))
    }

    /// The raw value, for parameters that take a number or a string (`Kind::FloatOrChoice`).
    pub fn value(&self, name: &str) -> &Value {
        self.get(name)
    }

    fn get(&self, name: &str) -> &Value {
        // Names are constants of this crate; a miss is a bug in an algorithm's spec table, not bad input.
        match self.0.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => value,
            None => panic!("hyperparameter {name:?} is not declared in the algorithm's spec"),
        }
    }
    pub fn f64(&self, name: &str) -> f64 {
        match self.get(name) {
            Value::Number(n) => *n,
            other => panic!("hyperparameter {name:?} is {other}, declared as a number"),
        }
    }
    pub fn usize(&self, name: &str) -> usize {
        self.f64(name) as usize
    }
    pub fn bool(&self, name: &str) -> bool {
        match self.get(name) {
            Value::Bool(b) => *b,
            other => panic!("hyperparameter {name:?} is {other}, declared as a boolean"),
        }
    }
    pub fn str(&self, name: &str) -> &str {
        match self.get(name) {
            Value::Str(s) => s,
            other => panic!("hyperparameter {name:?} is {other}, declared as a string"),
        }
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(json[1], r#"{"name":"max_iter","default":100,"accepts":[{"type":"integer","min":0,"minExclusive":false}]}"#);
        assert_eq!(json[2], r#"{"name":"fit_intercept","default":true,"accepts":[{"type":"boolean"}]}"#);
        assert_eq!(json[3], r#"{"name":"solver","default":"auto","accepts":[{"type":"string","choices":["auto","cholesky"]}]}"#);
        assert_eq!(json[4], r#"{"name":"n_jobs","default":null,"accepts":[{"type":"integer","min":-1,"minExclusive":false},{"type":"null"}]}"#);
        let unbounded = ParamSpec::new("coef0", Kind::Float { min: f64::NEG_INFINITY, exclusive: false }, Default::Number(0.0));
        assert_eq!(unbounded.to_json(), r#"{"name":"coef0","default":0,"accepts":[{"type":"number"}]}"#);
    }

    #[test]
    fn float_or_choice_takes_either() {
        const GAMMA: &[ParamSpec] = &[ParamSpec::new(
            "gamma",
            Kind::FloatOrChoice { min: 0.0, exclusive: true, choices: &["scale", "auto"] },
            Default::Str("scale"),
        )];
        assert_eq!(resolve("SVC", GAMMA, &given(&[])).unwrap().value("gamma"), &Value::Str("scale".into()));
        assert_eq!(resolve("SVC", GAMMA, &given(&[("gamma", Value::Number(0.5))])).unwrap().value("gamma"), &Value::Number(0.5));
        for bad in [Value::Number(0.0), Value::Str("big".into()), Value::Bool(true), Value::Null] {
            let err = resolve("SVC", GAMMA, &given(&[("gamma", bad.clone())])).unwrap_err();
            assert!(err.message.contains("a number > 0 or one of \"scale\", \"auto\""), "{bad:?}: {}", err.message);
        }
    }

    #[test]
    fn bool_or_choice_takes_either() {
        const EARLY_STOPPING: &[ParamSpec] = &[ParamSpec::new("early_stopping", Kind::BoolOrChoice(&["auto"]), Default::Str("auto"))];
        assert_eq!(resolve("HGB", EARLY_STOPPING, &given(&[])).unwrap().value("early_stopping"), &Value::Str("auto".into()));
        let on = resolve("HGB", EARLY_STOPPING, &given(&[("early_stopping", Value::Bool(true))])).unwrap();
        assert_eq!(on.value("early_stopping"), &Value::Bool(true));
        for bad in [Value::Number(1.0), Value::Str("yes".into()), Value::Null] {
            let err = resolve("HGB", EARLY_STOPPING, &given(&[("early_stopping", bad.clone())])).unwrap_err();
            assert!(err.message.contains("a boolean or one of \"auto\""), "{bad:?}: {}", err.message);
        }
    }
}
