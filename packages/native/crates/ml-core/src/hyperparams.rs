//! Hyperparameters as scikit-learn names them. The FFI layer turns a JS object into `Hyperparams` (name → value,
//! nothing checked); each algorithm declares a `&[ParamSpec]` with sklearn's names, types, ranges and defaults, and
//! `resolve` turns the two into `Params` or an INVALID_HYPERPARAMETER error naming the key and the allowed keys.
//!
//! Ranges are two-sided data, like sklearn's `Interval(Real, 0, 1, closed="both")`: the lower bound sits in the
//! `Kind`, the upper one is added with `ParamSpec::at_most` / `below` (unbounded by default). `resolve` checks both
//! before any fit starts and the catalogue JSON carries both, so algorithms never re-check a range at fit time.

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
    Float {
        min: f64,
        exclusive: bool,
    },
    /// An integer ≥ `min`.
    Int {
        min: i64,
    },
    Bool,
    /// One of the listed strings: the values of sklearn's option that this implementation computes.
    Choice(&'static [&'static str]),
    /// A real number as in `Float`, or one of the listed strings (SVC's `gamma`: "scale" | "auto" | float > 0).
    FloatOrChoice {
        min: f64,
        exclusive: bool,
        choices: &'static [&'static str],
    },
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
    /// The upper bound of a numeric kind (`Float`, `Int`, the number of `FloatOrChoice`); +∞ when unbounded.
    pub max: f64,
    /// `max` itself is excluded.
    pub max_exclusive: bool,
}

impl ParamSpec {
    pub const fn new(name: &'static str, kind: Kind, default: Default) -> Self {
        ParamSpec { name, kind, default, nullable: false, max: f64::INFINITY, max_exclusive: false }
    }
    pub const fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }
    /// Numbers above `max` are refused (sklearn's `closed="right"`/`"both"`).
    pub const fn at_most(mut self, max: f64) -> Self {
        self.max = max;
        self.max_exclusive = false;
        self
    }
    /// Numbers at or above `max` are refused (sklearn's `closed="left"`/`"neither"`).
    pub const fn below(mut self, max: f64) -> Self {
        self.max = max;
        self.max_exclusive = true;
        self
    }

    fn within_max(&self, n: f64) -> bool {
        if self.max_exclusive {
            n < self.max
        } else {
            n <= self.max
        }
    }

    /// " and <= 1" / " and < 1" for a bounded range, "" otherwise.
    fn max_text(&self) -> String {
        if self.max.is_finite() {
            format!(" and {} {}", if self.max_exclusive { "<" } else { "<=" }, self.max)
        } else {
            String::new()
        }
    }

    fn expectation(&self) -> String {
        if matches!(self.kind, Kind::Choice(options) if options.is_empty()) {
            // A parameter whose only JSON value is null (XGBoost's `missing`, a Python float NaN by default).
            return "null (its other values cannot be expressed in JSON)".to_string();
        }
        let bound = self.max_text();
        let base = match self.kind {
            Kind::Float { min, exclusive: false } => format!("a number >= {min}{bound}"),
            Kind::Float { min, exclusive: true } => format!("a number > {min}{bound}"),
            Kind::Int { min } => format!("an integer >= {min}{bound}"),
            Kind::Bool => "a boolean".to_string(),
            Kind::Choice(options) => {
                format!("one of {}", options.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(", "))
            }
            Kind::FloatOrChoice { min, exclusive, choices } => format!(
                "a number {} {min}{bound} or one of {}",
                if exclusive { ">" } else { ">=" },
                choices.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(", ")
            ),
            Kind::BoolOrChoice(choices) => {
                format!(
                    "a boolean or one of {}",
                    choices.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(", ")
                )
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
            (Kind::Float { min, exclusive }, Value::Number(n)) => {
                n.is_finite() && (if exclusive { *n > min } else { *n >= min }) && self.within_max(*n)
            }
            (Kind::Int { min }, Value::Number(n)) => {
                n.is_finite() && n.fract() == 0.0 && *n >= min as f64 && self.within_max(*n)
            }
            (Kind::Bool, Value::Bool(_)) => true,
            (Kind::Choice(options), Value::Str(s)) => options.contains(&s.as_str()),
            (Kind::FloatOrChoice { min, exclusive, .. }, Value::Number(_)) => {
                ParamSpec { kind: Kind::Float { min, exclusive }, ..*self }.accepts(value)
            }
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
        let (max, max_exclusive) = (self.max, self.max_exclusive);
        let number = |kind: &str, min: f64, exclusive: bool| {
            let mut fields = vec![format!(r#""type":"{kind}""#)];
            if min.is_finite() {
                fields.push(format!(r#""min":{},"minExclusive":{exclusive}"#, crate::json::value(&Value::Number(min))));
            }
            if max.is_finite() {
                fields.push(format!(
                    r#""max":{},"maxExclusive":{max_exclusive}"#,
                    crate::json::value(&Value::Number(max))
                ));
            }
            format!("{{{}}}", fields.join(","))
        };
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
        let fields: Vec<String> =
            self.0.iter().map(|(k, v)| format!("{}:{}", crate::json::quote(k), crate::json::value(v))).collect();
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
#[path = "hyperparams_tests.rs"]
mod tests;
