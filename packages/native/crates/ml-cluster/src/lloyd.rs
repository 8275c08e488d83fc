//! One k-means run from given centers: sklearn's `_kmeans_single_lloyd` step for step — assign, move each center to
//! its mean, relocate empty clusters to the farthest points, stop on unchanged labels ("strict convergence") or when
//! Σ‖center shift‖² ≤ tol; a final assignment keeps labels consistent with the returned centers.
//! Elkan's algorithm is an exact acceleration of the same iteration (same labels and centers in exact arithmetic), so
//! 'elkan' runs this loop too.

use pgml_ml_core::error::Result;
use pgml_ml_core::FitInput;

use crate::blocks::{argmin_rows, fold_blocks, inertia, squared_distance, Points};

pub struct Run {
    pub centers: Vec<f64>,
    pub labels: Vec<u32>,
    pub inertia: f64,
    pub n_iter: usize,
}

/// Per-block sums for the center update: Σ rows per cluster (k × d) and the row count per cluster.
struct Sums {
    totals: Vec<f64>,
    counts: Vec<f64>,
}

/// Labels every row by its nearest center and returns the per-cluster sums and counts.
fn assign_and_sum(points: &Points, centers: &[f64], labels: &mut [u32]) -> Sums {
    let (d, k) = (points.d, centers.len() / points.d);
    let blocks = fold_blocks(
        points,
        centers,
        labels,
        || Sums { totals: vec![0.0; k * d], counts: vec![0.0; k] },
        |sums, chunk, out| {
            argmin_rows(chunk.partial, k, out);
            for (row, &l) in chunk.rows.chunks_exact(d).zip(out.iter()) {
                let l = l as usize;
                sums.counts[l] += 1.0;
                sums.totals[l * d..][..d].iter_mut().zip(row).for_each(|(t, v)| *t += v);
            }
        },
    );
    let mut total = Sums { totals: vec![0.0; k * d], counts: vec![0.0; k] };
    for b in &blocks {
        total.totals.iter_mut().zip(&b.totals).for_each(|(t, v)| *t += v);
        total.counts.iter_mut().zip(&b.counts).for_each(|(t, v)| *t += v);
    }
    total
}

/// sklearn's `_relocate_empty_clusters_dense`: each empty cluster takes the point farthest from its (old) center,
/// which leaves that point's cluster.
fn relocate_empty_clusters(points: &Points, old_centers: &[f64], labels: &[u32], sums: &mut Sums) {
    let d = points.d;
    let empty: Vec<usize> = (0..sums.counts.len()).filter(|&j| sums.counts[j] == 0.0).collect();
    if empty.is_empty() {
        return;
    }
    let mut unused = vec![(); points.rows()];
    let mut far: Vec<(f64, usize)> = fold_blocks(points, &old_centers[..d], &mut unused, Vec::new, |acc, chunk, _| {
        for (i, row) in chunk.rows.chunks_exact(d).enumerate() {
            let r = chunk.first_row + i;
            acc.push((squared_distance(row, &old_centers[labels[r] as usize * d..][..d]), r));
        }
    })
    .into_iter()
    .flatten()
    .collect();
    far.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (&new_cluster, &(_, r)) in empty.iter().zip(&far) {
        let row: Vec<f64> = crate::init::gather(points, &[r]);
        let old_cluster = labels[r] as usize;
        for (j, v) in row.iter().enumerate() {
            sums.totals[old_cluster * d + j] -= v;
            sums.totals[new_cluster * d + j] = *v;
        }
        sums.counts[new_cluster] = 1.0;
        sums.counts[old_cluster] -= 1.0;
    }
}

pub fn run(input: &FitInput, points: &Points, initial: Vec<f64>, max_iter: usize, tol: f64) -> Result<Run> {
    let d = points.d;
    let n = points.rows();
    let mut centers = initial;
    let mut labels = vec![u32::MAX; n];
    let mut labels_old = labels.clone();
    let mut strict_convergence = false;
    let mut n_iter = 0;
    for iteration in 0..max_iter {
        input.report(iteration, 0, "iterations");
        input.check_cancelled()?;
        n_iter += 1;
        let mut sums = assign_and_sum(points, &centers, &mut labels);
        relocate_empty_clusters(points, &centers, &labels, &mut sums);
        let mut shift_total = 0.0;
        for (j, center) in centers.chunks_exact_mut(d).enumerate() {
            let count = sums.counts[j];
            let new: Vec<f64> =
                sums.totals[j * d..][..d].iter().map(|t| if count > 0.0 { t / count } else { *t }).collect();
            shift_total += squared_distance(center, &new);
            center.copy_from_slice(&new);
        }
        if labels == labels_old {
            strict_convergence = true;
            break;
        }
        if shift_total <= tol {
            break;
        }
        labels_old.copy_from_slice(&labels);
    }
    if !strict_convergence {
        let k = centers.len() / d;
        fold_blocks(points, &centers, &mut labels, || (), |_, chunk, out| argmin_rows(chunk.partial, k, out));
    }
    let inertia = inertia(points, &centers, &labels);
    Ok(Run { centers, labels, inertia, n_iter })
}

/// sklearn's `_is_same_clustering`: the two labelings are equal up to a permutation of cluster ids.
pub fn same_clustering(a: &[u32], b: &[u32], k: usize) -> bool {
    let mut mapping = vec![u32::MAX; k];
    for (&x, &y) in a.iter().zip(b) {
        let m = &mut mapping[x as usize];
        if *m == u32::MAX {
            *m = y;
        } else if *m != y {
            return false;
        }
    }
    true
}
