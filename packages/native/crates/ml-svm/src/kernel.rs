//! libsvm's kernels: linear, polynomial, rbf and sigmoid, evaluated the way libsvm does in training (rbf through
//! precomputed squared norms, sums in feature order, `powi` by repeated squaring) so the dual problem is the same
//! one sklearn solves, and in batches through BLAS for prediction.

use rayon::prelude::*;

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::hyperparams::{Params, Value};
use pgml_ml_core::lapack;
use pgml_ml_core::matrix::MatrixView;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kernel {
    Linear,
    Poly { gamma: f64, coef0: f64, degree: u32 },
    Rbf { gamma: f64 },
    Sigmoid { gamma: f64, coef0: f64 },
}

/// Values per block of the batched kernel matrix (rows × support vectors): 64 MB whatever the row count.
const PREDICT_BLOCK_VALUES: usize = 1 << 23;

/// Fewer kernel values than this are computed on the calling thread.
const MIN_PARALLEL_KERNEL_VALUES: usize = 1 << 14;

/// Sequential dot product: the summation order libsvm uses, so kernel values round the same way.
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sum = 0.0;
    for (x, y) in a.iter().zip(b) {
        sum += x * y;
    }
    sum
}

/// libsvm's `powi`: exponentiation by squaring (not `f64::powi`, whose rounding may differ).
fn powi(base: f64, times: u32) -> f64 {
    let (mut tmp, mut ret, mut t) = (base, 1.0, times);
    while t > 0 {
        if t % 2 == 1 {
            ret *= tmp;
        }
        tmp *= tmp;
        t /= 2;
    }
    ret
}

impl Kernel {
    /// The kernel sklearn's SVC/SVR builds from `kernel`, `gamma` ("scale" = 1 / (n_features · X.var()), or 1 when
    /// X is constant; "auto" = 1 / n_features), `degree` and `coef0`.
    pub fn from_params(params: &Params, x: &MatrixView) -> Result<Kernel> {
        let gamma = match params.value("gamma") {
            Value::Number(g) => *g,
            Value::Str(s) if s == "auto" => 1.0 / x.cols() as f64,
            _ => {
                let n = x.data().len() as f64;
                let mean = x.data().iter().sum::<f64>() / n;
                let var = x.data().iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
                if var != 0.0 {
                    1.0 / (x.cols() as f64 * var)
                } else {
                    1.0
                }
            }
        };
        let coef0 = params.f64("coef0");
        Ok(match params.str("kernel") {
            "linear" => Kernel::Linear,
            "poly" => {
                let degree =
                    u32::try_from(params.usize("degree")).map_err(|_| Error::hyperparameter("degree is too large"))?;
                Kernel::Poly { gamma, coef0, degree }
            }
            "sigmoid" => Kernel::Sigmoid { gamma, coef0 },
            _ => Kernel::Rbf { gamma },
        })
    }

    /// Whether evaluation needs the rows' squared norms.
    pub fn uses_norms(&self) -> bool {
        matches!(self, Kernel::Rbf { .. })
    }

    /// k(a, b) from a·b and the squared norms (libsvm's training-time formulas).
    #[inline]
    pub fn from_dot(&self, dot: f64, sq_a: f64, sq_b: f64) -> f64 {
        match *self {
            Kernel::Linear => dot,
            Kernel::Poly { gamma, coef0, degree } => powi(gamma * dot + coef0, degree),
            Kernel::Rbf { gamma } => (-gamma * (sq_a + sq_b - 2.0 * dot)).exp(),
            Kernel::Sigmoid { gamma, coef0 } => (gamma * dot + coef0).tanh(),
        }
    }

    /// k(a, b) as libsvm's `k_function` (prediction time; rbf sums squared differences directly).
    pub fn between(&self, a: &[f64], b: &[f64]) -> f64 {
        match *self {
            Kernel::Rbf { gamma } => {
                let mut sum = 0.0;
                for (x, y) in a.iter().zip(b) {
                    let d = x - y;
                    sum += d * d;
                }
                (-gamma * sum).exp()
            }
            _ => self.from_dot(dot(a, b), 0.0, 0.0),
        }
    }

    /// Applies the kernel to a block of dot products in place (`sq_rows` per row, `sq_cols` per column).
    fn apply(&self, dots: &mut [f64], sq_rows: &[f64], sq_cols: &[f64]) {
        let cols = sq_cols.len();
        if cols == 0 {
            return;
        }
        for (row, &sq_r) in dots.chunks_exact_mut(cols).zip(sq_rows) {
            match *self {
                // The norm expansion can go slightly negative by cancellation; a squared distance cannot.
                Kernel::Rbf { gamma } => row
                    .iter_mut()
                    .zip(sq_cols)
                    .for_each(|(v, &sq_c)| *v = (-gamma * (sq_r + sq_c - 2.0 * *v).max(0.0)).exp()),
                _ => row.iter_mut().for_each(|v| *v = self.from_dot(*v, 0.0, 0.0)),
            }
        }
    }

    /// For every block of rows of `x` (at most `PREDICT_BLOCK_VALUES / n` rows, so the block matrix stays bounded):
    /// the block's kernel matrix against `vectors` (n × p, row-major, squared norms `vector_norms`) computed by one
    /// dgemm, handed to `consume` with the block's share of `out` (`out_cols` values per row). Blocks run in
    /// sequence: OpenBLAS threads each dgemm itself (concurrent dgemm calls from rayon threads contend on its
    /// thread pool), and the element-wise kernel runs on rayon between them.
    pub fn for_blocks<F>(
        &self,
        x: &MatrixView,
        vectors: &[f64],
        vector_norms: &[f64],
        out: &mut [f64],
        out_cols: usize,
        consume: F,
    ) -> Result<()>
    where
        F: Fn(&[f64], &mut [f64]) -> Result<()>,
    {
        let (p, n) = (x.cols(), vector_norms.len());
        let block_rows = (PREDICT_BLOCK_VALUES / n.max(1)).clamp(64, 8192);
        let mut k = Vec::new();
        for (b, out_block) in out.chunks_mut(block_rows * out_cols).enumerate() {
            let rows = out_block.len() / out_cols;
            let xb = &x.data()[b * block_rows * p..(b * block_rows + rows) * p];
            k.clear();
            k.resize(rows * n, 0.0);
            if n > 0 {
                lapack::gemm(false, true, rows, n, p, 1.0, xb, vectors, 0.0, &mut k)?;
                let row_norm = |x_row: &[f64]| if self.uses_norms() { dot(x_row, x_row) } else { 0.0 };
                let apply_row =
                    |(k_row, x_row): (&mut [f64], &[f64])| self.apply(k_row, &[row_norm(x_row)], vector_norms);
                // The kernel is element-wise, so however the matrix is split, every value is computed alike.
                if k.len() < MIN_PARALLEL_KERNEL_VALUES {
                    // Little work: the pool's thread hop would cost more than it saves.
                    k.chunks_mut(n).zip(xb.chunks(p)).for_each(apply_row);
                } else if rows == 1 {
                    // A single row against many vectors (single-row predict): split the vectors instead.
                    let sq = row_norm(xb);
                    let piece = MIN_PARALLEL_KERNEL_VALUES / 4;
                    k.par_chunks_mut(piece)
                        .zip(vector_norms.par_chunks(piece))
                        .for_each(|(k, norms)| self.apply(k, &[sq], norms));
                } else {
                    k.par_chunks_mut(n).zip(xb.par_chunks(p)).for_each(apply_row);
                }
            }
            consume(&k, out_block)?;
        }
        Ok(())
    }

    /// Body: `u32 kind (0 linear, 1 poly, 2 rbf, 3 sigmoid), u32 degree, f64 gamma, f64 coef0`.
    pub fn write(&self, w: &mut Writer) {
        let (kind, degree, gamma, coef0) = match *self {
            Kernel::Linear => (0, 0, 0.0, 0.0),
            Kernel::Poly { gamma, coef0, degree } => (1, degree, gamma, coef0),
            Kernel::Rbf { gamma } => (2, 0, gamma, 0.0),
            Kernel::Sigmoid { gamma, coef0 } => (3, 0, gamma, coef0),
        };
        w.u32(kind);
        w.u32(degree);
        w.f64s(&[gamma, coef0]);
    }

    pub fn read(r: &mut Reader) -> Result<Kernel> {
        let kind = r.u32()?;
        let degree = r.u32()?;
        let v = r.f64s("kernel parameters", 2)?;
        let (gamma, coef0) = (v[0], v[1]);
        if !gamma.is_finite() || gamma < 0.0 || !coef0.is_finite() {
            return Err(Error::corrupt("kernel parameters out of range"));
        }
        match kind {
            0 => Ok(Kernel::Linear),
            1 => Ok(Kernel::Poly { gamma, coef0, degree }),
            2 => Ok(Kernel::Rbf { gamma }),
            3 => Ok(Kernel::Sigmoid { gamma, coef0 }),
            _ => Err(Error::corrupt(format!("unknown kernel {kind}"))),
        }
    }
}

/// Squared norms of the rows of a row-major matrix with `p` columns (zeros when the kernel needs none).
pub fn row_norms(kernel: &Kernel, data: &[f64], p: usize) -> Vec<f64> {
    data.chunks_exact(p).map(|r| if kernel.uses_norms() { dot(r, r) } else { 0.0 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_matches_pairwise() {
        let x = [0.5, -1.0, 2.0, 0.3, 1.0, 1.0, -0.7, 0.2, 0.0];
        let view = MatrixView::new("X", &x, 3, 3).unwrap();
        let sv = [1.0, 0.0, -1.0, 0.2, 0.4, 0.6];
        for kernel in [
            Kernel::Linear,
            Kernel::Poly { gamma: 0.5, coef0: 1.0, degree: 3 },
            Kernel::Rbf { gamma: 0.7 },
            Kernel::Sigmoid { gamma: 0.1, coef0: -0.5 },
        ] {
            let norms = row_norms(&kernel, &sv, 3);
            let mut out = vec![0.0; 6];
            kernel
                .for_blocks(&view, &sv, &norms, &mut out, 2, |k, o| {
                    o.copy_from_slice(k);
                    Ok(())
                })
                .unwrap();
            for i in 0..3 {
                for j in 0..2 {
                    let expected = kernel.between(&x[i * 3..i * 3 + 3], &sv[j * 3..j * 3 + 3]);
                    assert!((out[i * 2 + j] - expected).abs() < 1e-12, "{kernel:?}");
                }
            }
        }
        assert_eq!(powi(1.5, 3), 1.5 * 1.5 * 1.5);
        assert_eq!(powi(2.0, 0), 1.0);
    }
}
