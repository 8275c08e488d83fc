//! SVC / SVR end to end through their `AlgorithmDef` rows: fits on small problems, payload round trips, corrupt
//! payloads, and the data edge cases the registry leaves to the algorithm.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::hyperparams::{resolve, Hyperparams, Value};
use pgml_ml_core::{AlgorithmDef, ErrorKind, Fit, FitInput, Fitted, MatrixView, Result};
use pgml_ml_svm::ALGORITHMS;

pub fn def(estimator: &str) -> &'static AlgorithmDef {
    ALGORITHMS.iter().find(|d| d.estimator == estimator).unwrap()
}

pub fn fit(
    estimator: &str,
    x: &[f64],
    cols: usize,
    y: &[f64],
    y_cols: usize,
    n_classes: usize,
    params: &[(&str, Value)],
) -> Result<Fit> {
    let d = def(estimator);
    let given = Hyperparams(params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
    let params = resolve(d.estimator, d.params, &given)?;
    let xv = MatrixView::finite("X", x, x.len() / cols, cols)?;
    let yv = MatrixView::new("y", y, y.len() / y_cols, y_cols)?;
    (d.fit)(&FitInput {
        x: &xv,
        y: Some(&yv),
        n_classes,
        params: &params,
        cancelled: &|| false,
        progress: &pgml_ml_core::NO_PROGRESS,
    })
}

pub fn round_trip(estimator: &str, model: &dyn Fitted) -> Vec<u8> {
    let d = def(estimator);
    let mut w = Writer::new(d.id);
    model.write(&mut w);
    let bytes = w.finish();
    let (mut r, header) = Reader::open(&bytes).unwrap();
    assert_eq!(header.algorithm_id, d.id);
    let back = (d.read)(&mut r).unwrap();
    r.finish().unwrap();
    let mut w2 = Writer::new(d.id);
    back.write(&mut w2);
    assert_eq!(w2.finish(), bytes, "re-serialization is bit-exact");
    for len in 8..bytes.len() {
        let (mut r, _) = Reader::open(&bytes[..len]).unwrap();
        assert!((d.read)(&mut r).and_then(|_| r.finish()).is_err(), "truncated at {len} must fail");
    }
    bytes
}

/// Two Gaussian-ish blobs per class on a line, deterministic.
fn blobs(classes: usize, per_class: usize) -> (Vec<f64>, Vec<f64>) {
    let mut x = Vec::new();
    let mut y = Vec::new();
    for c in 0..classes {
        for i in 0..per_class {
            let t = i as f64 / per_class as f64;
            x.extend_from_slice(&[c as f64 * 3.0 + (t * 7.3).sin(), (c as f64 * 1.7).cos() * 2.0 + (t * 5.1).cos()]);
            y.push(c as f64);
        }
    }
    (x, y)
}

#[test]
fn svc_separates_blobs_and_round_trips() {
    let (x, y) = blobs(3, 20);
    for kernel in ["rbf", "linear", "poly", "sigmoid"] {
        let (model, info) =
            fit("SVC", &x, 2, &y, 1, 3, &[("kernel", Value::Str(kernel.into())), ("probability", Value::Bool(true))])
                .unwrap();
        assert!(info.converged);
        let xv = MatrixView::new("X", &x, 60, 2).unwrap();
        let pred = model.predict(&xv).unwrap();
        let accuracy = pred.iter().zip(&y).filter(|(p, t)| p == t).count() as f64 / 60.0;
        if kernel != "sigmoid" {
            assert!(accuracy > 0.9, "{kernel}: accuracy {accuracy}");
        }
        let proba = model.predict_proba(&xv).unwrap();
        for row in proba.chunks(3) {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        round_trip("SVC", model.as_ref());
    }
}

#[test]
fn svc_without_probability_says_how_to_get_it() {
    let (x, y) = blobs(2, 10);
    let (model, _) = fit("SVC", &x, 2, &y, 1, 2, &[]).unwrap();
    let err = model.predict_proba(&MatrixView::new("X", &x, 20, 2).unwrap()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
    assert!(err.message.contains("\"probability\": true"), "{}", err.message);
}

#[test]
fn svc_data_edge_cases() {
    // A single class is a data error; constant columns, more features than rows and 2 rows are fine.
    assert_eq!(fit("SVC", &[1.0, 2.0, 3.0], 1, &[1.0, 1.0, 1.0], 1, 2, &[]).unwrap_err().kind, ErrorKind::DataError);
    let (model, _) = fit("SVC", &[0.0, 5.0, 1.0, 5.0], 2, &[0.0, 1.0], 1, 2, &[]).unwrap();
    assert_eq!(model.predict(&MatrixView::new("X", &[0.0, 5.0, 1.0, 5.0], 2, 2).unwrap()).unwrap(), vec![0.0, 1.0]);
    let wide: Vec<f64> = (0..30).map(|i| (i as f64 * 0.37).sin()).collect();
    assert!(fit("SVC", &wide, 10, &[0.0, 1.0, 0.0], 1, 2, &[]).is_ok());
    // Constant X: gamma "scale" falls back to 1 as sklearn; the fit still answers.
    assert!(fit("SVC", &[2.0; 8], 2, &[0.0, 1.0, 0.0, 1.0], 1, 2, &[("probability", Value::Bool(true))]).is_ok());
    let err = fit("SVC", &[0.0, 1.0], 1, &[0.0, 1.0], 1, 2, &[("break_ties", Value::Bool(true))]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidHyperparameter);
}

#[test]
fn svr_fits_a_curve_multi_target_and_round_trips() {
    let x: Vec<f64> = (0..40).map(|i| i as f64 / 8.0).collect();
    let y: Vec<f64> = x.iter().flat_map(|&v| [v.sin(), 2.0 * v - 1.0]).collect();
    let (model, info) = fit("SVR", &x, 1, &y, 2, 0, &[("C", Value::Number(10.0))]).unwrap();
    assert!(info.converged);
    let pred = model.predict(&MatrixView::new("X", &x, 40, 1).unwrap()).unwrap();
    let max_err = pred.iter().zip(&y).map(|(p, t)| (p - t).abs()).fold(0.0, f64::max);
    assert!(max_err < 0.5, "max error {max_err}");
    round_trip("SVR", model.as_ref());
    // Zero-variance target: every residual sits inside the ε tube, no support vectors, predicts the constant.
    let (flat, _) = fit("SVR", &x, 1, &vec![3.0; 40], 1, 0, &[]).unwrap();
    let pred = flat.predict(&MatrixView::new("X", &x[..3], 3, 1).unwrap()).unwrap();
    assert!(pred.iter().all(|p| (p - 3.0).abs() <= 0.1 + 1e-9), "{pred:?}");
    round_trip("SVR", flat.as_ref());
    // One row.
    assert!(fit("SVR", &[1.0, 2.0], 2, &[5.0], 1, 0, &[]).is_ok());
}
