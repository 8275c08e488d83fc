//! Batch prediction over many trees, adding leaf values up in scikit-learn's order: a forest sums its trees' values
//! from zero and divides by their count (`_accumulate_prediction`, then `/= len(estimators_)`), boosting adds
//! `learning_rate × value` tree by tree to the initial score (`predict_stages`). X is compared as float32, as sklearn's
//! trees see it, unless the model predates that (then as float64).
//!
//! Speed comes from two things. Rows go in a few large chunks across threads and within a chunk tree by tree, so a
//! tree's upper levels stay in cache while thousands of rows walk it. And walks are interleaved (`walk_lanes`): one
//! root-to-leaf walk is a chain of dependent loads, each waiting on the last, so `LANES` independent walks — rows
//! through one tree, or for a few rows, one row through several trees — advance level by level together and the
//! CPU overlaps their loads. Every row still adds its trees' values in tree order, so results are bit for bit the
//! same as walking one tree and one row at a time.

use rayon::prelude::*;

use pgml_ml_core::matrix::MatrixView;

use crate::tree::{Node, Tree, LEAF};

/// Fewest rows per parallel task.
const MIN_CHUNK_ROWS: usize = 256;

/// Walks in flight at once: enough to cover a cache miss's latency, few enough to stay in registers.
const LANES: usize = 8;

/// How the trees' leaf values make a prediction.
#[derive(Clone, Copy)]
pub enum Combine<'a> {
    /// The mean of the trees' values (forests, a single tree).
    Mean,
    /// `init + Σ learning_rate · value`, in tree order (gradient boosting).
    Boosted { init: &'a [f64], learning_rate: f64 },
}

/// rows × width: tree t adds its `n_values` leaf values at column `column_of(t)`.
pub fn combine_leaf_values(
    x: &MatrixView,
    trees: &[Tree],
    width: usize,
    column_of: impl Fn(usize) -> usize + Sync,
    combine: Combine,
    float32: bool,
) -> Vec<f64> {
    let cols = x.cols();
    let mut out = vec![0.0; x.rows() * width];
    // Two tasks per thread: enough to balance, few enough that each reuses a tree's cached nodes for many rows.
    let chunk_rows = x.rows().div_ceil(2 * rayon::current_num_threads()).max(MIN_CHUNK_ROWS);
    // X is rounded to float32 at each comparison rather than copied: the copy cost more than the rounding.
    let predict_chunk = |(out, rows): (&mut [f64], &[f64])| {
        if float32 {
            accumulate(out, rows, cols, trees, width, &column_of, combine, |v| f64::from(v as f32));
        } else {
            accumulate(out, rows, cols, trees, width, &column_of, combine, |v| v);
        }
    };
    if x.rows() <= chunk_rows {
        // One chunk (single rows, small batches): handing it to the pool would only add a thread hop.
        predict_chunk((&mut out, x.data()));
    } else {
        out.par_chunks_mut(chunk_rows * width).zip(x.data().par_chunks(chunk_rows * cols)).for_each(predict_chunk);
    }
    out
}

/// Adds every tree's leaf values for `rows` into `out`; `compared` is the value a threshold sees for an X value.
#[allow(clippy::too_many_arguments)]
fn accumulate(
    out: &mut [f64],
    rows: &[f64],
    cols: usize,
    trees: &[Tree],
    width: usize,
    column_of: &impl Fn(usize) -> usize,
    combine: Combine,
    compared: impl Fn(f64) -> f64 + Copy,
) {
    let scale = match combine {
        Combine::Mean => 1.0,
        Combine::Boosted { init, learning_rate } => {
            out.chunks_exact_mut(width).for_each(|acc| acc.copy_from_slice(init));
            learning_rate
        }
    };
    let add = |acc: &mut [f64], t: usize, leaf: usize| {
        let values = trees[t].leaf_values(leaf);
        let acc = &mut acc[column_of(t)..column_of(t) + values.len()];
        match combine {
            Combine::Mean => acc.iter_mut().zip(values).for_each(|(a, v)| *a += v),
            Combine::Boosted { .. } => acc.iter_mut().zip(values).for_each(|(a, v)| *a += scale * v),
        }
    };
    let n_rows = rows.len() / cols;
    if n_rows >= LANES {
        // Lanes are rows: each tree in turn, LANES rows at a time (the last group repeats its first row as padding).
        for (t, tree) in trees.iter().enumerate() {
            for (group, acc) in rows.chunks(LANES * cols).zip(out.chunks_mut(LANES * width)) {
                let used = group.len() / cols;
                let row = |k: usize| if k < used { &group[k * cols..(k + 1) * cols] } else { &group[..cols] };
                let leaves = walk_lanes([(); LANES].map(|_| tree.nodes.as_slice()), std::array::from_fn(row), compared);
                for (acc, &leaf) in acc.chunks_exact_mut(width).zip(&leaves[..used]) {
                    add(acc, t, leaf);
                }
            }
        }
    } else {
        // Lanes are trees: row by row, LANES trees at a time, their values added in tree order.
        for (row, acc) in rows.chunks_exact(cols).zip(out.chunks_exact_mut(width)) {
            for (g, group) in trees.chunks(LANES).enumerate() {
                let nodes = std::array::from_fn(|k| group.get(k).unwrap_or(&group[0]).nodes.as_slice());
                let leaves = walk_lanes(nodes, [row; LANES], compared);
                for (k, &leaf) in leaves[..group.len()].iter().enumerate() {
                    add(acc, g * LANES + k, leaf);
                }
            }
        }
    }
    if let Combine::Mean = combine {
        let n = trees.len() as f64;
        out.iter_mut().for_each(|a| *a /= n);
    }
}

/// The leaf index each lane's row lands in, walking lane k's tree (`nodes[k]`) with row `rows[k]`. The step is
/// `Tree::leaf_with`'s (left when `value <= threshold`) written without branches, so lanes that reached their leaf
/// just stay put while the others go on.
#[inline]
fn walk_lanes(nodes: [&[Node]; LANES], rows: [&[f64]; LANES], compared: impl Fn(f64) -> f64) -> [usize; LANES] {
    let mut at = [0usize; LANES];
    loop {
        let mut moving = false;
        for k in 0..LANES {
            let node = nodes[k][at[k]];
            let internal = node.feature != LEAF;
            let feature = if internal { node.feature as usize } else { 0 };
            let right = usize::from(compared(rows[k][feature]) > node.threshold);
            at[k] = if internal { node.child as usize + right } else { at[k] };
            moving |= internal;
        }
        if !moving {
            return std::array::from_fn(|k| nodes[k][at[k]].child as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Node;

    /// xorshift64*: test data only.
    fn next(state: &mut u64) -> f64 {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A random valid tree (children after their parent, side by side) of uneven depth, so lanes finish apart.
    fn random_tree(state: &mut u64, n_features: usize, n_values: usize) -> Tree {
        let (mut nodes, mut depth, mut n_leaves) = (vec![Node::PENDING], vec![0usize], 0);
        let mut i = 0;
        while i < nodes.len() {
            if depth[i] == 12 || (depth[i] > 1 && next(state) < 0.25) {
                nodes[i] = Node::leaf(n_leaves);
                n_leaves += 1;
            } else {
                let feature = (next(state) * n_features as f64) as u32;
                // Thresholds between float32 neighbours of X's values, where float32 and float64 comparisons differ.
                nodes[i] = Node { threshold: next(state) * 2.0 - 1.0 + 1e-9, feature, child: nodes.len() as u32 };
                nodes.extend([Node::PENDING; 2]);
                depth.extend([depth[i] + 1; 2]);
            }
            i += 1;
        }
        let values = (0..n_leaves * n_values).map(|_| next(state) * 10.0 - 5.0).collect();
        Tree { nodes, values, n_values }
    }

    /// One row, one tree at a time: the order the lanes must reproduce bit for bit.
    fn one_walk_at_a_time(
        x: &MatrixView,
        trees: &[Tree],
        width: usize,
        column_of: impl Fn(usize) -> usize,
        combine: Combine,
        float32: bool,
    ) -> Vec<f64> {
        let compared = |v: f64| if float32 { f64::from(v as f32) } else { v };
        let mut out = Vec::new();
        for row in x.data().chunks_exact(x.cols()) {
            let mut acc = match combine {
                Combine::Mean => vec![0.0; width],
                Combine::Boosted { init, .. } => init.to_vec(),
            };
            for (t, tree) in trees.iter().enumerate() {
                let values = tree.leaf_values(tree.leaf_with(|f| compared(row[f])));
                for (a, v) in acc[column_of(t)..].iter_mut().zip(values) {
                    *a += match combine {
                        Combine::Mean => *v,
                        Combine::Boosted { learning_rate, .. } => learning_rate * v,
                    };
                }
            }
            if let Combine::Mean = combine {
                acc.iter_mut().for_each(|a| *a /= trees.len() as f64);
            }
            out.extend(acc);
        }
        out
    }

    #[test]
    fn interleaved_walks_equal_one_walk_at_a_time_bit_for_bit() {
        let mut state = 0x9e37_79b9_7f4a_7c15;
        let cols = 5;
        for n_trees in [1, 3, 8, 13] {
            for n_values in [1, 3] {
                let trees: Vec<Tree> = (0..n_trees).map(|_| random_tree(&mut state, cols, n_values)).collect();
                for rows in [1, 2, 7, 8, 9, 17, 700, 3000] {
                    let data: Vec<f64> = (0..rows * cols).map(|_| next(&mut state) * 2.0 - 1.0).collect();
                    let x = MatrixView::new("X", &data, rows, cols).unwrap();
                    for float32 in [true, false] {
                        let mean = combine_leaf_values(&x, &trees, n_values, |_| 0, Combine::Mean, float32);
                        assert_eq!(
                            mean,
                            one_walk_at_a_time(&x, &trees, n_values, |_| 0, Combine::Mean, float32),
                            "{n_trees} trees, {rows} rows"
                        );
                        // Boosting with one tree per score column in turn (multi-class gradient boosting).
                        let init = [0.25, -1.5];
                        let boosted = Combine::Boosted { init: &init, learning_rate: 0.1 };
                        if n_values == 1 {
                            let got = combine_leaf_values(&x, &trees, 2, |t| t % 2, boosted, float32);
                            assert_eq!(
                                got,
                                one_walk_at_a_time(&x, &trees, 2, |t| t % 2, boosted, float32),
                                "{n_trees} trees, {rows} rows"
                            );
                        }
                    }
                }
            }
        }
    }
}
