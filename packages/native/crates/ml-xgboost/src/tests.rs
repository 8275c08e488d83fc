//! Behaviour of the four rows through the library: fits, shapes, payload round trips and corruption, thread-count
//! independence, and the awkward inputs (one class, one row, wide data, NaN labels, bad parameters).
//! Parity with python-xgboost is test/ml-xgboost.test.ts's job (committed references).

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::hyperparams::Value;
use pgml_ml_core::testing::fit_def;
use pgml_ml_core::{AlgorithmDef, ErrorKind, Fitted, MatrixView, Result};

use crate::*;

/// A deterministic cloud: rows × cols in [-1, 1), from a 64-bit LCG.
fn cloud(rows: usize, cols: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..rows * cols)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 52) as f64 - 1.0
        })
        .collect()
}

fn fit_with(
    def: &AlgorithmDef,
    pairs: &[(&str, Value)],
    x: &MatrixView,
    y: &MatrixView,
    n_classes: usize,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Box<dyn Fitted>> {
    Ok(fit_def(def, pairs, x, Some(y), n_classes, cancelled)?.0)
}

fn fit(
    def: &AlgorithmDef,
    pairs: &[(&str, Value)],
    x: &MatrixView,
    y: &MatrixView,
    n_classes: usize,
) -> Result<Box<dyn Fitted>> {
    fit_with(def, pairs, x, y, n_classes, &|| false)
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

fn num(v: f64) -> Value {
    Value::Number(v)
}

struct Data {
    x: Vec<f64>,
    y_reg: Vec<f64>,
    y_two: Vec<f64>,
    y_multi: Vec<f64>,
    rows: usize,
    cols: usize,
}

fn data() -> Data {
    let (rows, cols) = (200, 5);
    let x = cloud(rows, cols, 7);
    let score = |r: &[f64]| 2.0 * r[0] - r[1] + r[2] * r[3];
    let y_reg: Vec<f64> = x.chunks(cols).flat_map(|r| [score(r), r[4] * 3.0 + r[0]]).collect();
    let y_two = x.chunks(cols).map(|r| f64::from(score(r) > 0.0)).collect();
    // Labels 0, 1, 3 of 4: class 2 never occurs.
    let y_multi = x
        .chunks(cols)
        .map(|r| {
            if r[0] > 0.3 {
                3.0
            } else if r[1] > 0.0 {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    Data { x, y_reg, y_two, y_multi, rows, cols }
}

#[test]
fn regression_single_and_multi_target() {
    let d = data();
    let x = MatrixView::new("X", &d.x, d.rows, d.cols).unwrap();
    let both = MatrixView::new("y", &d.y_reg, d.rows, 2).unwrap();
    let first: Vec<f64> = d.y_reg.iter().step_by(2).copied().collect();
    let one = MatrixView::new("y", &first, d.rows, 1).unwrap();
    for def in [&XGBOOST_REGRESSION, &XGBOOST_RANDOM_FOREST_REGRESSION] {
        let model = fit(def, &[("n_estimators", num(20.0)), ("random_state", num(3.0))], &x, &one, 0).unwrap();
        assert_eq!((model.n_features(), model.n_outputs(), model.n_classes()), (5, 1, None));
        let pred = model.predict(&x).unwrap();
        let mse = pred.iter().zip(&first).map(|(p, t)| (p - t) * (p - t)).sum::<f64>() / d.rows as f64;
        let var = first.iter().map(|t| t * t).sum::<f64>() / d.rows as f64;
        assert!(mse < 0.25 * var, "{} mse {mse} var {var}", def.estimator);

        // Two targets: one booster each, exactly the single-target fits (python's MultiOutputRegressor).
        let params = [("n_estimators", num(20.0)), ("subsample", num(0.7)), ("random_state", num(3.0))];
        let two = fit(def, &params, &x, &both, 0).unwrap();
        assert_eq!(two.n_outputs(), 2);
        let pred = two.predict(&x).unwrap();
        for t in 0..2 {
            let column: Vec<f64> = d.y_reg.iter().skip(t).step_by(2).copied().collect();
            let alone = fit(def, &params, &x, &MatrixView::new("y", &column, d.rows, 1).unwrap(), 0).unwrap();
            assert_eq!(
                pred.iter().skip(t).step_by(2).copied().collect::<Vec<_>>(),
                alone.predict(&x).unwrap(),
                "{} target {t}",
                def.estimator
            );
        }
        assert_eq!(two.predict_proba(&x).unwrap_err().kind, ErrorKind::InvalidArgument);
        let bytes = to_bytes(def, two.as_ref());
        assert_eq!(to_bytes(def, from_bytes(def, &bytes).unwrap().as_ref()), bytes);
    }
}

#[test]
fn joint_multi_target_payloads_from_before_still_load() {
    // Payloads written before per-target fits (and by the migration's converter) hold one booster with XGBoost's
    // own multi-output trees (format 1).
    let d = data();
    let x = MatrixView::new("X", &d.x, d.rows, d.cols).unwrap();
    let mut dtrain = crate::handle::DMatrix::dense(&x, 1).unwrap();
    dtrain.set_labels(&d.y_reg, d.rows, 2).unwrap();
    let params = [("objective", "reg:squarederror".to_string())];
    let booster = crate::handle::Booster::train(&dtrain, &params, 10, &|| false).unwrap();
    let joint = crate::model::XgbModel::new(vec![booster.save_ubj().unwrap()], d.cols, 2, None).unwrap();
    assert_eq!(joint.predict(&x).unwrap().len(), d.rows * 2);
    let bytes = to_bytes(&XGBOOST_REGRESSION, &joint);
    let back = from_bytes(&XGBOOST_REGRESSION, &bytes).unwrap();
    assert_eq!(back.predict(&x).unwrap(), joint.predict(&x).unwrap());
    assert_eq!(to_bytes(&XGBOOST_REGRESSION, back.as_ref()), bytes);
}

#[test]
fn classification_probabilities_and_labels() {
    let d = data();
    let x = MatrixView::new("X", &d.x, d.rows, d.cols).unwrap();
    for def in [&XGBOOST_CLASSIFICATION, &XGBOOST_RANDOM_FOREST_CLASSIFICATION] {
        for (labels, n_classes) in [(&d.y_two, 2), (&d.y_multi, 4)] {
            let y = MatrixView::new("y", labels, d.rows, 1).unwrap();
            let model = fit(def, &[("n_estimators", num(10.0))], &x, &y, n_classes).unwrap();
            assert_eq!(model.n_classes(), Some(n_classes));
            let (proba, pred) = (model.predict_proba(&x).unwrap(), model.predict(&x).unwrap());
            assert_eq!(proba.len(), d.rows * n_classes);
            for (row, &label) in proba.chunks(n_classes).zip(&pred) {
                assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-6, "{row:?}");
                let best = row.iter().enumerate().fold(0, |b, (j, &p)| if p > row[b] { j } else { b });
                assert_eq!(best as f64, label);
                if n_classes == 4 {
                    assert_eq!(row[2], 0.0, "class 2 was never seen");
                }
            }
            let accuracy = pred.iter().zip(labels.iter()).filter(|(p, t)| p == t).count() as f64 / d.rows as f64;
            assert!(accuracy > 0.9, "{} accuracy {accuracy}", def.estimator);
        }
    }
}

#[test]
fn payload_round_trips_bit_exactly_and_predicts_the_same() {
    let d = data();
    let x = MatrixView::new("X", &d.x, d.rows, d.cols).unwrap();
    let y = MatrixView::new("y", &d.y_multi, d.rows, 1).unwrap();
    let yr = MatrixView::new("y", &d.y_reg, d.rows, 2).unwrap();
    for (def, y, k) in [(&XGBOOST_CLASSIFICATION, &y, 4), (&XGBOOST_RANDOM_FOREST_REGRESSION, &yr, 0)] {
        let model = fit(def, &[("n_estimators", num(5.0))], &x, y, k).unwrap();
        let bytes = to_bytes(def, model.as_ref());
        let back = from_bytes(def, &bytes).unwrap();
        assert_eq!(to_bytes(def, back.as_ref()), bytes);
        assert_eq!(back.predict(&x).unwrap(), model.predict(&x).unwrap());
        if k > 0 {
            assert_eq!(back.predict_proba(&x).unwrap(), model.predict_proba(&x).unwrap());
        }
    }
}

#[test]
fn truncated_or_damaged_payloads_are_corrupt_model_errors() {
    let d = data();
    let x = MatrixView::new("X", &d.x, d.rows, d.cols).unwrap();
    let y = MatrixView::new("y", &d.y_two, d.rows, 1).unwrap();
    let def = &XGBOOST_CLASSIFICATION;
    let bytes = to_bytes(def, fit(def, &[("n_estimators", num(3.0))], &x, &y, 2).unwrap().as_ref());
    for len in 8..bytes.len() {
        assert_eq!(from_bytes(def, &bytes[..len]).unwrap_err().kind, ErrorKind::CorruptModel, "truncated to {len}");
    }
    for i in (8..bytes.len()).step_by(7) {
        let mut bad = bytes.clone();
        bad[i] ^= 0x5a;
        assert_eq!(from_bytes(def, &bad).unwrap_err().kind, ErrorKind::CorruptModel, "byte {i} flipped");
    }
    // A regression row must not accept a classifier body, nor the reverse.
    assert_eq!(from_bytes(&XGBOOST_REGRESSION, &bytes).unwrap_err().kind, ErrorKind::CorruptModel);
    // Bytes that pass our checksum but are not an XGBoost model reach the library, which must refuse them cleanly.
    assert_eq!(crate::handle::Booster::load(b"{\"not\": \"a model\"}").unwrap_err().kind, ErrorKind::CorruptModel);
    assert_eq!(crate::handle::Booster::load(&bytes[40..]).unwrap_err().kind, ErrorKind::CorruptModel);
}

#[test]
fn thread_count_does_not_change_the_model() {
    let d = data();
    let x = MatrixView::new("X", &d.x, d.rows, d.cols).unwrap();
    let y = MatrixView::new("y", &d.y_multi, d.rows, 1).unwrap();
    for method in ["exact", "approx", "hist"] {
        let fitted: Vec<Vec<u8>> = [1.0, 2.0, 4.0]
            .iter()
            .map(|&threads| {
                let pairs = [
                    ("tree_method", Value::Str(method.into())),
                    ("n_jobs", num(threads)),
                    ("subsample", num(0.7)),
                    ("random_state", num(1.0)),
                ];
                to_bytes(&XGBOOST_CLASSIFICATION, fit(&XGBOOST_CLASSIFICATION, &pairs, &x, &y, 4).unwrap().as_ref())
            })
            .collect();
        assert!(fitted.windows(2).all(|w| w[0] == w[1]), "{method}: models differ across thread counts");
    }
}

#[test]
fn awkward_inputs_are_typed_errors_or_sklearn_results() {
    let d = data();
    let x = MatrixView::new("X", &d.x, d.rows, d.cols).unwrap();
    let ones = vec![1.0; d.rows];
    let one_class = MatrixView::new("y", &ones, d.rows, 1).unwrap();
    assert_eq!(fit(&XGBOOST_CLASSIFICATION, &[], &x, &one_class, 2).unwrap_err().kind, ErrorKind::DataError);
    let mut nan_y = d.y_reg[..d.rows].to_vec();
    nan_y[5] = f64::NAN;
    let nan_y = MatrixView::new("y", &nan_y, d.rows, 1).unwrap();
    assert_eq!(fit(&XGBOOST_REGRESSION, &[], &x, &nan_y, 0).unwrap_err().kind, ErrorKind::DataError);

    // One row; more features than rows; constant columns; a constant target: fits like python's (a constant or
    // near-constant model), no error.
    let single = MatrixView::new("X", &d.x[..d.cols], 1, d.cols).unwrap();
    let model = fit(&XGBOOST_REGRESSION, &[], &single, &MatrixView::new("y", &[2.5], 1, 1).unwrap(), 0).unwrap();
    assert!(model.predict(&single).unwrap()[0].is_finite());
    let wide = cloud(3, 50, 2);
    let wide = MatrixView::new("X", &wide, 3, 50).unwrap();
    let model = fit(
        &XGBOOST_RANDOM_FOREST_CLASSIFICATION,
        &[],
        &wide,
        &MatrixView::new("y", &[0.0, 1.0, 1.0], 3, 1).unwrap(),
        2,
    )
    .unwrap();
    assert_eq!(model.predict_proba(&wide).unwrap().len(), 6);
    let constant = vec![4.0; d.rows * 3];
    let constant_x = MatrixView::new("X", &constant, d.rows, 3).unwrap();
    let model =
        fit(&XGBOOST_REGRESSION, &[], &constant_x, &MatrixView::new("y", &ones, d.rows, 1).unwrap(), 0).unwrap();
    assert!(model.predict(&constant_x).unwrap().iter().all(|p| (p - 1.0).abs() < 1e-3));

    // Parameter combinations only the library knows to reject, and labels an objective refuses.
    let y = MatrixView::new("y", &d.y_reg[..d.rows], d.rows, 1).unwrap();
    let err = fit(
        &XGBOOST_REGRESSION,
        &[
            ("max_depth", num(0.0)),
            ("grow_policy", Value::Str("depthwise".into())),
            ("tree_method", Value::Str("hist".into())),
        ],
        &x,
        &y,
        0,
    );
    if let Err(err) = err {
        assert_eq!(err.kind, ErrorKind::InvalidHyperparameter, "{}", err.message);
    }
    let negative: Vec<f64> = (0..d.rows).map(|i| -(i as f64) - 1.0).collect();
    let negative = MatrixView::new("y", &negative, d.rows, 1).unwrap();
    let err = fit(&XGBOOST_REGRESSION, &[("objective", Value::Str("reg:gamma".into()))], &x, &negative, 0).unwrap_err();
    assert_eq!(err.kind, ErrorKind::DataError, "{}", err.message);
    assert_eq!(
        fit(&XGBOOST_REGRESSION, &[("colsample_bynode", num(2.0))], &x, &y, 0).unwrap_err().kind,
        ErrorKind::InvalidHyperparameter
    );
}

#[test]
fn cancellation_stops_between_rounds() {
    let d = data();
    let x = MatrixView::new("X", &d.x, d.rows, d.cols).unwrap();
    let y = MatrixView::new("y", &d.y_two, d.rows, 1).unwrap();
    let err = fit_with(&XGBOOST_CLASSIFICATION, &[], &x, &y, 2, &|| true).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Aborted);
}

#[test]
fn concurrent_predictions_agree() {
    let d = data();
    let x = MatrixView::new("X", &d.x, d.rows, d.cols).unwrap();
    let y = MatrixView::new("y", &d.y_multi, d.rows, 1).unwrap();
    let bytes = to_bytes(&XGBOOST_CLASSIFICATION, fit(&XGBOOST_CLASSIFICATION, &[], &x, &y, 4).unwrap().as_ref());
    let model = from_bytes(&XGBOOST_CLASSIFICATION, &bytes).unwrap();
    let expected = model.predict_proba(&x).unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..4).map(|_| s.spawn(|| (0..20).all(|_| model.predict_proba(&x).unwrap() == expected))).collect();
        assert!(handles.into_iter().all(|h| h.join().unwrap()));
    });
}
