//! The one distance kernel of the k-means family. Rows are visited in chunks; for each chunk one BLAS dgemm gives
//! `‖c_j‖² − 2·x_i·c_j` for every row and target — the squared distance minus ‖x_i‖², which is all an argmin over
//! centers needs (sklearn's `lloyd_iter_chunked_dense` does the same). Chunks are grouped into fixed-size blocks that
//! run in parallel; each block folds into its own accumulator and the accumulators come back in block order, so
//! reductions do not depend on the thread count.

use pgml_ml_core::lapack;
use rayon::prelude::*;

/// Rows per dgemm: the chunk's copy (rows × d) and its distance block (rows × k) stay in cache.
const CHUNK_ROWS: usize = 256;
/// Rows per parallel task (a fixed multiple of CHUNK_ROWS, so the reduction order is fixed).
const BLOCK_ROWS: usize = 16 * CHUNK_ROWS;

/// Row-major points with an optional offset subtracted from every row. KMeans fits on X minus its column means
/// (sklearn does this for accurate distances); subtracting per chunk avoids holding a centered copy of X.
#[derive(Clone, Copy)]
pub struct Points<'a> {
    pub x: &'a [f64],
    pub d: usize,
    pub offset: Option<&'a [f64]>,
}

/// One chunk as `fold_blocks` hands it to the visitor.
pub struct Chunk<'a> {
    /// Index of the chunk's first row in the points.
    pub first_row: usize,
    /// The chunk's rows, offset subtracted (rows × d).
    pub rows: &'a [f64],
    /// rows × t: `‖target_j‖² − 2·row_i·target_j`.
    pub partial: &'a [f64],
}

impl<'a> Points<'a> {
    pub fn new(x: &'a [f64], d: usize, offset: Option<&'a [f64]>) -> Self {
        Points { x, d, offset }
    }

    pub fn rows(&self) -> usize {
        self.x.len() / self.d
    }

    /// Rows [start, end) with the offset subtracted, copied into `buf` (or borrowed when there is no offset).
    fn load<'b>(&self, start: usize, end: usize, buf: &'b mut Vec<f64>) -> &'b [f64]
    where
        'a: 'b,
    {
        let rows = &self.x[start * self.d..end * self.d];
        match self.offset {
            None => rows,
            Some(offset) => {
                buf.clear();
                buf.extend(rows.chunks_exact(self.d).flat_map(|row| row.iter().zip(offset).map(|(v, o)| v - o)));
                buf
            }
        }
    }

    /// ‖row‖² of every row (offset subtracted).
    pub fn squared_norms(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.rows()];
        out.par_chunks_mut(BLOCK_ROWS).enumerate().for_each(|(b, norms)| {
            let mut buf = Vec::new();
            let start = b * BLOCK_ROWS;
            let rows = self.load(start, start + norms.len(), &mut buf);
            for (n, row) in norms.iter_mut().zip(rows.chunks_exact(self.d)) {
                *n = row.iter().map(|v| v * v).sum();
            }
        });
        out
    }
}

/// Squared norm of each of the t rows of `targets` (t × d).
pub fn target_norms(targets: &[f64], d: usize) -> Vec<f64> {
    targets.chunks_exact(d).map(|c| c.iter().map(|v| v * v).sum()).collect()
}

/// Visits every chunk of `points` against `targets` (t × d, in the offset coordinates). `out` has one element per row
/// and is split alongside the chunks (labels to write, distances to update); each block folds into an accumulator
/// made by `init`, returned in block order.
pub fn fold_blocks<A, O, I, V>(points: &Points, targets: &[f64], out: &mut [O], init: I, visit: V) -> Vec<A>
where
    A: Send,
    O: Send,
    I: Fn() -> A + Sync,
    V: Fn(&mut A, Chunk<'_>, &mut [O]) + Sync,
{
    let d = points.d;
    let t = targets.len() / d;
    let norms = target_norms(targets, d);
    debug_assert_eq!(out.len(), points.rows());
    out.par_chunks_mut(BLOCK_ROWS)
        .enumerate()
        .map(|(b, block_out)| {
            let mut acc = init();
            let (mut buf, mut partial) = (Vec::new(), Vec::new());
            for (c, chunk_out) in block_out.chunks_mut(CHUNK_ROWS).enumerate() {
                let first_row = b * BLOCK_ROWS + c * CHUNK_ROWS;
                let n = chunk_out.len();
                let rows = points.load(first_row, first_row + n, &mut buf);
                partial.clear();
                partial.extend((0..n).flat_map(|_| norms.iter().copied()));
                // The shapes are consistent by construction, and t, d ≤ the 32-bit range checked by the caller.
                if lapack::gemm(false, true, n, t, d, -2.0, rows, targets, 1.0, &mut partial).is_err() {
                    unreachable!("gemm dimensions were checked when the model was created");
                }
                visit(&mut acc, Chunk { first_row, rows, partial: &partial }, chunk_out);
            }
            acc
        })
        .collect()
}

/// Index of the smallest value of each row of `partial` (rows × t), first on ties (numpy's argmin).
pub fn argmin_rows(partial: &[f64], t: usize, labels: &mut [u32]) {
    for (label, row) in labels.iter_mut().zip(partial.chunks_exact(t)) {
        let mut best = 0;
        for j in 1..t {
            if row[j] < row[best] {
                best = j;
            }
        }
        *label = best as u32;
    }
}

/// ‖a − b‖².
pub fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Nearest target of every row.
pub fn nearest(points: &Points, targets: &[f64]) -> Vec<u32> {
    let t = targets.len() / points.d;
    let mut labels = vec![0u32; points.rows()];
    fold_blocks(points, targets, &mut labels, || (), |_, chunk, out| argmin_rows(chunk.partial, t, out));
    labels
}

/// Σ‖row − target[label]‖² over all rows (sklearn's `_inertia_dense`, exact differences rather than the expansion).
pub fn inertia(points: &Points, targets: &[f64], labels: &[u32]) -> f64 {
    let d = points.d;
    labels
        .par_chunks(BLOCK_ROWS)
        .enumerate()
        .map(|(b, block)| {
            let mut buf = Vec::new();
            let start = b * BLOCK_ROWS;
            let rows = points.load(start, start + block.len(), &mut buf);
            rows.chunks_exact(d)
                .zip(block)
                .map(|(row, &l)| squared_distance(row, &targets[l as usize * d..][..d]))
                .sum::<f64>()
        })
        .collect::<Vec<f64>>()
        .iter()
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_and_inertia_with_and_without_offset() {
        // 5000 rows (several blocks) on a line; targets at 0 and 10.
        let x: Vec<f64> = (0..5000).flat_map(|i| [(i % 11) as f64, 1.0]).collect();
        let targets = [0.0, 1.0, 10.0, 1.0];
        let p = Points::new(&x, 2, None);
        let labels = nearest(&p, &targets);
        assert!(labels.iter().zip(x.chunks(2)).all(|(&l, r)| l == u32::from(r[0] > 5.0)));
        let direct: f64 =
            x.chunks(2).zip(&labels).map(|(r, &l)| squared_distance(r, &targets[l as usize * 2..][..2])).sum();
        assert!((inertia(&p, &targets, &labels) - direct).abs() < 1e-9);
        // The same problem shifted by an offset gives the same labels.
        let shifted = [-5.0, 1.0, 5.0, 1.0];
        let offset = [5.0, 0.0];
        let q = Points::new(&x, 2, Some(&offset));
        assert_eq!(nearest(&q, &shifted), labels);
        assert_eq!(q.squared_norms()[0], 26.0);
    }
}
