//! Batch prediction over many trees: rows in a few large chunks across threads, and within a chunk tree by tree, so
//! a tree's upper levels stay in cache while thousands of rows walk it (small chunks switched trees so often that
//! deep forests predicted 2× slower than sklearn's tree-by-tree loop).

use rayon::prelude::*;

use pgml_ml_core::matrix::MatrixView;

use crate::tree::Tree;

/// Fewest rows per parallel task.
const MIN_CHUNK_ROWS: usize = 256;

/// rows × width: `base + scale · Σ_t leaf values of tree t`, tree t adding its `n_values` values at column
/// `column_of(t)`.
pub fn sum_leaf_values(x: &MatrixView, trees: &[Tree], width: usize, column_of: impl Fn(usize) -> usize + Sync, base: &[f64], scale: f64) -> Vec<f64> {
    let cols = x.cols();
    let mut out = vec![0.0; x.rows() * width];
    // Two tasks per thread: enough to balance, few enough that each reuses a tree's cached nodes for many rows.
    let chunk_rows = x.rows().div_ceil(2 * rayon::current_num_threads()).max(MIN_CHUNK_ROWS);
    out.par_chunks_mut(chunk_rows * width).zip(x.data().par_chunks(chunk_rows * cols)).for_each(|(out, rows)| {
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
