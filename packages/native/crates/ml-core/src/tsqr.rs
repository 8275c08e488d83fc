//! Tall-skinny QR (TSQR) of centered data, without a centered copy: each block of rows, centered on the fly, is
//! reduced to its R by a Householder QR (in parallel), the stacked Rs are reduced again, and the final R has the same
//! RᵀR — the same Gram matrix, singular values and right singular vectors — as the whole centered matrix.
//! Memory: O(k² · n / BLOCK_ROWS) instead of n × k copies. PCA (its SVD) and least squares (its R) build on it.

use rayon::prelude::*;

use crate::error::Result;
use crate::{lapack, MatrixView};

pub const BLOCK_ROWS: usize = 4096;

/// The columns a TSQR factorizes: X (and optionally targets Y beside it), each minus its offsets.
#[derive(Clone, Copy)]
pub struct Centered<'a> {
    pub x: &'a MatrixView<'a>,
    pub x_offset: &'a [f64],
    pub y: Option<(&'a MatrixView<'a>, &'a [f64])>,
}

impl Centered<'_> {
    /// Columns of [X | Y].
    pub fn width(&self) -> usize {
        self.x.cols() + self.y.map_or(0, |(y, _)| y.cols())
    }

    /// The block size that keeps every block tall enough to reduce (at least 4 rows per column).
    pub fn block_rows(&self) -> usize {
        BLOCK_ROWS.max(4 * self.width())
    }

    /// Rows [start, end) of [X − x_offset | Y − y_offset], row-major.
    pub fn rows(&self, start: usize, end: usize) -> Vec<f64> {
        let (p, k) = (self.x.cols(), self.width());
        let mut out = Vec::with_capacity((end - start) * k);
        for r in start..end {
            out.extend(self.x.data()[r * p..(r + 1) * p].iter().zip(self.x_offset).map(|(v, m)| v - m));
            if let Some((y, offset)) = self.y {
                let t = y.cols();
                out.extend(y.data()[r * t..(r + 1) * t].iter().zip(offset).map(|(v, m)| v - m));
            }
        }
        out
    }
}

/// A matrix with the same Gram matrix as `rows` (r × k): its R when r > k, else the rows themselves.
fn reduce(rows: Vec<f64>, k: usize) -> Result<Vec<f64>> {
    let r = rows.len() / k;
    if r > k {
        lapack::qr_r(&rows, r, k)
    } else {
        Ok(rows)
    }
}

/// A matrix with the centered columns' Gram matrix, row-major with `k = width()` columns. When every block and the
/// stack of their Rs are taller than k (n ≥ 2 · block_rows() does it), it is the k×k upper-triangular R of a QR of
/// the whole centered matrix; otherwise it may have fewer rows and not be triangular.
pub fn centered_r(data: Centered<'_>) -> Result<Vec<f64>> {
    let (n, k) = (data.x.rows(), data.width());
    let block = data.block_rows();
    let starts: Vec<usize> = (0..n).step_by(block).collect();
    let reduced: Vec<Vec<f64>> =
        starts.par_iter().map(|&s| reduce(data.rows(s, (s + block).min(n)), k)).collect::<Result<_>>()?;
    reduce(reduced.concat(), k)
}
