//! The algorithm table and the fitted-model type the FFI layer works with. Everything JS can do goes through four
//! generic entry points — `validate`, `fit`, `Model::predict`/`predict_proba`, `Model::to_bytes`/`from_bytes` — so
//! a new algorithm is a row in `ALGORITHMS`, a `Model` variant and its arms here, never new FFI code.

use super::codec::{Reader, Writer};
use super::error::{Error, ErrorKind, Result};
use super::hyperparams::{resolve, Hyperparams, ParamSpec, Params};
use super::linear::{fit_linear_regression, fit_ridge, LINEAR_REGRESSION_PARAMS, RIDGE_PARAMS};
use super::linear_model::LinearModel;
use super::logistic::{fit_logistic_regression, LogisticModel, LOGISTIC_REGRESSION_PARAMS};
use super::matrix::MatrixView;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    Regression,
    Classification,
}

impl Task {
    pub fn parse(name: &str) -> Result<Task> {
        match name {
            "regression" => Ok(Task::Regression),
            "classification" => Ok(Task::Classification),
            other => Err(Error::new(ErrorKind::AlgorithmUnavailable, format!("the native runtime has no {other:?} algorithms"))),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Task::Regression => "regression",
            Task::Classification => "classification",
        }
    }
}

/// The scikit-learn estimator an algorithm reproduces; its `id` is the algorithm id in the payload header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Estimator {
    LinearRegression,
    Ridge,
    LogisticRegression,
}

impl Estimator {
    pub fn id(self) -> u16 {
        match self {
            Estimator::LinearRegression => 1,
            Estimator::Ridge => 2,
            Estimator::LogisticRegression => 3,
        }
    }
    /// sklearn's class name, used in messages and reported to JS.
    pub fn sklearn_name(self) -> &'static str {
        match self {
            Estimator::LinearRegression => "LinearRegression",
            Estimator::Ridge => "Ridge",
            Estimator::LogisticRegression => "LogisticRegression",
        }
    }
    pub fn params(self) -> &'static [ParamSpec] {
        match self {
            Estimator::LinearRegression => LINEAR_REGRESSION_PARAMS,
            Estimator::Ridge => RIDGE_PARAMS,
            Estimator::LogisticRegression => LOGISTIC_REGRESSION_PARAMS,
        }
    }
}

/// A PostgresML algorithm name for one task, and what implements it.
#[derive(Clone, Copy, Debug)]
pub struct Algorithm {
    pub name: &'static str,
    pub task: Task,
    pub estimator: Estimator,
    pub predict_proba: bool,
    /// Fits several regression targets jointly (`y_column_name` as a list).
    pub multi_target: bool,
}

/// Every native algorithm. PostgresML calls logistic regression `linear` for classification; `logistic` is
/// accepted too.
pub const ALGORITHMS: &[Algorithm] = &[
    Algorithm { name: "linear", task: Task::Regression, estimator: Estimator::LinearRegression, predict_proba: false, multi_target: true },
    Algorithm { name: "ridge", task: Task::Regression, estimator: Estimator::Ridge, predict_proba: false, multi_target: true },
    Algorithm { name: "linear", task: Task::Classification, estimator: Estimator::LogisticRegression, predict_proba: true, multi_target: false },
    Algorithm { name: "logistic", task: Task::Classification, estimator: Estimator::LogisticRegression, predict_proba: true, multi_target: false },
];

pub fn find(task: Task, name: &str) -> Result<&'static Algorithm> {
    ALGORITHMS.iter().find(|a| a.task == task && a.name == name).ok_or_else(|| {
        let known: Vec<&str> = ALGORITHMS.iter().filter(|a| a.task == task).map(|a| a.name).collect();
        Error::new(
            ErrorKind::AlgorithmUnavailable,
            format!("the native runtime has no {} algorithm {name:?} (native: {})", task.name(), known.join(", ")),
        )
    })
}

/// Hyperparameters checked against the algorithm's sklearn spec, defaults filled in.
pub fn validate(task: Task, name: &str, hyperparams: &Hyperparams) -> Result<Params> {
    let algorithm = find(task, name)?;
    resolve(algorithm.estimator.sklearn_name(), algorithm.estimator.params(), hyperparams)
}

/// The algorithm table as JSON for the JS side (which keeps no second list):
/// `[{"task","algorithm","estimator","predictProba","multiTarget","hyperparams":{name: default}}]`.
pub fn algorithms_json() -> String {
    let rows: Vec<String> = ALGORITHMS
        .iter()
        .map(|a| {
            let defaults = resolve(a.estimator.sklearn_name(), a.estimator.params(), &Hyperparams::default())
                .map(|p| p.to_json())
                .unwrap_or_else(|_| "{}".to_string());
            format!(
                r#"{{"task":"{}","algorithm":"{}","estimator":"{}","predictProba":{},"multiTarget":{},"hyperparams":{}}}"#,
                a.task.name(),
                a.name,
                a.estimator.sklearn_name(),
                a.predict_proba,
                a.multi_target,
                defaults
            )
        })
        .collect();
    format!("[{}]", rows.join(","))
}

/// What a fit reports besides the model (sklearn's `n_iter_` and whether it warned about convergence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FitInfo {
    pub n_iter: Option<usize>,
    pub converged: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Model {
    LinearRegression(LinearModel),
    Ridge(LinearModel),
    LogisticRegression(LogisticModel),
}

/// Fits `name` for `task`. `x` is rows × features; `y` is rows × targets for regression, rows × 1 class indices
/// (0..n_classes) for classification. `cancelled` is polled between iterations of iterative solvers.
pub fn fit(
    task: Task,
    name: &str,
    hyperparams: &Hyperparams,
    x: &MatrixView,
    y: &MatrixView,
    n_classes: usize,
    cancelled: &dyn Fn() -> bool,
) -> Result<(Model, FitInfo)> {
    let algorithm = find(task, name)?;
    let params = resolve(algorithm.estimator.sklearn_name(), algorithm.estimator.params(), hyperparams)?;
    if y.rows() != x.rows() {
        return Err(Error::invalid(format!("X has {} rows but y has {}", x.rows(), y.rows())));
    }
    if y.cols() > 1 && !algorithm.multi_target {
        return Err(Error::invalid(format!("{} fits one target, y has {} columns", algorithm.estimator.sklearn_name(), y.cols())));
    }
    let closed_form = FitInfo { n_iter: None, converged: true };
    Ok(match algorithm.estimator {
        Estimator::LinearRegression => (Model::LinearRegression(fit_linear_regression(x, y, &params)?), closed_form),
        Estimator::Ridge => (Model::Ridge(fit_ridge(x, y, &params)?), closed_form),
        Estimator::LogisticRegression => {
            let (model, report) = fit_logistic_regression(x, y.data(), n_classes, &params, cancelled)?;
            (Model::LogisticRegression(model), FitInfo { n_iter: Some(report.n_iter), converged: report.converged })
        }
    })
}

impl Model {
    pub fn estimator(&self) -> Estimator {
        match self {
            Model::LinearRegression(_) => Estimator::LinearRegression,
            Model::Ridge(_) => Estimator::Ridge,
            Model::LogisticRegression(_) => Estimator::LogisticRegression,
        }
    }

    pub fn task(&self) -> Task {
        match self {
            Model::LinearRegression(_) | Model::Ridge(_) => Task::Regression,
            Model::LogisticRegression(_) => Task::Classification,
        }
    }

    pub fn n_features(&self) -> usize {
        match self {
            Model::LinearRegression(m) | Model::Ridge(m) => m.n_features,
            Model::LogisticRegression(m) => m.linear.n_features,
        }
    }

    /// Columns of `predict`'s output.
    pub fn n_outputs(&self) -> usize {
        match self {
            Model::LinearRegression(m) | Model::Ridge(m) => m.n_outputs(),
            Model::LogisticRegression(_) => 1,
        }
    }

    pub fn n_classes(&self) -> Option<usize> {
        match self {
            Model::LogisticRegression(m) => Some(m.n_classes),
            _ => None,
        }
    }

    /// rows × n_outputs: target values (regression) or class indices (classification).
    pub fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        match self {
            Model::LinearRegression(m) | Model::Ridge(m) => m.decision(x),
            Model::LogisticRegression(m) => m.predict(x),
        }
    }

    /// rows × n_classes, or ALGORITHM_UNAVAILABLE for estimators without probabilities.
    pub fn predict_proba(&self, x: &MatrixView) -> Result<Vec<f64>> {
        match self {
            Model::LogisticRegression(m) => m.predict_proba(x),
            other => Err(Error::new(
                ErrorKind::AlgorithmUnavailable,
                format!("{} has no predict_proba", other.estimator().sklearn_name()),
            )),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(self.estimator().id());
        match self {
            Model::LinearRegression(m) | Model::Ridge(m) => m.write(&mut w),
            Model::LogisticRegression(m) => m.write(&mut w),
        }
        w.finish()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let (mut r, header) = Reader::open(bytes)?;
        let model = match header.algorithm_id {
            1 => Model::LinearRegression(LinearModel::read(&mut r)?),
            2 => Model::Ridge(LinearModel::read(&mut r)?),
            3 => Model::LogisticRegression(LogisticModel::read(&mut r)?),
            id => return Err(Error::corrupt(format!("unknown algorithm id {id}"))),
        };
        r.finish()?;
        Ok(model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::hyperparams::Value;

    fn sample_models() -> Vec<Model> {
        let data: Vec<f64> = (0..40).map(|i| ((i * 7919) % 23) as f64 / 7.0 - 1.3).collect();
        let x = MatrixView::new("X", &data, 10, 4).unwrap();
        let yr: Vec<f64> = (0..20).map(|i| (i as f64 * 0.61).cos()).collect();
        let yr = MatrixView::new("y", &yr, 10, 2).unwrap();
        let yc: Vec<f64> = (0..10).map(|i| (i % 3) as f64).collect();
        let yc = MatrixView::new("y", &yc, 10, 1).unwrap();
        let yb: Vec<f64> = yc.data().iter().map(|v| v.min(1.0)).collect();
        let yb = MatrixView::new("y", &yb, 10, 1).unwrap();
        let none = Hyperparams::default();
        let never = || false;
        vec![
            fit(Task::Regression, "linear", &none, &x, &yr, 0, &never).unwrap().0,
            fit(Task::Regression, "ridge", &none, &x, &yr, 0, &never).unwrap().0,
            fit(Task::Classification, "linear", &none, &x, &yc, 3, &never).unwrap().0,
            fit(Task::Classification, "logistic", &none, &x, &yb, 2, &never).unwrap().0,
        ]
    }

    #[test]
    fn payloads_round_trip_bit_exactly() {
        for model in sample_models() {
            let bytes = model.to_bytes();
            let back = Model::from_bytes(&bytes).unwrap();
            assert_eq!(back, model);
            assert_eq!(back.to_bytes(), bytes);
        }
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_not_a_panic() {
        for model in sample_models() {
            let bytes = model.to_bytes();
            for len in 0..bytes.len() {
                assert_eq!(Model::from_bytes(&bytes[..len]).unwrap_err().kind, ErrorKind::CorruptModel);
            }
            let mut extra = bytes.clone();
            extra.push(0);
            assert!(Model::from_bytes(&extra).is_err());
            // Flip every byte of the header and dimension fields; decoding must never panic.
            for i in 0..bytes.len().min(40) {
                let mut bad = bytes.clone();
                bad[i] ^= 0xff;
                let _ = Model::from_bytes(&bad);
            }
        }
        let mut huge = Writer::new(1);
        huge.u32(u32::MAX);
        huge.u32(u32::MAX);
        assert_eq!(Model::from_bytes(&huge.finish()).unwrap_err().kind, ErrorKind::CorruptModel);
    }

    #[test]
    fn algorithm_table_as_json() {
        let json = algorithms_json();
        assert!(json.starts_with(r#"[{"task":"regression","algorithm":"linear","estimator":"LinearRegression""#), "{json}");
        assert!(json.contains(r#""hyperparams":{"alpha":1,"fit_intercept":true"#), "{json}");
        assert!(json.contains(r#""C":1,"tol":0.0001,"max_iter":100"#), "{json}");
    }

    #[test]
    fn unknown_algorithms_and_shape_errors() {
        let x = MatrixView::new("X", &[1.0, 2.0, 3.0, 4.0], 2, 2).unwrap();
        let y = MatrixView::new("y", &[1.0, 2.0], 2, 1).unwrap();
        let none = Hyperparams::default();
        let err = fit(Task::Regression, "xgboost", &none, &x, &y, 0, &|| false).unwrap_err();
        assert_eq!(err.kind, ErrorKind::AlgorithmUnavailable);
        assert!(err.message.contains("linear, ridge"), "{}", err.message);
        let bad = Hyperparams(vec![("alpha".into(), Value::Str("big".into()))]);
        assert_eq!(fit(Task::Regression, "ridge", &bad, &x, &y, 0, &|| false).unwrap_err().kind, ErrorKind::InvalidHyperparameter);
        let y3 = MatrixView::new("y", &[1.0, 2.0, 3.0], 3, 1).unwrap();
        assert_eq!(fit(Task::Regression, "linear", &none, &x, &y3, 0, &|| false).unwrap_err().kind, ErrorKind::InvalidArgument);
        let model = fit(Task::Regression, "linear", &none, &x, &y, 0, &|| false).unwrap().0;
        let wide = MatrixView::new("X", &[1.0, 2.0, 3.0], 1, 3).unwrap();
        assert_eq!(model.predict(&wide).unwrap_err().kind, ErrorKind::InvalidArgument);
        assert_eq!(model.predict_proba(&x).unwrap_err().kind, ErrorKind::AlgorithmUnavailable);
    }
}
