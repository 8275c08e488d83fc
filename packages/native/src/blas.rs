//! `blasSgemv` / `blasSdot`: OpenBLAS as the benchmark's reference row. The declarations and the linking live in
//! ml-core (`pgml_ml_core::lapack`, the workspace's one BLAS binding); this file checks the JS-facing shapes.

use pgml_ml_core::lapack;

use crate::error::{check_same_len, Result};
use crate::vector::ops::validate_pair;
use crate::vector::scan::matrix_rows;

/// `matrix · query` for a row-major `rows × dim` matrix.
pub fn sgemv(matrix: &[f32], dim: usize, query: &[f32]) -> Result<Vec<f32>> {
    const WHAT: &str = "blasSgemv";
    let rows = matrix_rows(WHAT, matrix.len(), dim)?;
    check_same_len(WHAT, "query", query.len(), "dim", dim)?;
    lapack::sgemv(matrix, rows, query)
}

pub fn sdot(a: &[f32], b: &[f32]) -> Result<f32> {
    validate_pair("blasSdot", a.len(), b.len())?;
    lapack::sdot(a, b)
}

/// OpenBLAS's build description.
pub fn config() -> String {
    lapack::openblas_config()
}
