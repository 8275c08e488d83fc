//! The only declaration of OpenBLAS/LAPACK in the workspace (the algorithms and the addon's `blasSgemv`/`blasSdot`
//! both call through here). libopenblas exports both and is linked by `#[link]` here, so every crate, test binary
//! and the addon that uses ml-core gets it without a build script. Every wrapper takes and returns
//! row-major data and hides LAPACK's column-major layout, workspace queries and `info`.
//! Fortran CHARACTER arguments get their hidden length argument appended (gfortran ABI).

use std::ffi::CStr;
use std::os::raw::{c_char, c_int};

use crate::error::{Error, Result};

const CBLAS_ROW_MAJOR: c_int = 101;
const CBLAS_NO_TRANS: c_int = 111;
const CBLAS_TRANS: c_int = 112;

#[link(name = "openblas")]
extern "C" {
    fn openblas_set_num_threads(threads: c_int);
    #[allow(clippy::too_many_arguments)]
    fn cblas_sgemv(
        order: c_int,
        trans: c_int,
        m: c_int,
        n: c_int,
        alpha: f32,
        a: *const f32,
        lda: c_int,
        x: *const f32,
        incx: c_int,
        beta: f32,
        y: *mut f32,
        incy: c_int,
    );
    fn cblas_sdot(n: c_int, x: *const f32, incx: c_int, y: *const f32, incy: c_int) -> f32;
    fn openblas_get_config() -> *const c_char;
    #[allow(clippy::too_many_arguments)]
    fn cblas_dgemv(
        order: c_int,
        trans: c_int,
        m: c_int,
        n: c_int,
        alpha: f64,
        a: *const f64,
        lda: c_int,
        x: *const f64,
        incx: c_int,
        beta: f64,
        y: *mut f64,
        incy: c_int,
    );
    fn cblas_dgemm(
        order: c_int,
        trans_a: c_int,
        trans_b: c_int,
        m: c_int,
        n: c_int,
        k: c_int,
        alpha: f64,
        a: *const f64,
        lda: c_int,
        b: *const f64,
        ldb: c_int,
        beta: f64,
        c: *mut f64,
        ldc: c_int,
    );
    fn dgelsd_(
        m: *const c_int,
        n: *const c_int,
        nrhs: *const c_int,
        a: *mut f64,
        lda: *const c_int,
        b: *mut f64,
        ldb: *const c_int,
        s: *mut f64,
        rcond: *const f64,
        rank: *mut c_int,
        work: *mut f64,
        lwork: *const c_int,
        iwork: *mut c_int,
        info: *mut c_int,
    );
    fn dposv_(
        uplo: *const c_char,
        n: *const c_int,
        nrhs: *const c_int,
        a: *mut f64,
        lda: *const c_int,
        b: *mut f64,
        ldb: *const c_int,
        info: *mut c_int,
        uplo_len: usize,
    );
    fn dgeqrf_(
        m: *const c_int,
        n: *const c_int,
        a: *mut f64,
        lda: *const c_int,
        tau: *mut f64,
        work: *mut f64,
        lwork: *const c_int,
        info: *mut c_int,
    );
    fn dgesdd_(
        jobz: *const c_char,
        m: *const c_int,
        n: *const c_int,
        a: *mut f64,
        lda: *const c_int,
        s: *mut f64,
        u: *mut f64,
        ldu: *const c_int,
        vt: *mut f64,
        ldvt: *const c_int,
        work: *mut f64,
        lwork: *const c_int,
        iwork: *mut c_int,
        info: *mut c_int,
        jobz_len: usize,
    );
}

fn lapack_int(n: usize) -> Result<c_int> {
    c_int::try_from(n).map_err(|_| Error::invalid(format!("dimension {n} exceeds the 32-bit range of BLAS/LAPACK")))
}

/// `a · x` for a row-major `rows × x.len()` f32 matrix `a` (OpenBLAS sgemv).
pub fn sgemv(a: &[f32], rows: usize, x: &[f32]) -> Result<Vec<f32>> {
    assert_eq!(a.len(), rows * x.len(), "sgemv: the matrix is not rows × x.len()");
    let (m, n) = (lapack_int(rows)?, lapack_int(x.len())?);
    let mut out = vec![0.0f32; rows];
    if rows > 0 {
        // SAFETY: `a` holds m·n floats (asserted), `x` n, `out` m; lda = n for row-major.
        unsafe {
            cblas_sgemv(
                CBLAS_ROW_MAJOR,
                CBLAS_NO_TRANS,
                m,
                n,
                1.0,
                a.as_ptr(),
                n.max(1),
                x.as_ptr(),
                1,
                0.0,
                out.as_mut_ptr(),
                1,
            )
        };
    }
    Ok(out)
}

/// `a · b` of two f32 vectors of one length (OpenBLAS sdot).
pub fn sdot(a: &[f32], b: &[f32]) -> Result<f32> {
    assert_eq!(a.len(), b.len(), "sdot: vectors of different lengths");
    let n = lapack_int(a.len())?;
    // SAFETY: both slices hold n floats.
    Ok(unsafe { cblas_sdot(n, a.as_ptr(), 1, b.as_ptr(), 1) })
}

/// One level of parallelism: the algorithms split their work over rayon's threads (one per core) and call OpenBLAS
/// inside them, where OpenBLAS's own threads would only compete for the same cores — on 2 cores a 100k × 20 ridge
/// fit took 21 ms with occasional 150 ms stalls, and 13 ms single-threaded (scikit-learn: 12 ms). An explicit
/// `OPENBLAS_NUM_THREADS` is left as the user set it.
pub fn single_threaded_blas_unless_configured() {
    if std::env::var_os("OPENBLAS_NUM_THREADS").is_none() {
        // SAFETY: a plain setter of OpenBLAS's global thread count, called before any work is started.
        unsafe { openblas_set_num_threads(1) };
    }
}

/// OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
pub fn openblas_config() -> String {
    // SAFETY: returns a pointer to a static NUL-terminated string inside libopenblas (or null).
    let raw = unsafe { openblas_get_config() };
    if raw.is_null() {
        return "OpenBLAS".into();
    }
    unsafe { CStr::from_ptr(raw) }.to_string_lossy().trim().to_string()
}

/// Row-major `c (m×n) = alpha · op(a) · op(b) + beta · c`, `op(a)` m×k, `op(b)` k×n. `a` and `b` are stored with
/// their own row-major shapes (a: m×k, or k×m when `trans_a`).
#[allow(clippy::too_many_arguments)]
pub fn gemm(
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: &[f64],
    b: &[f64],
    beta: f64,
    c: &mut [f64],
) -> Result<()> {
    assert!(a.len() == m * k && b.len() == k * n && c.len() == m * n, "gemm: slice lengths do not match the shape");
    if m == 0 || n == 0 {
        return Ok(());
    }
    let (mi, ni, ki) = (lapack_int(m)?, lapack_int(n)?, lapack_int(k)?);
    let lda = if trans_a { mi } else { ki.max(1) };
    let ldb = if trans_b { ki.max(1) } else { ni };
    let op = |t: bool| if t { CBLAS_TRANS } else { CBLAS_NO_TRANS };
    // A product with one row or one column is a matrix-vector product: OpenBLAS's gemm kernels pack and block for
    // matrices and run several times slower than its gemv there (a binary logistic regression is all such products).
    if n == 1 {
        // c (m) = op(a) (m×k) · b (k); b is a vector whatever trans_b says.
        let (rows, cols) = if trans_a { (ki, mi) } else { (mi, ki) };
        // SAFETY: a holds rows × cols row-major (asserted as m·k), b k values, c m values.
        unsafe {
            cblas_dgemv(
                CBLAS_ROW_MAJOR,
                op(trans_a),
                rows,
                cols,
                alpha,
                a.as_ptr(),
                cols.max(1),
                b.as_ptr(),
                1,
                beta,
                c.as_mut_ptr(),
                1,
            )
        };
        return Ok(());
    }
    if m == 1 {
        // c (n) = a (k) · op(b) (k×n) = op(b)ᵀ · a.
        let (rows, cols) = if trans_b { (ni, ki) } else { (ki, ni) };
        // SAFETY: b holds rows × cols row-major (asserted as k·n), a k values, c n values.
        unsafe {
            cblas_dgemv(
                CBLAS_ROW_MAJOR,
                op(!trans_b),
                rows,
                cols,
                alpha,
                b.as_ptr(),
                cols.max(1),
                a.as_ptr(),
                1,
                beta,
                c.as_mut_ptr(),
                1,
            )
        };
        return Ok(());
    }
    // SAFETY: lengths asserted above match the leading dimensions passed.
    unsafe {
        cblas_dgemm(
            CBLAS_ROW_MAJOR,
            op(trans_a),
            op(trans_b),
            mi,
            ni,
            ki,
            alpha,
            a.as_ptr(),
            lda,
            b.as_ptr(),
            ldb,
            beta,
            c.as_mut_ptr(),
            ni,
        )
    };
    Ok(())
}

/// Column-major copy of a row-major `rows × cols` matrix, with leading dimension `ld ≥ rows`.
fn to_col_major(a: &[f64], rows: usize, cols: usize, ld: usize) -> Vec<f64> {
    let mut out = vec![0.0; ld * cols];
    for i in 0..rows {
        for j in 0..cols {
            out[i + j * ld] = a[i * cols + j];
        }
    }
    out
}

/// Minimum-norm least squares `argmin ‖a·x − b‖` by SVD (LAPACK dgelsd, scipy.linalg.lstsq's default driver):
/// singular values below `rcond · s_max` count as zero. `a` is m×n, `b` m×nrhs, the result n×nrhs (row-major).
pub fn lstsq(a: &[f64], m: usize, n: usize, b: &[f64], nrhs: usize, rcond: f64) -> Result<Vec<f64>> {
    assert!(a.len() == m * n && b.len() == m * nrhs, "lstsq: slice lengths do not match the shape");
    let ld_b = m.max(n).max(1);
    let mut a_cm = to_col_major(a, m, n, m.max(1));
    let mut b_cm = to_col_major(b, m, nrhs, ld_b);
    let mut s = vec![0.0; m.min(n).max(1)];
    let (mi, ni, nrhs_i, lda, ldb) =
        (lapack_int(m)?, lapack_int(n)?, lapack_int(nrhs)?, lapack_int(m.max(1))?, lapack_int(ld_b)?);
    let mut rank: c_int = 0;
    let mut info: c_int = 0;
    let mut work_size = 0.0;
    let mut iwork_size: c_int = 0;
    // SAFETY: workspace query (lwork = -1) writes one f64 and one int.
    unsafe {
        dgelsd_(
            &mi,
            &ni,
            &nrhs_i,
            a_cm.as_mut_ptr(),
            &lda,
            b_cm.as_mut_ptr(),
            &ldb,
            s.as_mut_ptr(),
            &rcond,
            &mut rank,
            &mut work_size,
            &-1,
            &mut iwork_size,
            &mut info,
        )
    };
    if info != 0 {
        return Err(Error::data(format!("dgelsd workspace query failed (info {info})")));
    }
    let lwork = work_size as usize + 1;
    let mut work = vec![0.0; lwork];
    let mut iwork = vec![0 as c_int; (iwork_size.max(1)) as usize];
    let lwork_i = lapack_int(lwork)?;
    // SAFETY: buffers sized per the query above; a_cm is lda×n, b_cm is ldb×nrhs.
    unsafe {
        dgelsd_(
            &mi,
            &ni,
            &nrhs_i,
            a_cm.as_mut_ptr(),
            &lda,
            b_cm.as_mut_ptr(),
            &ldb,
            s.as_mut_ptr(),
            &rcond,
            &mut rank,
            work.as_mut_ptr(),
            &lwork_i,
            iwork.as_mut_ptr(),
            &mut info,
        )
    };
    if info != 0 {
        return Err(Error::data(format!("least squares (dgelsd) did not converge (info {info})")));
    }
    let mut x = vec![0.0; n * nrhs];
    for j in 0..n {
        for t in 0..nrhs {
            x[j * nrhs + t] = b_cm[j + t * ld_b];
        }
    }
    Ok(x)
}

/// Solves `a·x = b` for symmetric positive definite `a` (n×n) by Cholesky (LAPACK dposv, what
/// `scipy.linalg.solve(assume_a="pos")` calls). `b` is n×nrhs row-major. `None` when `a` is not positive definite.
pub fn solve_spd(a: &[f64], n: usize, b: &[f64], nrhs: usize) -> Result<Option<Vec<f64>>> {
    assert!(a.len() == n * n && b.len() == n * nrhs, "solve_spd: slice lengths do not match the shape");
    // Symmetric, so the row-major buffer is its own column-major form.
    let mut a_cm = a.to_vec();
    let mut b_cm = to_col_major(b, n, nrhs, n.max(1));
    let (ni, nrhs_i, ld) = (lapack_int(n)?, lapack_int(nrhs)?, lapack_int(n.max(1))?);
    let mut info: c_int = 0;
    let uplo = b'L' as c_char;
    // SAFETY: a_cm is n×n, b_cm is n×nrhs with leading dimension n.
    unsafe { dposv_(&uplo, &ni, &nrhs_i, a_cm.as_mut_ptr(), &ld, b_cm.as_mut_ptr(), &ld, &mut info, 1) };
    if info > 0 {
        return Ok(None);
    }
    if info < 0 {
        return Err(Error::invalid(format!("dposv rejected argument {}", -info)));
    }
    let mut x = vec![0.0; n * nrhs];
    for i in 0..n {
        for t in 0..nrhs {
            x[i * nrhs + t] = b_cm[i + t * n];
        }
    }
    Ok(Some(x))
}

/// The n×n upper-triangular R of a Householder QR of a row-major m×n matrix, m ≥ n (LAPACK dgeqrf): RᵀR = aᵀa, so
/// R stands in for tall data (TSQR: the Rs of row blocks, stacked, have the same R as the whole matrix).
pub fn qr_r(a: &[f64], m: usize, n: usize) -> Result<Vec<f64>> {
    assert!(a.len() == m * n && m >= n, "qr_r: needs a row-major m×n slice with m >= n");
    let mut a_cm = to_col_major(a, m, n, m.max(1));
    let (mi, ni, lda) = (lapack_int(m)?, lapack_int(n)?, lapack_int(m.max(1))?);
    let mut tau = vec![0.0; n.max(1)];
    let mut info: c_int = 0;
    let mut work_size = 0.0;
    // SAFETY: workspace query (lwork = -1) writes one f64.
    unsafe { dgeqrf_(&mi, &ni, a_cm.as_mut_ptr(), &lda, tau.as_mut_ptr(), &mut work_size, &-1, &mut info) };
    let lwork = (work_size as usize).max(n).max(1);
    let mut work = vec![0.0; lwork];
    let lwork_i = lapack_int(lwork)?;
    // SAFETY: a_cm is lda×n column-major, tau has n entries, work the queried size.
    unsafe { dgeqrf_(&mi, &ni, a_cm.as_mut_ptr(), &lda, tau.as_mut_ptr(), work.as_mut_ptr(), &lwork_i, &mut info) };
    if info != 0 {
        return Err(Error::data(format!("QR (dgeqrf) failed (info {info})")));
    }
    let mut r = vec![0.0; n * n];
    for i in 0..n {
        for j in i..n {
            r[i * n + j] = a_cm[i + j * m];
        }
    }
    Ok(r)
}

/// Thin SVD of a row-major m×n matrix: `a = u · diag(s) · vt`, u m×k, s k (descending), vt k×n, k = min(m, n).
pub struct Svd {
    pub u: Vec<f64>,
    pub s: Vec<f64>,
    pub vt: Vec<f64>,
    pub k: usize,
}

pub fn svd(a: &[f64], m: usize, n: usize) -> Result<Svd> {
    assert!(a.len() == m * n, "svd: slice length does not match the shape");
    // The row-major buffer read column-major is aᵀ (n×m). With aᵀ = U'·S·V'ᵀ we get a = V'·S·U'ᵀ, and LAPACK's
    // column-major U' (n×k) and V'ᵀ (k×m) read row-major are exactly a's vt (k×n) and u (m×k): no transposes.
    let k = m.min(n);
    let mut at = a.to_vec();
    let mut s = vec![0.0; k];
    let mut vt = vec![0.0; n * k];
    let mut u = vec![0.0; k * m];
    let (rows, cols, ki) = (lapack_int(n)?, lapack_int(m)?, lapack_int(k)?);
    let mut iwork = vec![0 as c_int; 8 * k.max(1)];
    let mut info: c_int = 0;
    let jobz = b'S' as c_char;
    let mut work_size = 0.0;
    // SAFETY: workspace query; at is n×m column-major (lda = n), outputs sized n×k and k×m.
    unsafe {
        dgesdd_(
            &jobz,
            &rows,
            &cols,
            at.as_mut_ptr(),
            &rows,
            s.as_mut_ptr(),
            vt.as_mut_ptr(),
            &rows,
            u.as_mut_ptr(),
            &ki,
            &mut work_size,
            &-1,
            iwork.as_mut_ptr(),
            &mut info,
            1,
        )
    };
    if info != 0 {
        return Err(Error::data(format!("dgesdd workspace query failed (info {info})")));
    }
    let lwork = work_size as usize + 1;
    let mut work = vec![0.0; lwork];
    let lwork_i = lapack_int(lwork)?;
    // SAFETY: as above with the queried workspace.
    unsafe {
        dgesdd_(
            &jobz,
            &rows,
            &cols,
            at.as_mut_ptr(),
            &rows,
            s.as_mut_ptr(),
            vt.as_mut_ptr(),
            &rows,
            u.as_mut_ptr(),
            &ki,
            work.as_mut_ptr(),
            &lwork_i,
            iwork.as_mut_ptr(),
            &mut info,
            1,
        )
    };
    if info != 0 {
        return Err(Error::data(format!("SVD (dgesdd) did not converge (info {info})")));
    }
    Ok(Svd { u, s, vt, k })
}

#[cfg(test)]
#[path = "lapack_tests.rs"]
mod tests;
