//! The estimator contract checked on every row of the algorithm table, the way scikit-learn's common tests loop over
//! every estimator: a tiny fit with default hyperparameters, predict's shape, probabilities that are a distribution
//! whose argmax is the prediction, and a payload round trip that predicts bit-identically. A new algorithm is
//! covered the moment it enters a family's table.

use pgml_ml_core::hyperparams::Value;
use pgml_ml_core::{Hyperparams, MatrixView, Task, NO_PROGRESS};

use crate::registry::{definitions, fit, Model};

const ROWS: usize = 60;
const COLS: usize = 3;

/// sklearn's SVC predicts from the decision function and calibrates probabilities separately (Platt scaling, with
/// its own cross-validation), so its argmax may disagree with predict there too.
const PROBA_ARGMAX_MAY_DIFFER: &[&str] = &["SVC"];

/// Defaults, except where sklearn's defaults give no probabilities (SVC needs `probability=True`).
fn hyperparams_for(estimator: &str) -> Hyperparams {
    match estimator {
        "SVC" => {
            Hyperparams(vec![("probability".into(), Value::Bool(true)), ("random_state".into(), Value::Number(0.0))])
        }
        _ => Hyperparams::default(),
    }
}

/// How far a row of probabilities may sum from 1: libxgboost computes them in f32, everything else in f64.
fn sum_tolerance(estimator: &str) -> f64 {
    if estimator.starts_with("XGB") {
        1e-6
    } else {
        1e-9
    }
}

fn features() -> Vec<f64> {
    (0..ROWS * COLS).map(|k| (((k * 7919 + (k / COLS) * 104_729) % 257) as f64 - 128.0) / 64.0).collect()
}

/// Targets learnable from the features: a linear function (regression), three classes cut from it (classification).
fn targets(task: Task, x: &[f64]) -> (Option<Vec<f64>>, usize) {
    let signal: Vec<f64> = x.chunks(COLS).map(|r| r[0] - 2.0 * r[1] + 0.5 * r[2]).collect();
    match task {
        Task::Regression => (Some(signal), 0),
        Task::Classification => (
            Some(
                signal
                    .iter()
                    .map(|&s| {
                        if s < -0.5 {
                            0.0
                        } else if s < 0.5 {
                            1.0
                        } else {
                            2.0
                        }
                    })
                    .collect(),
            ),
            3,
        ),
        Task::Clustering | Task::Decomposition => (None, 0),
    }
}

#[test]
fn every_algorithm_fits_predicts_and_round_trips() {
    let x = features();
    let xv = MatrixView::new("X", &x, ROWS, COLS).unwrap();
    for def in definitions() {
        let what = format!("{} {}", def.task.name(), def.names[0]);
        let (y, classes) = targets(def.task, &x);
        let yv = y.as_ref().map(|y| MatrixView::new("y", y, ROWS, 1).unwrap());
        let (model, _) = fit(
            def.task,
            def.names[0],
            &hyperparams_for(def.estimator),
            &xv,
            yv.as_ref(),
            classes,
            &|| false,
            &NO_PROGRESS,
        )
        .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(model.n_features(), COLS, "{what}");
        let predictions = model.predict(&xv).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(predictions.len(), ROWS * model.n_outputs(), "{what}: predict's shape");
        assert!(predictions.iter().all(|p| p.is_finite()), "{what}: finite predictions");
        if def.task == Task::Classification {
            assert!(
                predictions.iter().all(|&p| p.fract() == 0.0 && p >= 0.0 && (p as usize) < classes),
                "{what}: class indices"
            );
        }
        if def.predict_proba {
            let k = model.n_classes().unwrap_or_else(|| panic!("{what}: a classifier reports its classes"));
            let proba = model.predict_proba(&xv).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(proba.len(), ROWS * k, "{what}: predict_proba's shape");
            for (row, (p, &predicted)) in proba.chunks(k).zip(&predictions).enumerate() {
                assert!(p.iter().all(|&v| (0.0..=1.0).contains(&v)), "{what}: row {row} {p:?}");
                assert!(
                    (p.iter().sum::<f64>() - 1.0).abs() < sum_tolerance(def.estimator),
                    "{what}: row {row} sums to {}",
                    p.iter().sum::<f64>()
                );
                let argmax = p.iter().enumerate().fold(0, |best, (i, &v)| if v > p[best] { i } else { best });
                if !PROBA_ARGMAX_MAY_DIFFER.contains(&def.estimator) {
                    assert_eq!(argmax as f64, predicted, "{what}: row {row} argmax of {p:?}");
                }
            }
        }
        let bytes = model.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(back.to_bytes(), bytes, "{what}: payload round trip");
        let again = back.predict(&xv).unwrap();
        assert!(
            again.iter().zip(&predictions).all(|(a, b)| a.to_bits() == b.to_bits()),
            "{what}: reloaded model predicts bit-identically"
        );
    }
}
