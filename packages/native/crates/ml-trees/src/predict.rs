//! Batch prediction over many trees: rows in chunks across threads, and within a chunk tree by tree, so one tree's
//! nodes stay in cache while a chunk of rows walks it.

use rayon::prelude::*;

use pgml_ml_core::matrix::MatrixView;

use crate::tree::Tree;

/// Rows per parallel task: small enough to spread 2+ cores, large enough to reuse each tree's nodes.
const CHUNK_ROWS: usize = 256;

/// rows × width: `base + scale · Σ_t leaf values of tree t`, tree t adding its `n_values` values at column
/// `column_of(t)`.
pub fn sum_leaf_values(x: &MatrixView, trees: &[Tree], width: usize, column_of: impl Fn(usize) -> usize + Sync, base: &[f64], scale: f64) -> Vec<f64> {
    let cols = x.cols();
    let mut out = vec![0.0; x.rows() * width];
    out.par_chunks_mut(CHUNK_ROWS * width).zip(x.data().par_chunks(CHUNK_ROWS * cols)).for_each(|(out, rows)| {
        for (t, tree) in trees.iter().enumerate() {
            let column = column_of(t);
            for (acc, row) in out.chunks_exact_mut(width).zip(rows.chunks_exact(cols)) {
                let values = tree.leaf_values(tree.leaf(row));
                acc[column..column + values.len()].iter_mut().zip(values).for_each(|(a, v)| *a += v);
            }
        }
        for acc in out.chunks_exact_mut(width) {
            acc.iter_mut().zip(base).for_each(|(a, b)| *a = b + scale * *a);
        }
    });
    out
}

/// Index of the first maximum (numpy's argmax).
pub fn argmax(row: &[f64]) -> usize {
    row.iter().enumerate().fold(0, |best, (i, v)| if *v > row[best] { i } else { best })
}
