//! Behaviour of the family's rows through the estimator contract: fits, sklearn's edge-case behaviour, typed
//! errors, determinism and payload round trips.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::hyperparams::Value;
use pgml_ml_core::testing::fit_def;
use pgml_ml_core::{AlgorithmDef, ErrorKind, Fitted, MatrixView, Result, Task};

use crate::ALGORITHMS;

fn def(name: &str, task: Task) -> &'static AlgorithmDef {
    ALGORITHMS.iter().find(|d| d.names[0] == name && d.task == task).expect("row exists")
}

fn fit(
    d: &AlgorithmDef,
    x: &[f64],
    cols: usize,
    y: &[f64],
    y_cols: usize,
    n_classes: usize,
    params: &[(&str, Value)],
) -> Result<Box<dyn Fitted>> {
    let rows = x.len() / cols;
    let x = MatrixView::finite("X", x, rows, cols)?;
    let y = MatrixView::new("y", y, rows, y_cols)?;
    Ok(fit_def(d, params, &x, Some(&y), n_classes, &|| false)?.0)
}

fn predict(model: &dyn Fitted, x: &[f64]) -> Vec<f64> {
    model.predict(&MatrixView::new("X", x, x.len() / model.n_features(), model.n_features()).unwrap()).unwrap()
}

fn proba(model: &dyn Fitted, x: &[f64]) -> Vec<f64> {
    model.predict_proba(&MatrixView::new("X", x, x.len() / model.n_features(), model.n_features()).unwrap()).unwrap()
}

fn bytes(d: &AlgorithmDef, model: &dyn Fitted) -> Vec<u8> {
    let mut w = Writer::new(d.id);
    model.write(&mut w);
    w.finish()
}

fn read(d: &AlgorithmDef, bytes: &[u8]) -> Result<Box<dyn Fitted>> {
    let (mut r, header) = Reader::open(bytes)?;
    assert_eq!(header.algorithm_id, d.id);
    let model = (d.read)(&mut r)?;
    r.finish()?;
    Ok(model)
}

/// Two informative features and a noise feature; y is a step of the first plus a bump of the second.
fn toy(rows: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut x = Vec::new();
    let (mut reg, mut class) = (Vec::new(), Vec::new());
    for i in 0..rows {
        let (a, b, c) = ((i % 17) as f64, ((i * 7) % 11) as f64, ((i * 13) % 5) as f64);
        x.extend([a, b, c]);
        reg.push(if a > 8.0 { 10.0 } else { 0.0 } + if b > 5.0 { 3.0 } else { 0.0 });
        class.push(if a > 8.0 {
            2.0
        } else if b > 5.0 {
            1.0
        } else {
            0.0
        });
    }
    (x, reg, class)
}

const NAMES: [&str; 4] = ["decision_tree", "random_forest", "extra_trees", "gradient_boosting_trees"];
const SEED: (&str, Value) = ("random_state", Value::Number(0.0));

#[test]
fn every_row_learns_a_noiseless_target_and_round_trips_bit_exactly() {
    let (x, reg, class) = toy(200);
    for name in NAMES {
        let d = def(name, Task::Regression);
        let model = fit(d, &x, 3, &reg, 1, 0, &[SEED]).unwrap();
        let pred = predict(model.as_ref(), &x);
        let mse = pred.iter().zip(&reg).map(|(p, y)| (p - y) * (p - y)).sum::<f64>() / reg.len() as f64;
        assert!(mse < 0.05, "{name} regression mse {mse}");

        let d_class = def(name, Task::Classification);
        let classifier = fit(d_class, &x, 3, &class, 1, 4, &[SEED]).unwrap();
        assert_eq!(predict(classifier.as_ref(), &x), class, "{name} classification");
        let p = proba(classifier.as_ref(), &x);
        assert_eq!(p.len(), 200 * 4);
        for row in p.chunks(4) {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-9 && row[3] == 0.0, "{name}: {row:?}");
        }

        for (d, model) in [(d, &model), (d_class, &classifier)] {
            let saved = bytes(d, model.as_ref());
            let back = read(d, &saved).unwrap();
            assert_eq!(bytes(d, back.as_ref()), saved, "{name}");
            assert_eq!(predict(back.as_ref(), &x), predict(model.as_ref(), &x));
        }
    }
}

#[test]
fn truncated_and_corrupted_payloads_are_errors() {
    let (x, reg, class) = toy(40);
    for name in NAMES {
        for (task, y, k) in [(Task::Regression, &reg, 0), (Task::Classification, &class, 3)] {
            let d = def(name, task);
            let params = [SEED, ("n_estimators", Value::Number(2.0))];
            let params = if name == "decision_tree" { &params[..1] } else { &params[..] };
            let saved = bytes(d, fit(d, &x, 3, y, 1, k, params).unwrap().as_ref());
            for len in 8..saved.len() {
                assert!(read(d, &saved[..len]).is_err(), "{name} {task:?} truncated at {len}");
            }
            let mut extra = saved.clone();
            extra.push(0);
            assert_eq!(read(d, &extra).unwrap_err().kind, ErrorKind::CorruptModel);
            // Every single-byte flip either fails cleanly or loads a model that still predicts without panicking.
            for at in 8..saved.len() {
                let mut flipped = saved.clone();
                flipped[at] ^= 0xA5;
                if let Ok(model) = read(d, &flipped) {
                    if model.n_features() == 3 {
                        predict(model.as_ref(), &x);
                    }
                }
            }
        }
    }
}

#[test]
fn random_state_makes_fits_reproducible() {
    let (x, reg, class) = toy(120);
    for name in NAMES {
        let d = def(name, Task::Classification);
        let params = [SEED, ("max_features", Value::Number(0.5))];
        let a = bytes(d, fit(d, &x, 3, &class, 1, 3, &params).unwrap().as_ref());
        assert_eq!(a, bytes(d, fit(d, &x, 3, &class, 1, 3, &params).unwrap().as_ref()), "{name}");
        let d = def(name, Task::Regression);
        let a = bytes(d, fit(d, &x, 3, &reg, 1, 0, &params).unwrap().as_ref());
        assert_eq!(a, bytes(d, fit(d, &x, 3, &reg, 1, 0, &params).unwrap().as_ref()), "{name}");
    }
}

#[test]
fn depth_and_leaf_limits_hold() {
    let (x, reg, _) = toy(300);
    let d = def("decision_tree", Task::Regression);
    let model = fit(d, &x, 3, &reg, 1, 0, &[SEED, ("max_depth", Value::Number(1.0))]).unwrap();
    assert_eq!(
        predict(model.as_ref(), &x)
            .iter()
            .fold(Vec::<f64>::new(), |mut v, p| {
                if !v.contains(p) {
                    v.push(*p)
                }
                v
            })
            .len(),
        2
    );
    for leaves in [2.0, 3.0, 4.0] {
        let model = fit(d, &x, 3, &reg, 1, 0, &[SEED, ("max_leaf_nodes", Value::Number(leaves))]).unwrap();
        let saved = bytes(d, model.as_ref());
        // Body: n_features, kind, n_values, n_trees, then the tree's n_nodes and n_leaves.
        let n_leaves = u32::from_le_bytes(saved[28..32].try_into().unwrap());
        assert_eq!(n_leaves as f64, leaves);
    }
}

#[test]
fn multi_target_regression_is_joint_for_trees_and_per_target_for_boosting() {
    let (x, reg, class) = toy(100);
    let y: Vec<f64> = reg.iter().zip(&class).flat_map(|(a, b)| [*a, *b * 5.0]).collect();
    for name in NAMES {
        let model = fit(def(name, Task::Regression), &x, 3, &y, 2, 0, &[SEED]).unwrap();
        assert_eq!(model.n_outputs(), 2);
        let pred = predict(model.as_ref(), &x);
        let mse = pred.iter().zip(&y).map(|(p, t)| (p - t) * (p - t)).sum::<f64>() / y.len() as f64;
        assert!(mse < 0.1, "{name}: {mse}");
    }
}

#[test]
fn edge_cases_behave_like_sklearn_or_fail_typed() {
    // One row, two rows, more features than rows, constant columns, a constant target: trees fit a leaf.
    for (x, cols, y) in [
        (vec![1.0, 2.0], 2, vec![5.0]),
        (vec![1.0, 2.0, 3.0, 4.0], 2, vec![5.0, 7.0]),
        (vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], 4, vec![0.0, 1.0]),
        (vec![1.0; 10], 2, vec![0.0, 1.0, 0.0, 1.0, 1.0]),
        (vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, vec![3.0, 3.0, 3.0]),
    ] {
        for name in NAMES {
            let model = fit(def(name, Task::Regression), &x, cols, &y, 1, 0, &[SEED]).unwrap();
            assert!(predict(model.as_ref(), &x).iter().all(|p| p.is_finite()), "{name} {x:?}");
        }
    }
    // A single class: sklearn's trees and forests predict it; gradient boosting refuses.
    let x = [1.0, 2.0, 3.0];
    for name in ["decision_tree", "random_forest", "extra_trees"] {
        let model = fit(def(name, Task::Classification), &x, 1, &[1.0, 1.0, 1.0], 1, 2, &[SEED]).unwrap();
        assert_eq!(predict(model.as_ref(), &x), vec![1.0; 3]);
        assert_eq!(proba(model.as_ref(), &x), vec![0.0, 1.0, 0.0, 1.0, 0.0, 1.0]);
    }
    let err =
        fit(def("gradient_boosting_trees", Task::Classification), &x, 1, &[1.0, 1.0, 1.0], 1, 2, &[]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::DataError);
    // Labels outside 0..n_classes, NaN in X.
    let err = fit(def("random_forest", Task::Classification), &x, 1, &[0.0, 1.0, 2.0], 1, 2, &[]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::DataError);
    let err = fit(def("decision_tree", Task::Regression), &[1.0, f64::NAN], 1, &[0.0, 1.0], 1, 0, &[]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::DataError);
}

#[test]
fn unsupported_or_out_of_range_hyperparameters_are_typed_errors() {
    let (x, reg, class) = toy(30);
    let cases: &[(&str, Task, (&str, Value))] = &[
        ("decision_tree", Task::Regression, ("max_features", Value::Number(2.5))),
        ("decision_tree", Task::Regression, ("max_features", Value::Number(4.0))),
        ("decision_tree", Task::Regression, ("ccp_alpha", Value::Number(0.1))),
        ("decision_tree", Task::Regression, ("criterion", Value::Str("absolute_error".into()))),
        ("decision_tree", Task::Classification, ("min_samples_split", Value::Number(1.5))),
        ("decision_tree", Task::Classification, ("min_weight_fraction_leaf", Value::Number(0.7))),
        ("decision_tree", Task::Classification, ("max_leaf_nodes", Value::Number(1.0))),
        ("random_forest", Task::Classification, ("oob_score", Value::Bool(true))),
        ("random_forest", Task::Regression, ("max_samples", Value::Number(1000.0))),
        ("extra_trees", Task::Regression, ("max_samples", Value::Number(0.5))),
        ("random_forest", Task::Regression, ("n_estimators", Value::Number(0.0))),
        ("random_forest", Task::Regression, ("warm_start", Value::Bool(true))),
        ("gradient_boosting_trees", Task::Regression, ("loss", Value::Str("huber".into()))),
        ("gradient_boosting_trees", Task::Regression, ("subsample", Value::Number(1.5))),
        ("gradient_boosting_trees", Task::Classification, ("n_iter_no_change", Value::Number(5.0))),
        ("gradient_boosting_trees", Task::Classification, ("alpha", Value::Number(0.5))),
        ("gradient_boosting_trees", Task::Classification, ("learning_rate", Value::Str("0.1".into()))),
        // numpy's RandomState takes seeds below 2³².
        ("random_forest", Task::Regression, ("random_state", Value::Number(4_294_967_296.0))),
        ("gradient_boosting_trees", Task::Regression, ("random_state", Value::Number(4_294_967_296.0))),
    ];
    for (name, task, param) in cases {
        let (y, k) = if *task == Task::Regression { (&reg, 0) } else { (&class, 3) };
        let err = fit(def(name, *task), &x, 3, y, 1, k, std::slice::from_ref(param)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidHyperparameter, "{name} {param:?}: {err}");
    }
    // The options sklearn has that are implemented: balanced class weights, subsampling, init="zero", "random".
    for (name, param) in [
        ("random_forest", ("class_weight", Value::Str("balanced_subsample".into()))),
        ("decision_tree", ("class_weight", Value::Str("balanced".into()))),
        ("decision_tree", ("splitter", Value::Str("random".into()))),
        ("gradient_boosting_trees", ("subsample", Value::Number(0.5))),
        ("gradient_boosting_trees", ("init", Value::Str("zero".into()))),
        ("random_forest", ("max_samples", Value::Number(0.5))),
        ("extra_trees", ("criterion", Value::Str("entropy".into()))),
    ] {
        let model = fit(def(name, Task::Classification), &x, 3, &class, 1, 3, &[SEED, param.clone()]).unwrap();
        let agree = predict(model.as_ref(), &x).iter().zip(&class).filter(|(p, y)| p == y).count();
        assert!(agree >= 27, "{name} {param:?}: {agree}/30");
    }
}

#[test]
fn thresholds_compare_float32_x_except_in_models_from_before_the_exact_port() {
    use crate::ensemble::TreeEnsemble;
    use crate::tree::{Node, Tree};
    // x = 1 + 2⁻²⁹ is above the threshold 1 + 2⁻³⁰ in float64, but rounds to 1 in float32 (sklearn's X).
    let threshold = 1.0 + 2f64.powi(-30);
    let x = [1.0 + 2f64.powi(-29)];
    let tree = Tree {
        nodes: vec![Node { threshold, feature: 0, child: 1 }, Node::leaf(0), Node::leaf(1)],
        values: vec![10.0, 20.0],
        n_values: 1,
    };
    for (float32, expected) in [(true, 10.0), (false, 20.0)] {
        let model = TreeEnsemble { n_features: 1, classifier: false, n_values: 1, trees: vec![tree.clone()], float32 };
        assert_eq!(predict(&model, &x), vec![expected]);
        let d = def("decision_tree", Task::Regression);
        let back = read(d, &bytes(d, &model)).unwrap();
        assert_eq!(predict(back.as_ref(), &x), vec![expected], "float32 = {float32} after a round trip");
    }
}
