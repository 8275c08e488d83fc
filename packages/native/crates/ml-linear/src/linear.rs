//! Least squares regression: scikit-learn's `LinearRegression` and `Ridge` (dense input, solver "auto"). Both fit
//! on centered X and y, so the intercept is never penalised, and both solve all targets jointly.

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, FitInfo, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Params};
use pgml_ml_core::lapack;
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::tsqr::{centered_r, Centered};

use crate::linear_model::LinearModel;

pub const LINEAR_REGRESSION: AlgorithmDef = AlgorithmDef {
    names: &["linear"],
    task: Task::Regression,
    estimator: "LinearRegression",
    id: 1,
    params: LINEAR_REGRESSION_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| {
        Ok((
            Box::new(linear_regression(input.x, input.y()?, input.params, &|| input.check_cancelled())?),
            FitInfo::CLOSED_FORM,
        ))
    },
    read: LinearModel::read_boxed,
};

pub const RIDGE: AlgorithmDef = AlgorithmDef {
    names: &["ridge"],
    task: Task::Regression,
    estimator: "Ridge",
    id: 2,
    params: RIDGE_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| {
        Ok((Box::new(ridge(input.x, input.y()?, input.params, &|| input.check_cancelled())?), FitInfo::CLOSED_FORM))
    },
    read: LinearModel::read_boxed,
};

pub const LINEAR_REGRESSION_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("fit_intercept", Kind::Bool, Default::Bool(true)),
    // Accepted for sklearn compatibility; the input is never modified and BLAS picks its own threads.
    ParamSpec::new("copy_X", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("n_jobs", Kind::Int { min: -1 }, Default::Null).nullable(),
];

pub const RIDGE_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("alpha", Kind::Float { min: 0.0, exclusive: false }, Default::Number(1.0)),
    ParamSpec::new("fit_intercept", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("copy_X", Kind::Bool, Default::Bool(true)),
    // sklearn's "auto" is "cholesky" for dense input; "svd" is also its fallback for singular systems.
    ParamSpec::new("solver", Kind::Choice(&["auto", "cholesky", "svd"]), Default::Str("auto")),
];

/// What the solvers run on: X and y centered when fitting an intercept (sklearn `_preprocess_data`; offsets zero
/// otherwise) — or, for tall X, the blocks R11 (p×p) and R12 (p×t) of the TSQR R of [X − x̄ | y − ȳ], which have
/// the same XᵀX, Xᵀy and singular values, so every solver below gives the same solution without an n × p copy.
struct LeastSquares {
    x: Vec<f64>,
    y: Vec<f64>,
    /// Rows of `x` and `y`: n, or p for the R blocks.
    rows: usize,
    x_offset: Vec<f64>,
    y_offset: Vec<f64>,
}

fn center(x: &MatrixView, y: &MatrixView, fit_intercept: bool) -> Result<LeastSquares> {
    if y.rows() != x.rows() {
        return Err(Error::invalid(format!("X has {} rows but y has {}", x.rows(), y.rows())));
    }
    let (n, p, t) = (x.rows(), x.cols(), y.cols());
    let (x_offset, y_offset) =
        if fit_intercept { (x.column_means(), y.column_means()) } else { (vec![0.0; p], vec![0.0; t]) };
    let columns = Centered { x, x_offset: &x_offset, y: Some((y, &y_offset)) };
    if n >= 2 * columns.block_rows() {
        let k = p + t;
        let r = centered_r(columns)?;
        debug_assert_eq!(r.len(), k * k, "n >= 2 blocks gives the full R");
        let (r11, r12): (Vec<f64>, Vec<f64>) = (
            r.chunks_exact(k).take(p).flat_map(|row| row[..p].to_vec()).collect(),
            r.chunks_exact(k).take(p).flat_map(|row| row[p..].to_vec()).collect(),
        );
        return Ok(LeastSquares { x: r11, y: r12, rows: p, x_offset, y_offset });
    }
    let (xc, yc) = (x.centered(&x_offset), y.centered(&y_offset));
    Ok(LeastSquares { x: xc, y: yc, rows: n, x_offset, y_offset })
}

/// p×t solution → t×p coefficients.
fn transpose(a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut out = vec![0.0; a.len()];
    for i in 0..rows {
        for j in 0..cols {
            out[j * rows + i] = a[i * cols + j];
        }
    }
    out
}

/// Polled between the steps of a closed-form fit (centering / TSQR, each solve): `Err(ABORTED)` once the caller
/// cancelled. A single LAPACK call cannot be interrupted, but a fit stops at the next step boundary.
type CancelCheck<'a> = &'a dyn Fn() -> Result<()>;

/// `LinearRegression`: minimum-norm least squares by SVD with scipy.linalg.lstsq's default cutoff (machine epsilon
/// times the largest singular value), so rank-deficient X gets sklearn's coefficients.
pub fn fit_linear_regression(x: &MatrixView, y: &MatrixView, params: &Params) -> Result<LinearModel> {
    linear_regression(x, y, params, &|| Ok(()))
}

fn linear_regression(x: &MatrixView, y: &MatrixView, params: &Params, check: CancelCheck) -> Result<LinearModel> {
    check()?;
    let c = center(x, y, params.bool("fit_intercept"))?;
    check()?;
    let (n, p, t) = (c.rows, x.cols(), y.cols());
    let solution = lapack::lstsq(&c.x, n, p, &c.y, t, f64::EPSILON)?;
    check()?;
    Ok(LinearModel::from_centered(transpose(&solution, p, t), p, &c.x_offset, &c.y_offset))
}

/// `Ridge`: minimises ‖y − Xw‖² + α‖w‖². Cholesky on XᵀX + αI (or on the kernel XXᵀ + αI when there are more
/// features than samples), falling back to the SVD solution when the system is not positive definite — the same
/// branches as sklearn's `_ridge_regression`.
pub fn fit_ridge(x: &MatrixView, y: &MatrixView, params: &Params) -> Result<LinearModel> {
    ridge(x, y, params, &|| Ok(()))
}

fn ridge(x: &MatrixView, y: &MatrixView, params: &Params, check: CancelCheck) -> Result<LinearModel> {
    let alpha = params.f64("alpha");
    check()?;
    let c = center(x, y, params.bool("fit_intercept"))?;
    check()?;
    let (n, p, t) = (c.rows, x.cols(), y.cols());
    let cholesky = match params.str("solver") {
        "svd" => None,
        _ if p > n => solve_ridge_kernel(&c.x, &c.y, n, p, t, alpha)?,
        _ => solve_ridge_primal(&c.x, &c.y, n, p, t, alpha)?,
    };
    check()?;
    let solution = match cholesky {
        Some(w) => w,
        None => solve_ridge_svd(&c.x, &c.y, n, p, t, alpha)?,
    };
    check()?;
    Ok(LinearModel::from_centered(transpose(&solution, p, t), p, &c.x_offset, &c.y_offset))
}

/// (XᵀX + αI) w = Xᵀy; p×t.
fn solve_ridge_primal(x: &[f64], y: &[f64], n: usize, p: usize, t: usize, alpha: f64) -> Result<Option<Vec<f64>>> {
    let mut gram = vec![0.0; p * p];
    lapack::gemm(true, false, p, p, n, 1.0, x, x, 0.0, &mut gram)?;
    (0..p).for_each(|i| gram[i * p + i] += alpha);
    let mut xty = vec![0.0; p * t];
    lapack::gemm(true, false, p, t, n, 1.0, x, y, 0.0, &mut xty)?;
    lapack::solve_spd(&gram, p, &xty, t)
}

/// w = Xᵀ (XXᵀ + αI)⁻¹ y; the kernel system falls back to least squares as sklearn's `_solve_cholesky_kernel` does.
fn solve_ridge_kernel(x: &[f64], y: &[f64], n: usize, p: usize, t: usize, alpha: f64) -> Result<Option<Vec<f64>>> {
    let mut kernel = vec![0.0; n * n];
    lapack::gemm(false, true, n, n, p, 1.0, x, x, 0.0, &mut kernel)?;
    (0..n).for_each(|i| kernel[i * n + i] += alpha);
    let dual = match lapack::solve_spd(&kernel, n, y, t)? {
        Some(dual) => dual,
        None => lapack::lstsq(&kernel, n, n, y, t, f64::EPSILON)?,
    };
    let mut w = vec![0.0; p * t];
    lapack::gemm(true, false, p, t, n, 1.0, x, &dual, 0.0, &mut w)?;
    Ok(Some(w))
}

/// w = V · diag(s / (s² + α)) · Uᵀ y, singular values ≤ 1e-15 dropped (sklearn `_solve_svd`).
fn solve_ridge_svd(x: &[f64], y: &[f64], n: usize, p: usize, t: usize, alpha: f64) -> Result<Vec<f64>> {
    let svd = lapack::svd(x, n, p)?;
    let k = svd.k;
    let mut uty = vec![0.0; k * t];
    lapack::gemm(true, false, k, t, n, 1.0, &svd.u, y, 0.0, &mut uty)?;
    for (row, s) in uty.chunks_exact_mut(t).zip(&svd.s) {
        let d = if *s > 1e-15 { s / (s * s + alpha) } else { 0.0 };
        row.iter_mut().for_each(|v| *v *= d);
    }
    let mut w = vec![0.0; p * t];
    lapack::gemm(true, false, p, t, k, 1.0, &svd.vt, &uty, 0.0, &mut w)?;
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgml_ml_core::hyperparams::{resolve, Hyperparams, Value};

    fn params(specs: &[ParamSpec], pairs: &[(&str, Value)]) -> Params {
        resolve("test", specs, &Hyperparams(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())).unwrap()
    }

    fn assert_close(a: &[f64], b: &[f64], tol: f64) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() <= tol * (1.0 + y.abs()), "{a:?} vs {b:?}");
        }
    }

    // y = 1 + 2·x0 − 3·x1 exactly, and a second target y2 = −x0 + 0.5.
    const X: [f64; 10] = [0.0, 1.0, 1.0, 0.0, 2.0, 3.0, 3.0, 1.0, 4.0, 5.0];

    fn targets() -> Vec<f64> {
        X.chunks(2).flat_map(|r| [1.0 + 2.0 * r[0] - 3.0 * r[1], -r[0] + 0.5]).collect()
    }

    #[test]
    fn ols_recovers_exact_coefficients_for_two_targets() {
        let y = targets();
        let x = MatrixView::new("X", &X, 5, 2).unwrap();
        let yv = MatrixView::new("y", &y, 5, 2).unwrap();
        let m = fit_linear_regression(&x, &yv, &params(LINEAR_REGRESSION_PARAMS, &[])).unwrap();
        assert_close(&m.coef, &[2.0, -3.0, -1.0, 0.0], 1e-12);
        assert_close(&m.intercept, &[1.0, 0.5], 1e-12);
        assert_close(&m.decision(&x).unwrap(), &y, 1e-12);
    }

    #[test]
    fn ols_without_intercept_and_with_duplicate_columns() {
        let x: Vec<f64> = X.chunks(2).flat_map(|r| [r[0], r[0]]).collect();
        let y: Vec<f64> = X.chunks(2).map(|r| 4.0 * r[0]).collect();
        let xv = MatrixView::new("X", &x, 5, 2).unwrap();
        let yv = MatrixView::new("y", &y, 5, 1).unwrap();
        let m = fit_linear_regression(
            &xv,
            &yv,
            &params(LINEAR_REGRESSION_PARAMS, &[("fit_intercept", Value::Bool(false))]),
        )
        .unwrap();
        assert_close(&m.coef, &[2.0, 2.0], 1e-12);
        assert_eq!(m.intercept, vec![0.0]);
    }

    #[test]
    fn ridge_matches_the_closed_form_and_all_solvers_agree() {
        let y = targets();
        let x = MatrixView::new("X", &X, 5, 2).unwrap();
        let yv = MatrixView::new("y", &y, 5, 2).unwrap();
        let chol = fit_ridge(&x, &yv, &params(RIDGE_PARAMS, &[("alpha", Value::Number(2.5))])).unwrap();
        let svd = fit_ridge(
            &x,
            &yv,
            &params(RIDGE_PARAMS, &[("alpha", Value::Number(2.5)), ("solver", Value::Str("svd".into()))]),
        )
        .unwrap();
        assert_close(&chol.coef, &svd.coef, 1e-12);
        assert_close(&chol.intercept, &svd.intercept, 1e-12);
        // Closed form on centered data for target 0: (XcᵀXc + αI)⁻¹ Xcᵀ yc, solved by hand via Cramer's rule.
        let means = x.column_means();
        let xc = x.centered(&means);
        let yc: Vec<f64> = {
            let m = y.iter().step_by(2).sum::<f64>() / 5.0;
            y.iter().step_by(2).map(|v| v - m).collect()
        };
        let (mut a, mut b, mut d, mut r0, mut r1) = (2.5, 0.0, 2.5, 0.0, 0.0);
        for (row, yi) in xc.chunks(2).zip(&yc) {
            a += row[0] * row[0];
            b += row[0] * row[1];
            d += row[1] * row[1];
            r0 += row[0] * yi;
            r1 += row[1] * yi;
        }
        let det = a * d - b * b;
        assert_close(&chol.coef[..2], &[(d * r0 - b * r1) / det, (a * r1 - b * r0) / det], 1e-12);
    }

    #[test]
    fn ridge_kernel_form_when_features_outnumber_samples() {
        let x = [1.0, 2.0, 0.5, -1.0, 0.0, 1.0, 3.0, 2.0, -2.0, 1.0, 0.0, 4.0]; // 3×4
        let y = [1.0, -2.0, 0.5];
        let xv = MatrixView::new("X", &x, 3, 4).unwrap();
        let yv = MatrixView::new("y", &y, 3, 1).unwrap();
        let kernel = fit_ridge(&xv, &yv, &params(RIDGE_PARAMS, &[("alpha", Value::Number(0.7))])).unwrap();
        let svd = fit_ridge(
            &xv,
            &yv,
            &params(RIDGE_PARAMS, &[("alpha", Value::Number(0.7)), ("solver", Value::Str("svd".into()))]),
        )
        .unwrap();
        assert_close(&kernel.coef, &svd.coef, 1e-10);
        assert_close(&kernel.intercept, &svd.intercept, 1e-10);
    }

    #[test]
    fn ridge_with_zero_alpha_on_singular_input_falls_back_to_svd() {
        let x: Vec<f64> = X.chunks(2).flat_map(|r| [r[0], r[0]]).collect();
        let y: Vec<f64> = X.chunks(2).map(|r| 4.0 * r[0] + 1.0).collect();
        let xv = MatrixView::new("X", &x, 5, 2).unwrap();
        let yv = MatrixView::new("y", &y, 5, 1).unwrap();
        let m = fit_ridge(&xv, &yv, &params(RIDGE_PARAMS, &[("alpha", Value::Number(0.0))])).unwrap();
        assert_close(&m.coef, &[2.0, 2.0], 1e-10);
        assert_close(&m.intercept, &[1.0], 1e-10);
    }

    #[test]
    fn tall_inputs_solve_on_the_tsqr_r_with_the_same_solution() {
        // 9000 × 3 with a duplicated column (rank 2, so the minimum-norm cutoff matters) and two targets.
        let n = 9000;
        let x: Vec<f64> = (0..n)
            .flat_map(|i| {
                let a = (i as f64 * 0.37).sin();
                let b = (i as f64 * 0.11).cos();
                [a, b, a]
            })
            .collect();
        let y: Vec<f64> = x
            .chunks(3)
            .enumerate()
            .flat_map(|(i, r)| [1.0 + 2.0 * r[0] - 3.0 * r[1] + 1e-3 * (i as f64).sin(), 0.5 * r[1]])
            .collect();
        let (xv, yv) = (MatrixView::new("X", &x, n, 3).unwrap(), MatrixView::new("y", &y, n, 2).unwrap());
        let means = (xv.column_means(), yv.column_means());
        let (xc, yc) = (xv.centered(&means.0), yv.centered(&means.1));
        let tall = fit_linear_regression(&xv, &yv, &params(LINEAR_REGRESSION_PARAMS, &[])).unwrap();
        let direct = lapack::lstsq(&xc, n, 3, &yc, 2, f64::EPSILON).unwrap();
        assert_close(&tall.coef, &transpose(&direct, 3, 2), 1e-10);
        for solver in ["auto", "svd"] {
            let ridge = fit_ridge(
                &xv,
                &yv,
                &params(RIDGE_PARAMS, &[("alpha", Value::Number(3.0)), ("solver", Value::Str(solver.into()))]),
            )
            .unwrap();
            let direct = solve_ridge_svd(&xc, &yc, n, 3, 2, 3.0).unwrap();
            assert_close(&ridge.coef, &transpose(&direct, 3, 2), 1e-10);
        }
    }
}
