//! `fit` for the four estimators, replaying python-xgboost's `XGBModel.fit` / `XGBClassifier.fit` against the same
//! library: DMatrix from X (float64, copied and converted by XGBoost), labels, the wrapper's booster parameters,
//! then `train(params, dtrain, num_boost_round)`. Several regression targets get one booster each, as the python
//! runtime's MultiOutputRegressor fits them (the sklearn wrappers do not declare multi-output support): one joint
//! booster draws its row and column samples for all targets from one stream and so grows other trees.

use pgml_ml_core::labels::encode_labels;
use pgml_ml_core::{Error, Fit, FitInfo, FitInput, ParamSpec, Result, Task};

use crate::handle::{Booster, DMatrix};
use crate::model::{Classes, XgbModel};
use crate::params::{booster_params, dmatrix_threads, rounds, trees_per_round};

/// Which sklearn estimator a row reproduces.
#[derive(Clone, Copy)]
pub struct Estimator {
    pub task: Task,
    pub params: &'static [ParamSpec],
    /// XGBRF*: one round of `n_estimators` parallel trees.
    pub forest: bool,
}

pub fn fit(input: &FitInput, estimator: Estimator) -> Result<Fit> {
    let y = input.y()?;
    if let Some(i) = y.data().iter().position(|v| !v.is_finite()) {
        return Err(Error::data(format!("y contains {} at row {}", y.data()[i], i / y.cols())));
    }
    // Classifiers train on the positions of the classes present (python's XGBClassifier requires exactly
    // 0..k-1; with every class present the two coincide).
    let (labels, classes) = match estimator.task {
        Task::Classification => {
            let (trained, positions) = encode_labels(y.data(), input.n_classes)?;
            let positions: Vec<f64> = positions.into_iter().map(|p| p as f64).collect();
            (positions, Some(Classes { n_classes: input.n_classes, trained }))
        }
        _ => (y.data().to_vec(), None),
    };
    let n_trained = classes.as_ref().map_or(0, |c| c.trained.len());
    let booster_params = booster_params(estimator.params, input.params, estimator.forest, n_trained)?;
    let rounds = rounds(input.params, estimator.forest);

    let t = y.cols();
    // One count of rounds across the targets' boosters.
    let round_done = input.ticking("rounds", rounds * t, 1);
    let train = |labels: &[f64]| -> Result<Vec<u8>> {
        let mut dtrain = DMatrix::dense(input.x, dmatrix_threads(input.params))?;
        dtrain.set_labels(labels, y.rows(), 1)?;
        let booster = Booster::train(&dtrain, &booster_params, rounds, &round_done)?;
        // What python's training callbacks record after any `train()` without early stopping ("compatibility with
        // versions older than 1.4"); stored in the model, so setting them keeps our UBJSON byte-identical to python's.
        booster.set_attr("best_iteration", &(rounds - 1).to_string())?;
        booster
            .set_attr("best_ntree_limit", &(rounds * trees_per_round(input.params, estimator.forest)).to_string())?;
        booster.save_ubj()
        // The training booster and matrix are freed here, before the model is loaded back from its bytes.
    };
    let models = (0..t)
        .map(|j| train(&labels.iter().skip(j).step_by(t).copied().collect::<Vec<f64>>()))
        .collect::<Result<Vec<_>>>()?;
    let fitted = XgbModel::new(models, input.x.cols(), t, classes)?;
    Ok((Box::new(fitted), FitInfo { n_iter: Some(rounds), converged: true }))
}
