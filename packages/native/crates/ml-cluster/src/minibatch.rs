//! scikit-learn 1.2's `MiniBatchKMeans`: the best of `n_init` seedings (each on `init_size` random rows, judged by
//! inertia on a fixed validation sample), then `max_iter · n / batch_size` steps on random batches. Each step moves a
//! center to the running mean of every point it has been assigned (per-center counts are the learning rates), and
//! every `10·k` samples reassigns centers whose count fell below `reassignment_ratio` × the largest to random batch
//! points. Stops early on `max_no_improvement` steps without a better smoothed batch inertia, or on `tol`. All draws
//! come from numpy's MT19937 in sklearn's order.

use pgml_ml_core::error::Result;
use pgml_ml_core::estimator::{AlgorithmDef, FitInfo, FitInput, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Params, Value};
use pgml_ml_core::mt19937::NumpyRandomState;
use pgml_ml_core::Fit;

use crate::blocks::{inertia, nearest, squared_distance, Points};
use crate::centroids::Centroids;
use crate::init::{gather, initial_centers, Init};
use crate::kmeans::{check_cluster_count, n_init, random_state, tolerance};

pub const MINI_BATCH_KMEANS: AlgorithmDef = AlgorithmDef {
    names: &["mini_batch_kmeans"],
    task: Task::Clustering,
    estimator: "MiniBatchKMeans",
    id: 71,
    params: MINI_BATCH_KMEANS_PARAMS,
    predict_proba: false,
    multi_target: false,
    accepts_nan: false,
    fit: fit_mini_batch_kmeans,
    read: Centroids::read_boxed,
};

pub const MINI_BATCH_KMEANS_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("n_clusters", Kind::Int { min: 1 }, Default::Number(8.0)),
    ParamSpec::new("init", Kind::Choice(&["k-means++", "random"]), Default::Str("k-means++")),
    ParamSpec::new("max_iter", Kind::Int { min: 1 }, Default::Number(100.0)),
    ParamSpec::new("batch_size", Kind::Int { min: 1 }, Default::Number(1024.0)),
    ParamSpec::new("verbose", Kind::Int { min: 0 }, Default::Number(0.0)),
    // Labels of the training rows are not kept (predict recomputes them); accepted for compatibility.
    ParamSpec::new("compute_labels", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("random_state", Kind::Int { min: 0 }, Default::Null).nullable(),
    ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.0)),
    ParamSpec::new("max_no_improvement", Kind::Int { min: 0 }, Default::Number(10.0)).nullable(),
    ParamSpec::new("init_size", Kind::Int { min: 1 }, Default::Null).nullable(),
    // sklearn 1.2's default is 'warn', which means 3.
    ParamSpec::new(
        "n_init",
        Kind::FloatOrChoice { min: 1.0, exclusive: false, choices: &["auto", "warn"] },
        Default::Number(3.0),
    ),
    ParamSpec::new("reassignment_ratio", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.01)),
];

fn optional_usize(params: &Params, name: &str) -> Option<usize> {
    match params.value(name) {
        Value::Number(n) => Some(*n as usize),
        _ => None,
    }
}

/// sklearn's `_mini_batch_convergence` state: an exponentially weighted average of the per-sample batch inertia.
struct EarlyStop {
    ewa: Option<f64>,
    ewa_min: Option<f64>,
    no_improvement: usize,
}

impl EarlyStop {
    fn converged(
        &mut self,
        step: usize,
        batch_inertia: f64,
        alpha: f64,
        squared_shift: f64,
        tol: f64,
        patience: Option<usize>,
    ) -> bool {
        if step == 0 {
            return false;
        }
        let ewa = match self.ewa {
            None => batch_inertia,
            Some(prev) => prev * (1.0 - alpha) + batch_inertia * alpha,
        };
        self.ewa = Some(ewa);
        if tol > 0.0 && squared_shift <= tol {
            return true;
        }
        if self.ewa_min.is_none_or(|m| ewa < m) {
            self.no_improvement = 0;
            self.ewa_min = Some(ewa);
        } else {
            self.no_improvement += 1;
        }
        patience.is_some_and(|p| self.no_improvement >= p)
    }
}

/// One step on `batch` (rows × d): assign, move centers to the running means, optionally reassign starved centers.
/// Returns the batch inertia.
fn step(
    batch: &[f64],
    d: usize,
    centers: &mut [f64],
    counts: &mut [f64],
    reassign: Option<f64>,
    rng: &mut NumpyRandomState,
) -> f64 {
    let points = Points::new(batch, d, None);
    let labels = nearest(&points, centers);
    let batch_inertia = inertia(&points, centers, &labels);
    let k = counts.len();
    // update_center_dense: undo the previous count scaling, add the new members in row order, rescale.
    let mut totals: Vec<f64> =
        centers.chunks_exact(d).zip(counts.iter()).flat_map(|(c, n)| c.iter().map(move |v| v * n)).collect();
    let mut added = vec![0.0; k];
    for (row, &l) in batch.chunks_exact(d).zip(&labels) {
        let l = l as usize;
        added[l] += 1.0;
        totals[l * d..][..d].iter_mut().zip(row).for_each(|(t, v)| *t += v);
    }
    for j in 0..k {
        if added[j] > 0.0 {
            counts[j] += added[j];
            let scale = 1.0 / counts[j];
            centers[j * d..][..d].iter_mut().zip(&totals[j * d..][..d]).for_each(|(c, t)| *c = t * scale);
        }
    }
    if let Some(ratio) = reassign {
        reassign_starved(batch, d, centers, counts, ratio, rng);
    }
    batch_inertia
}

/// Centers whose count is below `ratio` × the largest move to random batch points (at most half the batch), and
/// their counts are raised to the smallest remaining count so they are not reassigned again at once.
fn reassign_starved(
    batch: &[f64],
    d: usize,
    centers: &mut [f64],
    counts: &mut [f64],
    ratio: f64,
    rng: &mut NumpyRandomState,
) {
    let batch_rows = batch.len() / d;
    let max = counts.iter().copied().fold(f64::MIN, f64::max);
    let mut starved: Vec<bool> = counts.iter().map(|c| *c < ratio * max).collect();
    let limit = batch_rows / 2;
    if starved.iter().filter(|s| **s).count() > limit {
        let mut order: Vec<usize> = (0..counts.len()).collect();
        order.sort_by(|&a, &b| counts[a].total_cmp(&counts[b]));
        order[limit..].iter().for_each(|&j| starved[j] = false);
    }
    let targets: Vec<usize> = (0..counts.len()).filter(|&j| starved[j]).collect();
    if targets.is_empty() {
        return;
    }
    let picks = rng.permutation(batch_rows);
    for (&j, &row) in targets.iter().zip(&picks) {
        centers[j * d..][..d].copy_from_slice(&batch[row * d..][..d]);
    }
    let floor = (0..counts.len()).filter(|&j| !starved[j]).map(|j| counts[j]).fold(f64::INFINITY, f64::min);
    targets.iter().for_each(|&j| counts[j] = floor);
}

fn fit_mini_batch_kmeans(input: &FitInput) -> Result<Fit> {
    let p = input.params;
    let (x, k, d) = (input.x, p.usize("n_clusters"), input.x.cols());
    check_cluster_count(x, k)?;
    let n = x.rows();
    let init = Init::parse(p.str("init"));
    let runs = n_init(p, init, 3)?;
    let batch_size = p.usize("batch_size").min(n);
    let init_size = match optional_usize(p, "init_size") {
        Some(size) if size >= k => size,
        None if 3 * batch_size >= k => 3 * batch_size,
        _ => 3 * k,
    }
    .min(n);
    let tol = tolerance(x, &x.column_means(), p.f64("tol"));
    let mut rng = random_state(p)?;
    let all = Points::new(x.data(), d, None);
    let norms = all.squared_norms();
    let validation_rows: Vec<usize> = (0..init_size).map(|_| rng.randint(n)).collect();
    let validation = gather(&all, &validation_rows);
    let mut best: Option<(Vec<f64>, f64)> = None;
    for _ in 0..runs {
        input.check_cancelled()?;
        let centers = if init_size < n {
            let rows: Vec<usize> = (0..init_size).map(|_| rng.randint(n)).collect();
            let subset = gather(&all, &rows);
            let subset_norms: Vec<f64> = rows.iter().map(|&r| norms[r]).collect();
            initial_centers(init, &Points::new(&subset, d, None), &subset_norms, k, &mut rng)
        } else {
            initial_centers(init, &all, &norms, k, &mut rng)
        };
        let points = Points::new(&validation, d, None);
        let score = inertia(&points, &centers, &nearest(&points, &centers));
        if best.as_ref().is_none_or(|(_, b)| score < *b) {
            best = Some((centers, score));
        }
    }
    let Some((mut centers, _)) = best else { unreachable!("n_init >= 1 is enforced by the parameter spec") };
    let mut counts = vec![0.0; k];
    let mut stop = EarlyStop { ewa: None, ewa_min: None, no_improvement: 0 };
    let alpha = (batch_size as f64 * 2.0 / (n as f64 + 1.0)).min(1.0);
    let ratio = p.f64("reassignment_ratio");
    let patience = optional_usize(p, "max_no_improvement");
    let n_steps = p.usize("max_iter") * n / batch_size;
    let mut since_reassign = 0;
    let mut steps = 0;
    for i in 0..n_steps {
        if i % 64 == 0 {
            input.report(i, n_steps, "steps");
            input.check_cancelled()?;
        }
        steps = i + 1;
        let rows: Vec<usize> = (0..batch_size).map(|_| rng.randint(n)).collect();
        let batch = gather(&all, &rows);
        since_reassign += batch_size;
        let reassign = counts.contains(&0.0) || since_reassign >= 10 * k;
        if reassign {
            since_reassign = 0;
        }
        let before = if tol > 0.0 { Some(centers.clone()) } else { None };
        let batch_inertia =
            step(&batch, d, &mut centers, &mut counts, (reassign && ratio > 0.0).then_some(ratio), &mut rng);
        let shift = before.map_or(0.0, |b| squared_distance(&b, &centers));
        if stop.converged(i, batch_inertia / batch_size as f64, alpha, shift, tol, patience) {
            break;
        }
    }
    let labels = nearest(&all, &centers);
    let total_inertia = inertia(&all, &centers, &labels);
    let info = FitInfo { n_iter: Some((steps * batch_size).div_ceil(n)), converged: steps < n_steps };
    Ok((Box::new(Centroids { n_features: d, centers, inertia: total_inertia }), info))
}
