//! Batch prediction over many trees, adding leaf values up in scikit-learn's order: a forest sums its trees' values
//! from zero and divides by their count (`_accumulate_prediction`, then `/= len(estimators_)`), boosting adds
//! `learning_rate × value` tree by tree to the initial score (`predict_stages`). X is compared as float32, as sklearn's
//! trees see it, unless the model predates that (then as float64). Rows go in a few large chunks across threads and
//! within a chunk tree by tree, so a tree's upper levels stay in cache while thousands of rows walk it.

use rayon::prelude::*;

use pgml_ml_core::matrix::MatrixView;

use crate::tree::Tree;

/// Fewest rows per parallel task.
const MIN_CHUNK_ROWS: usize = 256;

/// How the trees' leaf values make a prediction.
#[derive(Clone, Copy)]
pub enum Combine<'a> {
    /// The mean of the trees' values (forests, a single tree).
    Mean,
    /// `init + Σ learning_rate · value`, in tree order (gradient boosting).
    Boosted { init: &'a [f64], learning_rate: f64 },
}

/// rows × width: tree t adds its `n_values` leaf values at column `column_of(t)`.
pub fn combine_leaf_values(x: &MatrixView, trees: &[Tree], width: usize, column_of: impl Fn(usize) -> usize + Sync, combine: Combine, float32: bool) -> Vec<f64> {
    let cols = x.cols();
    let mut out = vec![0.0; x.rows() * width];
    // Two tasks per thread: enough to balance, few enough that each reuses a tree's cached nodes for many rows.
    let chunk_rows = x.rows().div_ceil(2 * rayon::current_num_threads()).max(MIN_CHUNK_ROWS);
    out.par_chunks_mut(chunk_rows * width).zip(x.data().par_chunks(chunk_rows * cols)).for_each(|(out, rows)| {
        if float32 {
            let rows: Vec<f32> = rows.iter().map(|&v| v as f32).collect();
            accumulate(out, &rows, cols, trees, width, &column_of, combine);
        } else {
            accumulate(out, rows, cols, trees, width, &column_of, combine);
        }
    });
    out
}

fn accumulate<T: Copy + Into<f64>>(out: &mut [f64], rows: &[T], cols: usize, trees: &[Tree], width: usize, column_of: &impl Fn(usize) -> usize, combine: Combine) {
    let scale = match combine {
        Combine::Mean => 1.0,
        Combine::Boosted { init, learning_rate } => {
            out.chunks_exact_mut(width).for_each(|acc| acc.copy_from_slice(init));
            learning_rate
        }
    };
    for (t, tree) in trees.iter().enumerate() {
        let column = column_of(t);
        for (acc, row) in out.chunks_exact_mut(width).zip(rows.chunks_exact(cols)) {
            let values = tree.leaf_values(tree.leaf(row));
            let acc = &mut acc[column..column + values.len()];
            match combine {
                Combine::Mean => acc.iter_mut().zip(values).for_each(|(a, v)| *a += v),
                Combine::Boosted { .. } => acc.iter_mut().zip(values).for_each(|(a, v)| *a += scale * v),
            }
        }
    }
    if let Combine::Mean = combine {
        let n = trees.len() as f64;
        out.iter_mut().for_each(|a| *a /= n);
    }
}
