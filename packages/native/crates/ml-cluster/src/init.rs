//! Initial centers, drawing exactly what sklearn 1.2 draws from the same `RandomState`: greedy k-means++
//! (`_kmeans_plusplus`: 2 + ⌊ln k⌋ candidates per center sampled ∝ D², keep the one that lowers the potential most)
//! and 'random' (`permutation(n)[:k]`). Same seed and same data → the same initial rows as scikit-learn.

use pgml_ml_core::mt19937::NumpyRandomState;

use crate::blocks::{fold_blocks, Points};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    KMeansPlusPlus,
    Random,
}

impl Init {
    pub fn parse(name: &str) -> Init {
        if name == "random" {
            Init::Random
        } else {
            Init::KMeansPlusPlus
        }
    }
}

/// k × d initial centers in the points' (offset) coordinates. `x_norms` are the points' squared norms.
pub fn initial_centers(init: Init, points: &Points, x_norms: &[f64], k: usize, rng: &mut NumpyRandomState) -> Vec<f64> {
    let rows: Vec<usize> = match init {
        Init::KMeansPlusPlus => kmeans_plusplus(points, x_norms, k, rng),
        Init::Random => rng.permutation(points.rows())[..k].to_vec(),
    };
    gather(points, &rows)
}

/// The given rows, offset subtracted.
pub fn gather(points: &Points, rows: &[usize]) -> Vec<f64> {
    let d = points.d;
    rows.iter()
        .flat_map(|&i| {
            let row = &points.x[i * d..(i + 1) * d];
            row.iter().enumerate().map(move |(j, v)| v - points.offset.map_or(0.0, |o| o[j]))
        })
        .collect()
}

/// Row indices of the k-means++ seeds.
fn kmeans_plusplus(points: &Points, x_norms: &[f64], k: usize, rng: &mut NumpyRandomState) -> Vec<usize> {
    let n = points.rows();
    let n_local_trials = 2 + (k as f64).ln() as usize;
    let first = rng.randint(n);
    let mut chosen = vec![first];
    let mut closest = vec![0.0; n];
    distances_to(points, x_norms, &gather(points, &[first]), &mut closest, |_, dist, out| *out = dist[0]);
    let mut potential: f64 = closest.iter().sum();
    for _ in 1..k {
        let targets: Vec<f64> = (0..n_local_trials).map(|_| rng.random_sample() * potential).collect();
        let candidates = search_cumulative(&closest, &targets);
        // Potential after adding each candidate: Σ min(closest, d(x, candidate)), reduced in block order.
        let mut unused = vec![(); n];
        let partials = fold_blocks(
            points,
            &gather(points, &candidates),
            &mut unused,
            || vec![0.0; candidates.len()],
            |acc, chunk, _| {
                let t = candidates.len();
                for (i, row) in chunk.partial.chunks_exact(t).enumerate() {
                    let r = chunk.first_row + i;
                    for (a, p) in acc.iter_mut().zip(row) {
                        *a += closest[r].min((p + x_norms[r]).max(0.0));
                    }
                }
            },
        );
        let pots: Vec<f64> = (0..candidates.len()).map(|j| partials.iter().map(|p| p[j]).sum()).collect();
        let best = (1..pots.len()).fold(0, |b, j| if pots[j] < pots[b] { j } else { b });
        potential = pots[best];
        distances_to(points, x_norms, &gather(points, &[candidates[best]]), &mut closest, |_, dist, out| {
            *out = out.min(dist[0])
        });
        chosen.push(candidates[best]);
    }
    chosen
}

/// Calls `update(row, squared distances to each target, &mut out[row])` for every row; distances are sklearn's
/// `_euclidean_distances(squared=True)`: ‖x‖² − 2x·c + ‖c‖², clipped at 0.
fn distances_to<F>(points: &Points, x_norms: &[f64], targets: &[f64], out: &mut [f64], update: F)
where
    F: Fn(usize, &[f64], &mut f64) + Sync,
{
    let t = targets.len() / points.d;
    fold_blocks(
        points,
        targets,
        out,
        || Vec::with_capacity(t),
        |dist, chunk, out| {
            for (i, (row, o)) in chunk.partial.chunks_exact(t).zip(out.iter_mut()).enumerate() {
                let r = chunk.first_row + i;
                dist.clear();
                dist.extend(row.iter().map(|p| (p + x_norms[r]).max(0.0)));
                update(r, dist, o);
            }
        },
    );
}

/// `np.searchsorted(np.cumsum(weights), targets)` clipped to the last index: for each target the first index whose
/// running sum reaches it.
fn search_cumulative(weights: &[f64], targets: &[f64]) -> Vec<usize> {
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut sum = 0.0;
    for w in weights {
        sum += w;
        cumulative.push(sum);
    }
    targets.iter().map(|t| cumulative.partition_point(|c| c < t).min(weights.len() - 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cumulative_search_is_numpy_searchsorted_left() {
        assert_eq!(search_cumulative(&[1.0, 0.0, 2.0, 1.0], &[0.5, 1.0, 1.5, 3.0, 4.0, 9.0]), vec![0, 0, 2, 2, 3, 3]);
    }

    #[test]
    fn plusplus_spreads_seeds_over_separated_groups() {
        // Four tight groups; k-means++ must seed one center in each.
        let x: Vec<f64> = (0..400).flat_map(|i| [(i % 4) as f64 * 100.0 + (i % 7) as f64 * 0.01, 0.0]).collect();
        let p = Points::new(&x, 2, None);
        let norms = p.squared_norms();
        let centers = initial_centers(Init::KMeansPlusPlus, &p, &norms, 4, &mut NumpyRandomState::new(0));
        let mut groups: Vec<i64> = centers.chunks(2).map(|c| (c[0] / 100.0).round() as i64).collect();
        groups.sort_unstable();
        assert_eq!(groups, vec![0, 1, 2, 3]);
        let random = initial_centers(Init::Random, &p, &norms, 3, &mut NumpyRandomState::new(0));
        assert_eq!(random.len(), 6);
    }
}
