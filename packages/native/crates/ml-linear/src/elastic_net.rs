//! scikit-learn's `Lasso` and `ElasticNet` (dense X, `precompute=False`): center X and y when fitting an intercept,
//! then coordinate descent with sklearn's duality-gap stopping rule (coordinate_descent.rs) on
//! ½‖y − Xw‖²/n + α·ρ·‖w‖₁ + ½·α·(1−ρ)·‖w‖². Several targets are independent problems, as in sklearn's `fit`.
//! Lasso is ElasticNet with ρ = 1. The fitted state and payload are `LinearModel`'s, one per target.

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, FitInfo, FitInput, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Params, Value};
use pgml_ml_core::mt19937::NumpyRandomState;
use pgml_ml_core::rng::Rng;
use pgml_ml_core::{read_multi_target, wrap_multi_target, Fit};

use crate::coordinate_descent::{enet_coordinate_descent, FeatureOrder, Problem};
use crate::linear_model::LinearModel;

pub const LASSO: AlgorithmDef = AlgorithmDef {
    names: &["lasso"],
    task: Task::Regression,
    estimator: "Lasso",
    id: 4,
    params: LASSO_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| wrap_multi_target(input, |one| fit_one(one, 1.0)),
    read: |r| read_multi_target(r, LinearModel::read_boxed),
};

pub const ELASTIC_NET: AlgorithmDef = AlgorithmDef {
    names: &["elastic_net"],
    task: Task::Regression,
    estimator: "ElasticNet",
    id: 5,
    params: ELASTIC_NET_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| {
        let l1_ratio = input.params.f64("l1_ratio");
        wrap_multi_target(input, |one| fit_one(one, l1_ratio))
    },
    read: |r| read_multi_target(r, LinearModel::read_boxed),
};

/// The parameters Lasso and ElasticNet share (ElasticNet adds `l1_ratio`).
macro_rules! enet_params {
    ($($extra:expr),*) => {
        &[
            ParamSpec::new("alpha", Kind::Float { min: 0.0, exclusive: false }, Default::Number(1.0)),
            $($extra,)*
            ParamSpec::new("fit_intercept", Kind::Bool, Default::Bool(true)),
            // The Gram variant reaches the same optimum; this implementation always iterates on X.
            ParamSpec::new("precompute", Kind::Bool, Default::Bool(false)),
            ParamSpec::new("copy_X", Kind::Bool, Default::Bool(true)),
            ParamSpec::new("max_iter", Kind::Int { min: 1 }, Default::Number(1000.0)),
            ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: false }, Default::Number(1e-4)),
            // A fresh model has no previous coefficients to start from, so warm_start changes nothing.
            ParamSpec::new("warm_start", Kind::Bool, Default::Bool(false)),
            ParamSpec::new("positive", Kind::Bool, Default::Bool(false)),
            ParamSpec::new("random_state", Kind::Int { min: 0 }, Default::Null).nullable(),
            ParamSpec::new("selection", Kind::Choice(&["cyclic", "random"]), Default::Str("cyclic")),
        ]
    };
}

pub const LASSO_PARAMS: &[ParamSpec] = enet_params!();
pub const ELASTIC_NET_PARAMS: &[ParamSpec] =
    enet_params!(
        ParamSpec::new("l1_ratio", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.5)).at_most(1.0)
    );

/// `selection='random'`'s generator: sklearn seeds it from `RandomState(random_state)` for each target.
fn feature_order(params: &Params) -> Result<Option<FeatureOrder>> {
    if params.str("selection") != "random" {
        return Ok(None);
    }
    let seed = match params.value("random_state") {
        Value::Number(n) if *n <= f64::from(u32::MAX) => *n as u32,
        Value::Number(n) => {
            return Err(Error::hyperparameter(format!("random_state must be below 2^32 (numpy's seed range), got {n}")))
        }
        _ => Rng::from_random_state(None).next_u64() as u32,
    };
    Ok(Some(FeatureOrder::new(&mut NumpyRandomState::new(seed))))
}

/// One target (y is n × 1).
fn fit_one(input: &FitInput, l1_ratio: f64) -> Result<Fit> {
    let (x, y, params) = (input.x, input.y()?, input.params);
    let (n, p) = (x.rows(), x.cols());
    let fit_intercept = params.bool("fit_intercept");
    let x_offset = if fit_intercept { x.column_means() } else { vec![0.0; p] };
    let y_offset = if fit_intercept { y.column_means() } else { vec![0.0] };
    // One column-major centered copy of X: coordinate descent walks features, so each must be contiguous.
    let mut x_columns = pgml_ml_core::memory::advised_zeros(n * p);
    for (i, row) in x.data().chunks_exact(p).enumerate() {
        for (j, (v, o)) in row.iter().zip(&x_offset).enumerate() {
            x_columns[j * n + i] = v - o;
        }
    }
    let y_centered: Vec<f64> = y.data().iter().map(|v| v - y_offset[0]).collect();
    let alpha = params.f64("alpha");
    let problem = Problem {
        x_columns: &x_columns,
        y: &y_centered,
        l1: alpha * l1_ratio * n as f64,
        l2: alpha * (1.0 - l1_ratio) * n as f64,
        max_iter: params.usize("max_iter"),
        tol: params.f64("tol"),
        positive: params.bool("positive"),
    };
    // The solver polls every 16 iterations (coordinate_descent.rs).
    let solution = enet_coordinate_descent(&problem, feature_order(params)?, &input.ticking("iterations", 0, 16))
        .ok_or_else(Error::aborted)?;
    let model = LinearModel::from_centered(solution.w, p, &x_offset, &y_offset);
    if !model.coef.iter().chain(&model.intercept).all(|v| v.is_finite()) {
        return Err(Error::data(
            "coordinate descent produced non-finite coefficients; the input may contain very large values and need scaling",
        ));
    }
    Ok((Box::new(model), FitInfo { n_iter: Some(solution.n_iter), converged: solution.converged }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgml_ml_core::codec::{Reader, Writer};
    use pgml_ml_core::{ErrorKind, MatrixView};

    fn fit(def: &AlgorithmDef, x: &[f64], cols: usize, y: &[f64], y_cols: usize, hp: &[(&str, Value)]) -> Result<Fit> {
        let rows = x.len() / cols;
        let x = MatrixView::new("X", x, rows, cols)?;
        let y = MatrixView::new("y", y, rows, y_cols)?;
        pgml_ml_core::testing::fit_def(def, hp, &x, Some(&y), 0, &|| false)
    }

    #[test]
    fn degenerate_inputs_give_sklearns_results() {
        // A constant column gets a zero coefficient; a constant target gives zero coefficients and its mean.
        let x = [1.0, 5.0, 2.0, 5.0, 3.0, 5.0, 4.0, 5.0];
        let (m, _) = fit(&LASSO, &x, 2, &[2.0, 4.0, 6.0, 8.0], 1, &[("alpha", Value::Number(0.1))]).unwrap();
        let probe = MatrixView::new("X", &[0.0, 5.0, 1.0, 5.0], 2, 2).unwrap();
        let p = m.predict(&probe).unwrap();
        // Centered x has ‖x‖² = 5 and x·y = 10; the L1 term (α·n = 0.4) shrinks the slope to (10 − 0.4) / 5.
        assert!((p[1] - p[0] - 1.92).abs() < 1e-12, "{p:?}");
        let (m, info) = fit(&ELASTIC_NET, &x, 2, &[3.0; 4], 1, &[]).unwrap();
        assert_eq!(m.predict(&probe).unwrap(), vec![3.0, 3.0]);
        assert!(!info.converged, "sklearn never reaches gap < 0 on a zero target");
        // One row, and more features than rows.
        let (m, _) = fit(&LASSO, &[1.0, 2.0, 3.0], 3, &[7.0], 1, &[]).unwrap();
        assert_eq!(m.predict(&MatrixView::new("X", &[9.0, 9.0, 9.0], 1, 3).unwrap()).unwrap(), vec![7.0]);
        let wide: Vec<f64> = (0..30).map(|i| ((i * 7) % 11) as f64).collect();
        assert!(fit(&ELASTIC_NET, &wide, 10, &[1.0, 2.0, 0.5], 1, &[("alpha", Value::Number(0.01))]).is_ok());
    }

    #[test]
    fn bad_hyperparameters_are_typed_errors() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [1.0, 2.0, 3.0, 4.0];
        let random = ("selection", Value::Str("random".into()));
        let cases: [(&AlgorithmDef, Vec<(&str, Value)>); 5] = [
            (&ELASTIC_NET, vec![("l1_ratio", Value::Number(1.5))]),
            (&LASSO, vec![("alpha", Value::Number(-1.0))]),
            (&LASSO, vec![("selection", Value::Str("greedy".into()))]),
            (&LASSO, vec![random, ("random_state", Value::Number(5e9))]),
            (&LASSO, vec![("l1_ratio", Value::Number(0.5))]),
        ];
        for (def, hp) in cases {
            assert_eq!(fit(def, &x, 1, &y, 1, &hp).unwrap_err().kind, ErrorKind::InvalidHyperparameter, "{hp:?}");
        }
    }

    #[test]
    fn payload_round_trips_and_rejects_truncation() {
        let x: Vec<f64> = (0..40).map(|i| ((i * 13) % 17) as f64 / 3.0).collect();
        let y: Vec<f64> = (0..20).map(|i| (i as f64 * 0.7).sin()).collect();
        let (m, _) = fit(&ELASTIC_NET, &x, 4, &y, 2, &[("alpha", Value::Number(0.01))]).unwrap();
        let mut w = Writer::new(ELASTIC_NET.id);
        m.write(&mut w);
        let bytes = w.finish();
        let (mut r, _) = Reader::open(&bytes).unwrap();
        let back = (ELASTIC_NET.read)(&mut r).unwrap();
        r.finish().unwrap();
        let mut w2 = Writer::new(ELASTIC_NET.id);
        back.write(&mut w2);
        assert_eq!(w2.finish(), bytes);
        for len in 8..bytes.len() {
            let (mut r, _) = Reader::open(&bytes[..len]).unwrap();
            assert!((ELASTIC_NET.read)(&mut r).and_then(|_| r.finish()).is_err());
        }
    }
}
