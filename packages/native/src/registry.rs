//! Every native algorithm, as the FFI layer sees them. Each family crate exports `ALGORITHMS: &[AlgorithmDef]`;
//! `FAMILIES` lists those tables, one line per family, and everything here is generic over the rows — resolving
//! hyperparameters, shape checks, the payload header — so adding an algorithm never touches a `match`
//! (crates/ml-core/README.md).

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::hyperparams::resolve;
use pgml_ml_core::{
    AlgorithmDef, Error, ErrorKind, FitInfo, FitInput, Fitted, Hyperparams, Importances, MatrixView, Params, Progress,
    Result, Task,
};

/// One line per algorithm family crate (and one `[dependencies]` line in Cargo.toml).
const FAMILIES: &[&[AlgorithmDef]] = &[
    pgml_ml_linear::ALGORITHMS,
    pgml_ml_trees::ALGORITHMS,
    pgml_ml_xgboost::ALGORITHMS,
    pgml_ml_svm::ALGORITHMS,
    pgml_ml_cluster::ALGORITHMS,
    pgml_ml_hist_gbdt::ALGORITHMS,
];

// Two rows with one payload id, or one (task, name) pair twice, fail the build.
const _: () = check_unique(FAMILIES);

const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether two rows collide: the same payload id, or a shared name for the same task.
const fn collide(a: &AlgorithmDef, b: &AlgorithmDef) -> bool {
    if a.id == b.id {
        return true;
    }
    if a.task as u8 != b.task as u8 {
        return false;
    }
    let mut i = 0;
    while i < a.names.len() {
        let mut j = 0;
        while j < b.names.len() {
            if same_str(a.names[i], b.names[j]) {
                return true;
            }
            j += 1;
        }
        i += 1;
    }
    false
}

const fn check_unique(families: &[&[AlgorithmDef]]) {
    let mut f = 0;
    while f < families.len() {
        let mut i = 0;
        while i < families[f].len() {
            let a = &families[f][i];
            assert!(a.id != 0 && !a.names.is_empty(), "an AlgorithmDef has payload id 0 or no name");
            // Every later row, in this family and the following ones.
            let (mut g, mut j) = (f, i + 1);
            while g < families.len() {
                while j < families[g].len() {
                    assert!(
                        !collide(a, &families[g][j]),
                        "two AlgorithmDefs share a payload id or a task+name; see crates/ml-core/README.md"
                    );
                    j += 1;
                }
                g += 1;
                j = 0;
            }
            i += 1;
        }
        f += 1;
    }
}

pub fn definitions() -> impl Iterator<Item = &'static AlgorithmDef> {
    FAMILIES.iter().flat_map(|family| family.iter())
}

pub fn find(task: Task, name: &str) -> Result<&'static AlgorithmDef> {
    definitions().find(|d| d.task == task && d.names.contains(&name)).ok_or_else(|| {
        let known: Vec<&str> = definitions().filter(|d| d.task == task).flat_map(|d| d.names.iter().copied()).collect();
        let known = if known.is_empty() { "none yet".to_string() } else { known.join(", ") };
        Error::new(
            ErrorKind::AlgorithmUnavailable,
            format!("the native runtime has no {} algorithm {name:?} (native: {known})", task.name()),
        )
    })
}

/// Hyperparameters checked against the algorithm's sklearn spec, defaults filled in.
pub fn validate(task: Task, name: &str, hyperparams: &Hyperparams) -> Result<Params> {
    let def = find(task, name)?;
    resolve(def.estimator, def.params, hyperparams)
}

/// The algorithm table as JSON for the JS side (which keeps no second list), one row per name:
/// `[{"task","algorithm","estimator","predictProba","multiTarget","hyperparams":{name: default},"params":[spec…]}]`
/// where each spec is `ParamSpec::to_json` (type, default and allowed range, as `validate` checks them).
pub fn algorithms_json() -> String {
    let rows: Vec<String> = definitions()
        .flat_map(|d| {
            let defaults = resolve(d.estimator, d.params, &Hyperparams::default()).map(|p| p.to_json()).unwrap_or_else(|_| "{}".to_string());
            let specs: Vec<String> = d.params.iter().map(|p| p.to_json()).collect();
            let specs = specs.join(",");
            d.names.iter().map(move |name| {
                format!(
                    r#"{{"task":"{}","algorithm":"{}","estimator":"{}","predictProba":{},"multiTarget":{},"hyperparams":{},"params":[{}]}}"#,
                    d.task.name(),
                    name,
                    d.estimator,
                    d.predict_proba,
                    d.multi_target,
                    defaults,
                    specs
                )
            })
        })
        .collect();
    format!("[{}]", rows.join(","))
}

/// A fitted model and the row it came from.
#[derive(Debug)]
pub struct Model {
    pub def: &'static AlgorithmDef,
    pub fitted: Box<dyn Fitted>,
}

/// Fits `name` for `task`. `x` is rows × features; `y` is rows × targets for regression, rows × 1 class indices
/// (0..n_classes) for classification, and may be absent for clustering and decomposition. `cancelled` is polled
/// between iterations of iterative solvers, `progress` told how far the fit came.
// Eight parameters, each a different type, so the compiler catches a swap; the one caller is the N-API export.
#[allow(clippy::too_many_arguments)]
pub fn fit(
    task: Task,
    name: &str,
    hyperparams: &Hyperparams,
    x: &MatrixView,
    y: Option<&MatrixView>,
    n_classes: usize,
    cancelled: &(dyn Fn() -> bool + Sync),
    progress: &dyn Progress,
) -> Result<(Model, FitInfo)> {
    let def = find(task, name)?;
    let params = resolve(def.estimator, def.params, hyperparams)?;
    match y {
        None if task.supervised() => {
            return Err(Error::invalid(format!("{} needs y to fit a {} model", def.estimator, task.name())))
        }
        Some(y) if y.rows() != x.rows() => {
            return Err(Error::invalid(format!("X has {} rows but y has {}", x.rows(), y.rows())))
        }
        Some(y) if y.cols() > 1 && !def.multi_target => {
            return Err(Error::invalid(format!("{} fits one target, y has {} columns", def.estimator, y.cols())))
        }
        _ => {}
    }
    let input = FitInput { x, y, n_classes, params: &params, cancelled, progress };
    let (fitted, info) = (def.fit)(&input)?;
    Ok((Model { def, fitted }, info))
}

impl Model {
    pub fn task(&self) -> Task {
        self.def.task
    }
    pub fn estimator(&self) -> &'static str {
        self.def.estimator
    }
    pub fn n_features(&self) -> usize {
        self.fitted.n_features()
    }
    /// Columns of `predict`'s output.
    pub fn n_outputs(&self) -> usize {
        self.fitted.n_outputs()
    }
    pub fn n_classes(&self) -> Option<usize> {
        self.fitted.n_classes()
    }

    /// Whether a few rows predict in microseconds on the calling thread (see `Fitted::inline_rows`).
    pub fn inline_rows(&self) -> bool {
        self.fitted.inline_rows()
    }

    fn check_features(&self, x: &MatrixView) -> Result<()> {
        pgml_ml_core::check_features(self.n_features(), x)
    }

    /// rows × n_outputs: target values, class indices, cluster indices or components.
    pub fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        self.check_features(x)?;
        self.fitted.predict(x)
    }

    /// rows × n_classes, or ALGORITHM_UNAVAILABLE for estimators without probabilities.
    pub fn predict_proba(&self, x: &MatrixView) -> Result<Vec<f64>> {
        if !self.def.predict_proba {
            return Err(Error::new(
                ErrorKind::AlgorithmUnavailable,
                format!("{} has no predict_proba", self.def.estimator),
            ));
        }
        self.check_features(x)?;
        self.fitted.predict_proba(x)
    }

    /// scikit-learn's `coef_` / `feature_importances_` where the estimator has them (ml-core importance.rs).
    pub fn feature_importances(&self) -> Option<Importances> {
        self.fitted.feature_importances()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(self.def.id);
        self.fitted.write(&mut w);
        w.finish()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let (mut r, header) = Reader::open(bytes)?;
        let def = definitions()
            .find(|d| d.id == header.algorithm_id)
            .ok_or_else(|| Error::corrupt(format!("unknown algorithm id {}", header.algorithm_id)))?;
        let fitted = (def.read)(&mut r)?;
        r.finish()?;
        Ok(Model { def, fitted })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgml_ml_core::hyperparams::Value;

    fn fit_xy(task: Task, name: &str, x: &MatrixView, y: &MatrixView, n_classes: usize) -> Model {
        fit(task, name, &Hyperparams::default(), x, Some(y), n_classes, &|| false, &pgml_ml_core::NO_PROGRESS)
            .unwrap()
            .0
    }

    fn sample_models() -> Vec<Model> {
        let data: Vec<f64> = (0..40).map(|i| ((i * 7919) % 23) as f64 / 7.0 - 1.3).collect();
        let x = MatrixView::new("X", &data, 10, 4).unwrap();
        let yr: Vec<f64> = (0..20).map(|i| (i as f64 * 0.61).cos()).collect();
        let yr = MatrixView::new("y", &yr, 10, 2).unwrap();
        let yc: Vec<f64> = (0..10).map(|i| (i % 3) as f64).collect();
        let yc = MatrixView::new("y", &yc, 10, 1).unwrap();
        let yb: Vec<f64> = yc.data().iter().map(|v| v.min(1.0)).collect();
        let yb = MatrixView::new("y", &yb, 10, 1).unwrap();
        vec![
            fit_xy(Task::Regression, "linear", &x, &yr, 0),
            fit_xy(Task::Regression, "ridge", &x, &yr, 0),
            fit_xy(Task::Classification, "linear", &x, &yc, 3),
            fit_xy(Task::Classification, "logistic", &x, &yb, 2),
        ]
    }

    #[test]
    fn table_ids_and_names_are_unique() {
        // Also enforced at compile time; this names the offenders.
        let defs: Vec<_> = definitions().collect();
        for (i, a) in defs.iter().enumerate() {
            for b in &defs[i + 1..] {
                assert!(!collide(a, b), "{a:?} collides with {b:?}");
            }
        }
    }

    #[test]
    fn payloads_round_trip_bit_exactly() {
        for model in sample_models() {
            let bytes = model.to_bytes();
            let back = Model::from_bytes(&bytes).unwrap();
            assert_eq!(back.def.id, model.def.id);
            assert_eq!(back.to_bytes(), bytes);
            let x: Vec<f64> = (0..8).map(|i| i as f64 * 0.3 - 1.0).collect();
            let x = MatrixView::new("X", &x, 2, 4).unwrap();
            assert_eq!(back.predict(&x).unwrap(), model.predict(&x).unwrap());
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
        assert_eq!(Model::from_bytes(&Writer::new(999).finish()).unwrap_err().kind, ErrorKind::CorruptModel);
    }

    #[test]
    fn algorithm_table_as_json() {
        let json = algorithms_json();
        assert!(
            json.starts_with(r#"[{"task":"regression","algorithm":"linear","estimator":"LinearRegression""#),
            "{json}"
        );
        assert!(json.contains(r#""hyperparams":{"alpha":1,"fit_intercept":true"#), "{json}");
        assert!(json.contains(r#""C":1,"tol":0.0001,"max_iter":100"#), "{json}");
        assert!(
            json.contains(r#"{"task":"classification","algorithm":"logistic","estimator":"LogisticRegression""#),
            "{json}"
        );
        assert!(
            json.contains(
                r#""params":[{"name":"alpha","default":1,"accepts":[{"type":"number","min":0,"minExclusive":false}]}"#
            ),
            "{json}"
        );
    }

    #[test]
    fn long_fits_report_their_progress() {
        use std::sync::Mutex;
        struct Reports(Mutex<Vec<(usize, usize, &'static str)>>);
        impl Progress for Reports {
            fn report(&self, done: usize, total: usize, unit: &'static str) {
                self.0.lock().unwrap().push((done, total, unit));
            }
        }
        let data: Vec<f64> = (0..200).map(|i| ((i * 7919) % 23) as f64 / 7.0).collect();
        let x = MatrixView::new("X", &data, 50, 4).unwrap();
        let y: Vec<f64> = (0..50).map(|i| (i % 2) as f64).collect();
        let y = MatrixView::new("y", &y, 50, 1).unwrap();
        let reports = Reports(Mutex::new(Vec::new()));
        let rounds = Hyperparams(vec![("n_estimators".into(), Value::Number(7.0))]);
        fit(Task::Regression, "xgboost", &rounds, &x, Some(&y), 0, &|| false, &reports).unwrap();
        assert_eq!(*reports.0.lock().unwrap(), (0..7).map(|i| (i, 7, "rounds")).collect::<Vec<_>>());
        let reports = Reports(Mutex::new(Vec::new()));
        fit(Task::Classification, "logistic", &Hyperparams::default(), &x, Some(&y), 2, &|| false, &reports).unwrap();
        let seen = reports.0.lock().unwrap();
        assert!(seen.len() > 1 && seen.iter().all(|&(_, total, unit)| total == 0 && unit == "iterations"), "{seen:?}");
    }

    #[test]
    fn unknown_algorithms_and_shape_errors() {
        let x = MatrixView::new("X", &[1.0, 2.0, 3.0, 4.0], 2, 2).unwrap();
        let y = MatrixView::new("y", &[1.0, 2.0], 2, 1).unwrap();
        let none = Hyperparams::default();
        let err = fit(Task::Regression, "lightgbm", &none, &x, Some(&y), 0, &|| false, &pgml_ml_core::NO_PROGRESS)
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::AlgorithmUnavailable);
        assert!(err.message.contains("linear, ridge"), "{}", err.message);
        let err =
            fit(Task::Clustering, "dbscan", &none, &x, None, 0, &|| false, &pgml_ml_core::NO_PROGRESS).unwrap_err();
        assert_eq!(err.kind, ErrorKind::AlgorithmUnavailable);
        let bad = Hyperparams(vec![("alpha".into(), Value::Str("big".into()))]);
        assert_eq!(
            fit(Task::Regression, "ridge", &bad, &x, Some(&y), 0, &|| false, &pgml_ml_core::NO_PROGRESS)
                .unwrap_err()
                .kind,
            ErrorKind::InvalidHyperparameter
        );
        let y3 = MatrixView::new("y", &[1.0, 2.0, 3.0], 3, 1).unwrap();
        assert_eq!(
            fit(Task::Regression, "linear", &none, &x, Some(&y3), 0, &|| false, &pgml_ml_core::NO_PROGRESS)
                .unwrap_err()
                .kind,
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            fit(Task::Regression, "linear", &none, &x, None, 0, &|| false, &pgml_ml_core::NO_PROGRESS)
                .unwrap_err()
                .kind,
            ErrorKind::InvalidArgument
        );
        let y2 = MatrixView::new("y", &[0.0, 1.0, 1.0, 0.0], 2, 2).unwrap();
        assert_eq!(
            fit(Task::Classification, "logistic", &none, &x, Some(&y2), 2, &|| false, &pgml_ml_core::NO_PROGRESS)
                .unwrap_err()
                .kind,
            ErrorKind::InvalidArgument
        );
        let model = fit_xy(Task::Regression, "linear", &x, &y, 0);
        let wide = MatrixView::new("X", &[1.0, 2.0, 3.0], 1, 3).unwrap();
        assert_eq!(model.predict(&wide).unwrap_err().kind, ErrorKind::InvalidArgument);
        assert_eq!(model.predict_proba(&x).unwrap_err().kind, ErrorKind::AlgorithmUnavailable);
    }

    #[test]
    fn every_task_name_parses() {
        for task in Task::ALL {
            assert_eq!(Task::parse(task.name()).unwrap(), task);
        }
        assert_eq!(Task::parse("ranking").unwrap_err().kind, ErrorKind::AlgorithmUnavailable);
    }
}
