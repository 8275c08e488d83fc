//! OpenBLAS through its C interface (Debian libopenblas-dev, linked in build.rs) — the benchmark's reference row.

use std::ffi::{c_char, CStr};

use crate::error::{check_same_len, Result};
use crate::vector::ops::validate_pair;
use crate::vector::scan::matrix_rows;

const CBLAS_ROW_MAJOR: i32 = 101;
const CBLAS_NO_TRANS: i32 = 111;

extern "C" {
    fn cblas_sgemv(
        order: i32,
        trans: i32,
        m: i32,
        n: i32,
        alpha: f32,
        a: *const f32,
        lda: i32,
        x: *const f32,
        incx: i32,
        beta: f32,
        y: *mut f32,
        incy: i32,
    );
    fn cblas_sdot(n: i32, x: *const f32, incx: i32, y: *const f32, incy: i32) -> f32;
    fn openblas_get_config() -> *const c_char;
}

fn blas_int(what: &str, n: usize) -> Result<i32> {
    i32::try_from(n).map_err(|_| crate::error::Error::invalid(format!("{what}: {n} exceeds the 32-bit BLAS integer range")))
}

/// `matrix · query` for a row-major `rows × dim` matrix.
pub fn sgemv(matrix: &[f32], dim: usize, query: &[f32]) -> Result<Vec<f32>> {
    const WHAT: &str = "blasSgemv";
    let rows = matrix_rows(WHAT, matrix.len(), dim)?;
    check_same_len(WHAT, "query", query.len(), "dim", dim)?;
    let (m, n) = (blas_int(WHAT, rows)?, blas_int(WHAT, dim)?);
    let mut out = vec![0.0f32; rows];
    if rows > 0 {
        // SAFETY: `matrix` holds m*n floats (checked by matrix_rows), `query` n, `out` m; lda = n for row-major.
        unsafe {
            cblas_sgemv(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, m, n, 1.0, matrix.as_ptr(), n, query.as_ptr(), 1, 0.0, out.as_mut_ptr(), 1)
        };
    }
    Ok(out)
}

pub fn sdot(a: &[f32], b: &[f32]) -> Result<f32> {
    validate_pair("blasSdot", a.len(), b.len())?;
    let n = blas_int("blasSdot", a.len())?;
    // SAFETY: both slices hold n floats.
    Ok(unsafe { cblas_sdot(n, a.as_ptr(), 1, b.as_ptr(), 1) })
}

/// OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
pub fn config() -> String {
    // SAFETY: returns a pointer to a static NUL-terminated string inside libopenblas.
    let raw = unsafe { openblas_get_config() };
    if raw.is_null() {
        return "OpenBLAS".into();
    }
    unsafe { CStr::from_ptr(raw) }.to_string_lossy().trim().to_string()
}
