//! The family's rows end to end: degenerate inputs, hyperparameter errors, payload round trips and corruption.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::hyperparams::Value;
use pgml_ml_core::testing::fit_def;
use pgml_ml_core::{AlgorithmDef, ErrorKind, Fit, MatrixView, Result};

use crate::{kmeans::KMEANS, minibatch::MINI_BATCH_KMEANS, pca::PCA};

fn fit(def: &AlgorithmDef, x: &[f64], cols: usize, hp: &[(&str, Value)]) -> Result<Fit> {
    let x = MatrixView::new("X", x, x.len() / cols, cols)?;
    fit_def(def, hp, &x, None, 0, &|| false)
}

fn num(name: &str, v: f64) -> (&str, Value) {
    (name, Value::Number(v))
}

/// 60 rows in three separated groups, with a constant third column.
fn groups() -> Vec<f64> {
    (0..60).flat_map(|i| [(i % 3) as f64 * 10.0 + (i % 7) as f64 * 0.1, (i % 5) as f64 * 0.1, 4.0]).collect()
}

#[test]
fn kmeans_variants_find_separated_groups_deterministically() {
    let x = groups();
    let view = MatrixView::new("X", &x, 60, 3).unwrap();
    for def in [&KMEANS, &MINI_BATCH_KMEANS] {
        for extra in
            [vec![], vec![("algorithm", Value::Str("elkan".into()))], vec![("init", Value::Str("random".into()))]]
        {
            if def.id == MINI_BATCH_KMEANS.id && extra.first().is_some_and(|(k, _)| *k == "algorithm") {
                continue;
            }
            let mut hp = vec![num("n_clusters", 3.0), num("random_state", 1.0)];
            hp.extend(extra);
            let (a, _) = fit(def, &x, 3, &hp).unwrap();
            let (b, _) = fit(def, &x, 3, &hp).unwrap();
            let labels = a.predict(&view).unwrap();
            assert_eq!(labels, b.predict(&view).unwrap());
            // Rows i and i+3 are in the same group, rows i and i+1 are not.
            assert!((0..57).all(|i| labels[i] == labels[i + 3] && labels[i] != labels[i + 1]), "{def:?} {labels:?}");
        }
    }
}

#[test]
fn degenerate_inputs() {
    // Fewer rows than clusters: sklearn's ValueError.
    assert_eq!(fit(&KMEANS, &[1.0, 2.0], 1, &[]).unwrap_err().kind, ErrorKind::InvalidArgument);
    assert_eq!(fit(&MINI_BATCH_KMEANS, &[1.0, 2.0], 1, &[]).unwrap_err().kind, ErrorKind::InvalidArgument);
    // One row, one cluster; all-duplicate rows with more clusters than distinct points (empty clusters relocate).
    let (m, _) = fit(&KMEANS, &[3.0, 4.0], 2, &[num("n_clusters", 1.0)]).unwrap();
    assert_eq!(m.predict(&MatrixView::new("X", &[0.0, 0.0], 1, 2).unwrap()).unwrap(), vec![0.0]);
    for def in [&KMEANS, &MINI_BATCH_KMEANS] {
        let (m, _) = fit(def, &[1.0; 20], 2, &[num("n_clusters", 4.0), num("random_state", 0.0)]).unwrap();
        assert!(m.predict(&MatrixView::new("X", &[1.0, 1.0], 1, 2).unwrap()).unwrap()[0] < 4.0);
    }
    // PCA: one row is an error; more features than rows keeps min(n, p) components; a constant column is fine.
    assert_eq!(fit(&PCA, &[1.0, 2.0, 3.0], 3, &[]).unwrap_err().kind, ErrorKind::DataError);
    let (wide, _) = fit(&PCA, &[1.0, 2.0, 3.0, 4.0, 0.0, 1.0, 5.0, 5.0], 4, &[]).unwrap();
    assert_eq!(wide.n_outputs(), 2);
    let (m, _) = fit(&PCA, &groups(), 3, &[]).unwrap();
    assert_eq!(m.n_outputs(), 3);
    let (m, _) = fit(&PCA, &groups(), 3, &[num("n_components", 0.5)]).unwrap();
    assert_eq!(m.n_outputs(), 1);
}

#[test]
fn out_of_range_hyperparameters() {
    let x = groups();
    let cases: [(&AlgorithmDef, (&str, Value)); 7] = [
        (&KMEANS, num("n_init", 2.5)),
        (&KMEANS, num("n_clusters", 0.0)),
        (&KMEANS, num("random_state", 5e9)),
        (&KMEANS, ("algorithm", Value::Str("exact".into()))),
        (&MINI_BATCH_KMEANS, num("batch_size", 0.0)),
        (&PCA, num("n_components", 4.0)),
        (&PCA, num("n_components", 1.5)),
    ];
    for (def, hp) in cases {
        assert_eq!(
            fit(def, &x, 3, std::slice::from_ref(&hp)).unwrap_err().kind,
            ErrorKind::InvalidHyperparameter,
            "{hp:?}"
        );
    }
}

#[test]
fn payloads_round_trip_bit_exactly_and_reject_corruption() {
    let x = groups();
    let view = MatrixView::new("X", &x, 60, 3).unwrap();
    let fits = [
        (&KMEANS, vec![num("n_clusters", 3.0), num("random_state", 0.0)]),
        (&MINI_BATCH_KMEANS, vec![num("n_clusters", 3.0), num("random_state", 0.0)]),
        (&PCA, vec![("whiten", Value::Bool(true)), num("n_components", 2.0)]),
    ];
    for (def, hp) in fits {
        let (model, _) = fit(def, &x, 3, &hp).unwrap();
        let mut w = Writer::new(def.id);
        model.write(&mut w);
        let bytes = w.finish();
        let (mut r, _) = Reader::open(&bytes).unwrap();
        let back = (def.read)(&mut r).unwrap();
        r.finish().unwrap();
        let mut again = Writer::new(def.id);
        back.write(&mut again);
        assert_eq!(again.finish(), bytes);
        assert_eq!(back.predict(&view).unwrap(), model.predict(&view).unwrap());
        for len in 8..bytes.len() {
            let (mut r, _) = Reader::open(&bytes[..len]).unwrap();
            assert!((def.read)(&mut r).and_then(|_| r.finish()).is_err(), "{def:?} truncated to {len}");
        }
        for i in 8..bytes.len().min(24) {
            let mut bad = bytes.clone();
            bad[i] ^= 0xff;
            let (mut r, _) = Reader::open(&bad).unwrap();
            let _ = (def.read)(&mut r);
        }
    }
}
