//! scikit-learn 1.2's `SVC` (libsvm C-SVC): one binary SMO problem per pair of classes (trained in parallel —
//! each is deterministic, so the result does not depend on the schedule), and with `probability=True` Platt
//! scaling fitted on libsvm's internal 5-fold cross-validated decision values, with sklearn's random folds.

use rayon::prelude::*;

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, Fit, FitInfo, FitInput, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Params};
use pgml_ml_core::labels::encode_labels;
use pgml_ml_core::mt19937::NumpyRandomState;

use crate::platt::sigmoid_train;
use crate::solver::Solution;
use crate::svc_model::{pairs, SvcModel};
use crate::train::Trainer;

pub const SVC: AlgorithmDef = AlgorithmDef {
    names: &["svm"],
    task: Task::Classification,
    estimator: "SVC",
    id: 50,
    params: SVC_PARAMS,
    predict_proba: true,
    multi_target: false,
    accepts_nan: false,
    fit,
    read: |r| Ok(Box::new(SvcModel::read(r)?)),
};

pub const KERNELS: &[&str] = &["rbf", "linear", "poly", "sigmoid"];

pub const SVC_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("C", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1.0)),
    ParamSpec::new("kernel", Kind::Choice(KERNELS), Default::Str("rbf")),
    ParamSpec::new("degree", Kind::Int { min: 0 }, Default::Number(3.0)),
    ParamSpec::new(
        "gamma",
        Kind::FloatOrChoice { min: 0.0, exclusive: false, choices: &["scale", "auto"] },
        Default::Str("scale"),
    ),
    ParamSpec::new("coef0", Kind::Float { min: f64::NEG_INFINITY, exclusive: false }, Default::Number(0.0)),
    ParamSpec::new("shrinking", Kind::Bool, Default::Bool(true)),
    ParamSpec::new("probability", Kind::Bool, Default::Bool(false)),
    ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1e-3)),
    ParamSpec::new("cache_size", Kind::Float { min: 0.0, exclusive: true }, Default::Number(200.0)),
    ParamSpec::new("class_weight", Kind::Choice(&["balanced"]), Default::Null).nullable(),
    ParamSpec::new("verbose", Kind::Bool, Default::Bool(false)),
    ParamSpec::new("max_iter", Kind::Int { min: -1 }, Default::Number(-1.0)),
    ParamSpec::new("decision_function_shape", Kind::Choice(&["ovr", "ovo"]), Default::Str("ovr")),
    ParamSpec::new("break_ties", Kind::Bool, Default::Bool(false)),
    ParamSpec::new("random_state", Kind::Int { min: 0 }, Default::Null).nullable(),
];

/// libsvm's folds for Platt scaling.
const PROBABILITY_FOLDS: usize = 5;

/// Per-class C: `C`, times n_samples / (n_classes · count) under `class_weight="balanced"`.
pub fn class_costs(params: &Params, counts: &[usize]) -> Vec<f64> {
    let c = params.f64("C");
    let n: usize = counts.iter().sum();
    let balanced = matches!(params.value("class_weight"), pgml_ml_core::hyperparams::Value::Str(_));
    counts.iter().map(|&count| if balanced { c * n as f64 / (counts.len() * count) as f64 } else { c }).collect()
}

/// `random_state` as the u32 numpy accepts.
pub fn random_state(params: &Params) -> Result<Option<u32>> {
    match params.value("random_state") {
        pgml_ml_core::hyperparams::Value::Number(n) => {
            u32::try_from(*n as u64).map(Some).map_err(|_| Error::hyperparameter("random_state must be below 2**32"))
        }
        _ => Ok(None),
    }
}

/// The seed sklearn hands libsvm/liblinear for `random_state`: `RandomState(random_state).randint(2**31 - 1)`.
/// `None` is taken as 0 so fits stay reproducible.
pub fn sklearn_seed(random_state: Option<u32>) -> u32 {
    NumpyRandomState::new(random_state.unwrap_or(0)).randint(0x7fff_ffff) as u32
}

fn fit(input: &FitInput) -> Result<Fit> {
    let params = input.params;
    if params.bool("break_ties") {
        return Err(Error::hyperparameter(
            "break_ties=true is not supported by the native SVC; use the python runtime",
        ));
    }
    let ticking = input.ticking("iterations", 0, crate::solver::CANCEL_POLL);
    let trainer = Trainer::new(input.x, params, &ticking)?;
    let (classes, positions) = encode_labels(input.y()?.data(), input.n_classes)?;
    let k = classes.len();
    // libsvm groups rows by class, keeping their order within a class.
    let mut grouped: Vec<Vec<usize>> = vec![Vec::new(); k];
    positions.iter().enumerate().for_each(|(row, &c)| grouped[c].push(row));
    let costs = class_costs(params, &grouped.iter().map(Vec::len).collect::<Vec<_>>());
    let seed = params.bool("probability").then(|| random_state(params).map(sklearn_seed)).transpose()?;

    let all_pairs: Vec<(usize, usize)> = pairs(k).collect();
    let fits: Vec<(Solution, Option<(f64, f64)>)> = all_pairs
        .par_iter()
        .map(|&(i, j)| {
            let platt = seed
                .map(|s| binary_probability(&trainer, &grouped[i], &grouped[j], costs[i], costs[j], s))
                .transpose()?;
            Ok((trainer.c_svc(&grouped[i], &grouped[j], costs[i], costs[j])?, platt))
        })
        .collect::<Result<_>>()?;

    // Support vectors: rows with a nonzero coefficient in any pair, in grouped order.
    let start: Vec<usize> = grouped.iter().scan(0, |acc, g| Some(std::mem::replace(acc, *acc + g.len()))).collect();
    let mut nonzero = vec![false; input.x.rows()];
    for ((i, j), (solution, _)) in all_pairs.iter().zip(&fits) {
        let (ci, cj) = (grouped[*i].len(), grouped[*j].len());
        (0..ci).filter(|&t| solution.alpha[t] != 0.0).for_each(|t| nonzero[start[*i] + t] = true);
        (0..cj).filter(|&t| solution.alpha[ci + t] != 0.0).for_each(|t| nonzero[start[*j] + t] = true);
    }
    let n_sv: Vec<usize> = (0..k).map(|c| (0..grouped[c].len()).filter(|&t| nonzero[start[c] + t]).count()).collect();
    let total: usize = n_sv.iter().sum();
    let nz_start: Vec<usize> = n_sv.iter().scan(0, |acc, &n| Some(std::mem::replace(acc, *acc + n))).collect();
    let mut support_vectors = Vec::with_capacity(total * trainer.p);
    for c in 0..k {
        for (t, &row) in grouped[c].iter().enumerate() {
            if nonzero[start[c] + t] {
                support_vectors.extend_from_slice(trainer.row(row));
            }
        }
    }
    let mut dual_coef = vec![0.0; (k - 1) * total];
    for ((i, j), (solution, _)) in all_pairs.iter().zip(&fits) {
        let (i, j) = (*i, *j);
        let ci = grouped[i].len();
        let mut q = nz_start[i];
        for t in (0..ci).filter(|&t| nonzero[start[i] + t]) {
            dual_coef[(j - 1) * total + q] = solution.alpha[t];
            q += 1;
        }
        q = nz_start[j];
        for t in (0..grouped[j].len()).filter(|&t| nonzero[start[j] + t]) {
            dual_coef[i * total + q] = solution.alpha[ci + t];
            q += 1;
        }
    }
    let rho = fits.iter().map(|(s, _)| s.rho).collect();
    let probability = seed.map(|_| fits.iter().map(|(_, platt)| platt.unwrap_or((0.0, 0.0))).unzip());
    let info = FitInfo {
        n_iter: fits.iter().map(|(s, _)| s.n_iter).max(),
        converged: fits.iter().all(|(s, _)| !s.hit_max_iter),
    };
    let model = SvcModel::new(
        input.n_classes,
        classes,
        trainer.kernel,
        trainer.p,
        n_sv,
        support_vectors,
        dual_coef,
        rho,
        probability,
    );
    Ok((Box::new(model), info))
}

/// libsvm's `svm_binary_svc_probability`: decision values of 5 random folds, each predicted by an SVC trained on
/// the other four, then Platt's sigmoid fitted to them. `positive` rows are labelled +1 (cost `c_pos`).
fn binary_probability(
    trainer: &Trainer,
    positive: &[usize],
    negative: &[usize],
    c_pos: f64,
    c_neg: f64,
    seed: u32,
) -> Result<(f64, f64)> {
    let rows: Vec<usize> = positive.iter().chain(negative).copied().collect();
    let is_positive: Vec<bool> = (0..rows.len()).map(|k| k < positive.len()).collect();
    let l = rows.len();
    // Every libsvm train call re-seeds sklearn's generator, so each pair shuffles from a fresh seed.
    let mut rng = NumpyRandomState::new(seed);
    let mut perm: Vec<usize> = (0..l).collect();
    for i in 0..l {
        let j = i + rng.bounded((l - i) as u32) as usize;
        perm.swap(i, j);
    }
    let mut dec = vec![0.0; l];
    for fold in 0..PROBABILITY_FOLDS {
        let (begin, end) = (fold * l / PROBABILITY_FOLDS, (fold + 1) * l / PROBABILITY_FOLDS);
        let train: Vec<usize> = perm[..begin].iter().chain(&perm[end..]).copied().collect();
        let (pos, neg): (Vec<usize>, Vec<usize>) = train.iter().partition(|&&t| is_positive[t]);
        let constant = match (pos.is_empty(), neg.is_empty()) {
            (true, true) => Some(0.0),
            (false, true) => Some(1.0),
            (true, false) => Some(-1.0),
            (false, false) => None,
        };
        if let Some(value) = constant {
            perm[begin..end].iter().for_each(|&t| dec[t] = value);
            continue;
        }
        // libsvm retrains through svm_train, which sorts labels: the −1 rows come first and act as its "+1" class
        // (with the −1 cost); the decision value is flipped back afterwards.
        let sub_neg: Vec<usize> = neg.iter().map(|&t| rows[t]).collect();
        let sub_pos: Vec<usize> = pos.iter().map(|&t| rows[t]).collect();
        let solution = trainer.c_svc(&sub_neg, &sub_pos, c_neg, c_pos)?;
        let svs: Vec<(usize, f64)> = sub_neg
            .iter()
            .chain(&sub_pos)
            .zip(&solution.alpha)
            .filter(|(_, &a)| a != 0.0)
            .map(|(&r, &a)| (r, a))
            .collect();
        for &t in &perm[begin..end] {
            let x = trainer.row(rows[t]);
            let sum: f64 = svs.iter().map(|&(r, a)| a * trainer.kernel.between(x, trainer.row(r))).sum();
            dec[t] = -(sum - solution.rho);
        }
    }
    Ok(sigmoid_train(&dec, &is_positive))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sklearn_seed_matches_numpy() {
        // numpy: [np.random.RandomState(s).randint(2**31 - 1) for s in (0, 42)]
        assert_eq!(sklearn_seed(Some(0)), 209652396);
        assert_eq!(sklearn_seed(Some(42)), 1608637542);
    }
}
