//! The two registry rows end to end: fit, predict, payload round trips, and the awkward inputs of issue 5 (tiny and
//! degenerate data, bad hyperparameters, corrupt payloads, NaN features, cancellation).

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::hyperparams::{resolve, Hyperparams, Value};
use pgml_ml_core::{AlgorithmDef, ErrorKind, Fit, FitInput, Fitted, MatrixView, Result};
use pgml_ml_hist_gbdt::model::{
    HIST_GRADIENT_BOOSTING_CLASSIFIER as CLASSIFIER, HIST_GRADIENT_BOOSTING_REGRESSOR as REGRESSOR,
};

fn params(pairs: &[(&str, Value)]) -> Hyperparams {
    Hyperparams(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn fit_with(
    def: &AlgorithmDef,
    x: &MatrixView,
    y: &MatrixView,
    n_classes: usize,
    given: &Hyperparams,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Fit> {
    let params = resolve(def.estimator, def.params, given)?;
    (def.fit)(&FitInput { x, y: Some(y), n_classes, params: &params, cancelled, progress: &pgml_ml_core::NO_PROGRESS })
}

fn fit(
    def: &AlgorithmDef,
    x: &MatrixView,
    y: &MatrixView,
    n_classes: usize,
    given: &[(&str, Value)],
) -> Result<Box<dyn Fitted>> {
    fit_with(def, x, y, n_classes, &params(given), &|| false).map(|(model, _)| model)
}

fn to_bytes(def: &AlgorithmDef, model: &dyn Fitted) -> Vec<u8> {
    let mut w = Writer::new(def.id);
    model.write(&mut w);
    w.finish()
}

fn from_bytes(def: &AlgorithmDef, bytes: &[u8]) -> Result<Box<dyn Fitted>> {
    let (mut r, _) = Reader::open(bytes)?;
    let model = (def.read)(&mut r)?;
    r.finish()?;
    Ok(model)
}

/// 300 rows × 4 features of deterministic pseudo-random values; y depends on the first two.
fn sample(rows: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let x: Vec<f64> = (0..rows * 4).map(|i| ((i * 7919 + 13) % 1009) as f64 / 1009.0).collect();
    let y: Vec<f64> = x.chunks(4).map(|r| 3.0 * r[0] + (r[1] > 0.5) as u8 as f64).collect();
    let classes: Vec<f64> = x.chunks(4).map(|r| ((r[0] + r[1]) * 1.5).floor().min(2.0)).collect();
    (x, y, classes)
}

#[test]
fn fits_predicts_and_round_trips_bit_exactly() {
    let (x, y, classes) = sample(300);
    let xv = MatrixView::new("X", &x, 300, 4).unwrap();
    let y2: Vec<f64> = y.iter().flat_map(|&v| [v, -2.0 * v]).collect();
    let regressor = fit(&REGRESSOR, &xv, &MatrixView::new("y", &y2, 300, 2).unwrap(), 0, &[]).unwrap();
    let small = [("max_iter", Value::Number(4.0)), ("max_leaf_nodes", Value::Number(5.0))];
    let classifier = fit(&CLASSIFIER, &xv, &MatrixView::new("y", &classes, 300, 1).unwrap(), 4, &small).unwrap();
    let pred = regressor.predict(&xv).unwrap();
    let sse: f64 = pred.chunks(2).zip(&y).map(|(p, t)| (p[0] - t).powi(2)).sum();
    assert!(sse / 300.0 < 0.05, "training mse {}", sse / 300.0);
    let proba = classifier.predict_proba(&xv).unwrap();
    assert!(
        proba.chunks(4).all(|p| p[3] == 0.0 && (p.iter().sum::<f64>() - 1.0).abs() < 1e-12),
        "absent class 3 has probability 0"
    );
    // Small models for the byte-by-byte corruption loops.
    let small_regressor = fit(&REGRESSOR, &xv, &MatrixView::new("y", &y2, 300, 2).unwrap(), 0, &small).unwrap();
    for (def, model) in [(&REGRESSOR, &small_regressor), (&CLASSIFIER, &classifier)] {
        let bytes = to_bytes(def, model.as_ref());
        let back = from_bytes(def, &bytes).unwrap();
        assert_eq!(to_bytes(def, back.as_ref()), bytes);
        assert_eq!(back.predict(&xv).unwrap(), model.predict(&xv).unwrap());
        for len in 8..bytes.len() {
            assert_eq!(from_bytes(def, &bytes[..len]).unwrap_err().kind, ErrorKind::CorruptModel, "truncated at {len}");
        }
        for i in 8..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0xff;
            if let Ok(model) = from_bytes(def, &bad) {
                let _ = model.predict(&xv);
            }
        }
    }
}

#[test]
fn degenerate_data_gives_sklearns_answer_or_a_typed_error() {
    // One row: no tree can split, the prediction is the target itself.
    let one = MatrixView::new("X", &[1.0, 2.0], 1, 2).unwrap();
    let model = fit(&REGRESSOR, &one, &MatrixView::new("y", &[5.0], 1, 1).unwrap(), 0, &[]).unwrap();
    assert_eq!(model.predict(&one).unwrap(), vec![5.0]);
    // Two rows, two classes: the baseline's log-odds are 0, probabilities one half.
    let two = MatrixView::new("X", &[1.0, 2.0, 3.0, 4.0], 2, 2).unwrap();
    let model = fit(&CLASSIFIER, &two, &MatrixView::new("y", &[0.0, 1.0], 2, 1).unwrap(), 2, &[]).unwrap();
    assert_eq!(model.predict_proba(&two).unwrap(), vec![0.5, 0.5, 0.5, 0.5]);
    // A single class is a data error.
    let err = fit(&CLASSIFIER, &two, &MatrixView::new("y", &[1.0, 1.0], 2, 1).unwrap(), 2, &[]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::DataError);
    // Constant columns and a constant target: nothing to split, the mean everywhere.
    let constant = vec![3.0; 200];
    let xc = MatrixView::new("X", &constant, 100, 2).unwrap();
    let (_, y, _) = sample(100);
    let model = fit(&REGRESSOR, &xc, &MatrixView::new("y", &y, 100, 1).unwrap(), 0, &[]).unwrap();
    let mean = y.iter().sum::<f64>() / 100.0;
    assert!(model.predict(&xc).unwrap().iter().all(|p| (p - mean).abs() < 1e-12));
    let (x, _, _) = sample(100);
    let xv = MatrixView::new("X", &x, 100, 4).unwrap();
    let model = fit(&REGRESSOR, &xv, &MatrixView::new("y", &[7.0; 100], 100, 1).unwrap(), 0, &[]).unwrap();
    assert!(model.predict(&xv).unwrap().iter().all(|&p| p == 7.0));
    // More features than rows.
    let wide: Vec<f64> = (0..5 * 50).map(|i| (i % 7) as f64).collect();
    let xw = MatrixView::new("X", &wide, 5, 50).unwrap();
    assert!(fit(&REGRESSOR, &xw, &MatrixView::new("y", &[1.0, 2.0, 3.0, 4.0, 5.0], 5, 1).unwrap(), 0, &[]).is_ok());
    // Early stopping on one row cannot hold out a validation set.
    let err = fit(
        &REGRESSOR,
        &one,
        &MatrixView::new("y", &[1.0], 1, 1).unwrap(),
        0,
        &[("early_stopping", Value::Bool(true))],
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::DataError);
    let err = fit(&REGRESSOR, &two, &MatrixView::new("y", &[1.0, f64::NAN], 2, 1).unwrap(), 0, &[]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::DataError);
}

#[test]
fn out_of_range_or_unsupported_hyperparameters_are_rejected() {
    let (x, y, _) = sample(50);
    let xv = MatrixView::new("X", &x, 50, 4).unwrap();
    let yv = MatrixView::new("y", &y, 50, 1).unwrap();
    for bad in [
        ("max_bins", Value::Number(256.0)),
        ("max_bins", Value::Number(1.0)),
        ("random_state", Value::Number(4_294_967_296.0)),
        ("validation_fraction", Value::Number(1.5)),
        ("learning_rate", Value::Number(0.0)),
        ("max_leaf_nodes", Value::Number(1.0)),
        ("categorical_features", Value::Str("auto".into())),
        ("early_stopping", Value::Str("yes".into())),
        ("scoring", Value::Str("r2".into())),
        ("loss", Value::Str("poisson".into())),
        ("n_estimators", Value::Number(10.0)),
    ] {
        let err = fit(&REGRESSOR, &xv, &yv, 0, std::slice::from_ref(&bad)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidHyperparameter, "{bad:?}: {}", err.message);
    }
}

#[test]
fn nan_features_use_the_missing_bin_and_its_learned_direction() {
    // Feature 0 is NaN exactly where the target is high: a split on NaN alone explains y.
    let x: Vec<f64> =
        (0..200).flat_map(|i| [if i % 4 == 0 { f64::NAN } else { (i % 13) as f64 }, (i % 5) as f64]).collect();
    let y: Vec<f64> = (0..200).map(|i| if i % 4 == 0 { 10.0 } else { 0.0 }).collect();
    let xv = MatrixView::new("X", &x, 200, 2).unwrap();
    let model = fit(&REGRESSOR, &xv, &MatrixView::new("y", &y, 200, 1).unwrap(), 0, &[]).unwrap();
    let probe = MatrixView::new("X", &[f64::NAN, 1.0, 3.0, 1.0], 2, 2).unwrap();
    let pred = model.predict(&probe).unwrap();
    assert!((pred[0] - 10.0).abs() < 0.01 && pred[1].abs() < 0.01, "{pred:?}");
}

#[test]
fn cancellation_aborts_between_iterations() {
    let (x, y, _) = sample(100);
    let xv = MatrixView::new("X", &x, 100, 4).unwrap();
    let yv = MatrixView::new("y", &y, 100, 1).unwrap();
    let err = fit_with(&REGRESSOR, &xv, &yv, 0, &Hyperparams::default(), &|| true).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Aborted);
}
