//! scikit-learn 1.2's `LogisticRegression(penalty="l2", solver="lbfgs")`: the objective is the *sum* of log-losses
//! plus ½‖W‖²/C (intercepts not penalised) minimised from zero by `lbfgs` with scipy's defaults and sklearn's
//! `gtol = tol`. Two classes → one coefficient row and the sigmoid (`multi_class="auto"` picks OvR there); more →
//! the over-parametrised multinomial softmax, one row per class.
//!
//! Payload body (id 3): `u32 n_classes, u32 n_trained, u32 classes[n_trained]`, then the `LinearModel` body
//! (n_outputs = 1 for two trained classes, else n_trained).

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, Fit, FitInfo, FitInput, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Params};
use pgml_ml_core::labels::encode_labels;
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::numeric::{sigmoid, softmax, softplus};

use crate::lbfgs::{self, Termination};
use crate::linear_classifier::{LinearClassifier, Link};
use crate::linear_model::LinearModel;

/// PostgresML calls logistic regression `linear` for classification; `logistic` is accepted too.
pub const LOGISTIC_REGRESSION: AlgorithmDef = AlgorithmDef {
    names: &["linear", "logistic"],
    task: Task::Classification,
    estimator: "LogisticRegression",
    id: 3,
    params: LOGISTIC_REGRESSION_PARAMS,
    predict_proba: true,
    multi_target: false,
    accepts_nan: false,
    fit,
    read: |r| Ok(Box::new(LinearClassifier::read(r, Link::Logistic)?)),
};

pub const LOGISTIC_REGRESSION_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("C", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1.0)),
    ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: false }, Default::Number(1e-4)),
    ParamSpec::new("max_iter", Kind::Int { min: 0 }, Default::Number(100.0)),
    ParamSpec::new("fit_intercept", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("penalty", Kind::Choice(&["l2"]), Default::Str("l2")),
    ParamSpec::new("solver", Kind::Choice(&["lbfgs"]), Default::Str("lbfgs")),
    ParamSpec::new("multi_class", Kind::Choice(&["auto", "multinomial"]), Default::Str("auto")),
    ParamSpec::new("n_jobs", Kind::Int { min: -1 }, Default::Null).nullable(),
];

/// How training ended; sklearn warns (ConvergenceWarning) when `converged` is false.
#[derive(Clone, Copy, Debug)]
pub struct FitReport {
    pub n_iter: usize,
    pub converged: bool,
}

/// Loss and gradient over parameters laid out as [W (outputs × p, row-major), b (outputs) if fitted].
struct Objective<'a> {
    x: &'a MatrixView<'a>,
    y: &'a [usize],
    outputs: usize,
    fit_intercept: bool,
    inv_c: f64,
}

/// Rows per block of the loss/gradient pass: a block's rows stay in cache from their scores to their gradient
/// terms, and blocks run in parallel. Fixed (not per thread count), so the sums — and the fit — are the same on any
/// machine.
const BLOCK_ROWS: usize = 2048;

impl Objective<'_> {
    fn model(&self, w: &[f64]) -> LinearModel {
        let p = self.x.cols();
        let coef = w[..self.outputs * p].to_vec();
        let intercept = if self.fit_intercept { w[self.outputs * p..].to_vec() } else { vec![0.0; self.outputs] };
        LinearModel { n_features: p, coef, intercept }
    }

    /// One block's loss and its gradient terms (k×p, then k intercept terms), in one pass over its rows.
    fn block(&self, rows: &[f64], labels: &[usize], coef: &[f64], intercept: &[f64]) -> (f64, Vec<f64>) {
        let (p, k) = (self.x.cols(), self.outputs);
        let mut grad = vec![0.0; k * p + k];
        let mut scores = vec![0.0; k];
        let mut loss = 0.0;
        for (x, &yi) in rows.chunks_exact(p).zip(labels) {
            for (c, score) in scores.iter_mut().enumerate() {
                *score = intercept[c] + coef[c * p..(c + 1) * p].iter().zip(x).map(|(w, v)| w * v).sum::<f64>();
            }
            // Residuals (probability − one-hot) in place of the scores.
            if k == 1 {
                let (r, target) = (scores[0], yi as f64);
                loss += softplus(r) - target * r;
                scores[0] = sigmoid(r) - target;
            } else {
                let raw_y = scores[yi];
                loss += softmax(&mut scores) - raw_y;
                scores[yi] -= 1.0;
            }
            let (grad_w, grad_b) = grad.split_at_mut(k * p);
            for (c, &r) in scores.iter().enumerate() {
                grad_w[c * p..(c + 1) * p].iter_mut().zip(x).for_each(|(g, v)| *g += r * v);
                grad_b[c] += r;
            }
        }
        (loss, grad)
    }

    fn loss_gradient(&self, w: &[f64], grad: &mut [f64]) -> Result<f64> {
        use rayon::prelude::*;
        let (p, k) = (self.x.cols(), self.outputs);
        let coef = &w[..k * p];
        let zeros = vec![0.0; k];
        let intercept = if self.fit_intercept { &w[k * p..] } else { &zeros[..] };
        let blocks: Vec<(f64, Vec<f64>)> = self
            .x
            .data()
            .par_chunks(BLOCK_ROWS * p)
            .zip(self.y.par_chunks(BLOCK_ROWS))
            .map(|(rows, labels)| self.block(rows, labels, coef, intercept))
            .collect();
        // Summed in block order: the same result whatever the thread count.
        let (grad_w, grad_b) = grad.split_at_mut(k * p);
        grad_w.iter_mut().zip(coef).for_each(|(g, c)| *g = self.inv_c * c);
        grad_b.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        for (block_loss, block_grad) in &blocks {
            loss += block_loss;
            grad_w.iter_mut().zip(block_grad).for_each(|(g, b)| *g += b);
            if self.fit_intercept {
                grad_b.iter_mut().zip(&block_grad[k * p..]).for_each(|(g, b)| *g += b);
            }
        }
        Ok(loss + 0.5 * self.inv_c * coef.iter().map(|v| v * v).sum::<f64>())
    }
}

pub fn fit_logistic_regression(
    x: &MatrixView,
    y: &[f64],
    n_classes: usize,
    params: &Params,
    cancelled: &dyn Fn() -> bool,
) -> Result<(LinearClassifier, FitReport)> {
    if y.len() != x.rows() {
        return Err(Error::invalid(format!("X has {} rows but y has {} labels", x.rows(), y.len())));
    }
    let (classes, positions) = encode_labels(y, n_classes)?;
    let outputs = if classes.len() == 2 && params.str("multi_class") == "auto" { 1 } else { classes.len() };
    let fit_intercept = params.bool("fit_intercept");
    let objective = Objective { x, y: &positions, outputs, fit_intercept, inv_c: 1.0 / params.f64("C") };
    let n_params = outputs * (x.cols() + usize::from(fit_intercept));
    let options = lbfgs::Options {
        max_iter: params.usize("max_iter"),
        pgtol: params.f64("tol"),
        ftol: 2.220446049250313e-9,
        ..lbfgs::Options::default()
    };
    let outcome = lbfgs::minimize(|w, g| objective.loss_gradient(w, g), vec![0.0; n_params], &options, cancelled)?;
    let report = FitReport {
        n_iter: outcome.n_iter.min(options.max_iter),
        converged: matches!(outcome.termination, Termination::Gradient | Termination::RelativeReduction),
    };
    Ok((LinearClassifier { link: Link::Logistic, n_classes, classes, linear: objective.model(&outcome.x) }, report))
}

fn fit(input: &FitInput) -> Result<Fit> {
    let (model, report) = fit_logistic_regression(
        input.x,
        input.y()?.data(),
        input.n_classes,
        input.params,
        &input.ticking("iterations", 0, 1),
    )?;
    Ok((Box::new(model), FitInfo { n_iter: Some(report.n_iter), converged: report.converged }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgml_ml_core::estimator::Fitted;
    use pgml_ml_core::hyperparams::{resolve, Hyperparams, Value};

    fn params(pairs: &[(&str, Value)]) -> Params {
        resolve(
            "LogisticRegression",
            LOGISTIC_REGRESSION_PARAMS,
            &Hyperparams(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()),
        )
        .unwrap()
    }

    /// Central differences of the objective against its analytic gradient, binary and multinomial.
    #[test]
    fn gradient_matches_finite_differences() {
        let data = [0.5, -1.0, 1.5, 2.0, -0.3, 0.7, 1.1, 0.2, -2.0, 0.4, 0.9, -0.8];
        let x = MatrixView::new("X", &data, 4, 3).unwrap();
        for (outputs, y) in [(1, vec![0, 1, 1, 0]), (3, vec![0, 2, 1, 2])] {
            let obj = Objective { x: &x, y: &y, outputs, fit_intercept: true, inv_c: 0.5 };
            let n = outputs * 4;
            let w: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
            let mut g = vec![0.0; n];
            obj.loss_gradient(&w, &mut g).unwrap();
            for i in 0..n {
                let (mut hi, mut lo) = (w.clone(), w.clone());
                hi[i] += 1e-6;
                lo[i] -= 1e-6;
                let mut scratch = vec![0.0; n];
                let numeric = (obj.loss_gradient(&hi, &mut scratch).unwrap()
                    - obj.loss_gradient(&lo, &mut scratch).unwrap())
                    / 2e-6;
                assert!((numeric - g[i]).abs() < 1e-6, "outputs {outputs}, parameter {i}: {numeric} vs {}", g[i]);
            }
        }
    }

    #[test]
    fn separable_problem_and_class_bookkeeping() {
        // Labels 1 and 3 of 4 declared classes: probabilities land in those columns only.
        let data = [-2.0, -1.5, -1.0, 1.0, 1.5, 2.0];
        let y = [1.0, 1.0, 1.0, 3.0, 3.0, 3.0];
        let x = MatrixView::new("X", &data, 6, 1).unwrap();
        let (model, report) = fit_logistic_regression(&x, &y, 4, &params(&[]), &|| false).unwrap();
        assert!(report.converged);
        assert_eq!(model.classes, vec![1, 3]);
        assert_eq!(model.predict(&x).unwrap(), y.to_vec());
        let proba = model.predict_proba(&x).unwrap();
        for row in proba.chunks(4) {
            assert_eq!((row[0], row[2]), (0.0, 0.0));
            assert!((row[1] + row[3] - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn bad_labels_are_data_errors() {
        let x = MatrixView::new("X", &[1.0, 2.0, 3.0], 3, 1).unwrap();
        for (y, n) in
            [(vec![0.0, 0.0, 0.0], 2), (vec![0.0, 1.5, 1.0], 2), (vec![0.0, 2.0, 1.0], 2), (vec![0.0, -1.0, 1.0], 2)]
        {
            let err = fit_logistic_regression(&x, &y, n, &params(&[]), &|| false).unwrap_err();
            assert_eq!(err.kind, pgml_ml_core::ErrorKind::DataError, "{y:?}");
        }
    }
}
