//! The XGBoost family: `xgboost` (XGBRegressor, XGBClassifier) and `xgboost_random_forest` (XGBRFRegressor,
//! XGBRFClassifier) through libxgboost's C API — the very library python3-xgboost loads — so, with the parameters
//! python's sklearn wrapper would pass, predictions are python-xgboost's. Models are stored as XGBoost's own UBJSON
//! inside our payload (model.rs). Multi-target regression fits one booster per target, as the python runtime's
//! MultiOutputRegressor does.

mod ffi;
mod fit;
mod handle;
mod model;
mod params;

use pgml_ml_core::{AlgorithmDef, Result, Task};

use crate::fit::{fit, Estimator};
use crate::model::XgbModel;
use crate::params::{XGB_CLASSIFIER, XGB_REGRESSOR, XGB_RF_CLASSIFIER, XGB_RF_REGRESSOR};

const REGRESSOR: Estimator = Estimator { task: Task::Regression, params: XGB_REGRESSOR, forest: false };
const CLASSIFIER: Estimator = Estimator { task: Task::Classification, params: XGB_CLASSIFIER, forest: false };
const RF_REGRESSOR: Estimator = Estimator { task: Task::Regression, params: XGB_RF_REGRESSOR, forest: true };
const RF_CLASSIFIER: Estimator = Estimator { task: Task::Classification, params: XGB_RF_CLASSIFIER, forest: true };

pub const XGBOOST_REGRESSION: AlgorithmDef = AlgorithmDef {
    names: &["xgboost"],
    task: Task::Regression,
    estimator: "XGBRegressor",
    id: 60,
    params: XGB_REGRESSOR,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| fit(input, REGRESSOR),
    read: |r| XgbModel::read(r, Task::Regression),
};

pub const XGBOOST_CLASSIFICATION: AlgorithmDef = AlgorithmDef {
    names: &["xgboost"],
    task: Task::Classification,
    estimator: "XGBClassifier",
    id: 61,
    params: XGB_CLASSIFIER,
    predict_proba: true,
    multi_target: false,
    accepts_nan: false,
    fit: |input| fit(input, CLASSIFIER),
    read: |r| XgbModel::read(r, Task::Classification),
};

pub const XGBOOST_RANDOM_FOREST_REGRESSION: AlgorithmDef = AlgorithmDef {
    names: &["xgboost_random_forest"],
    task: Task::Regression,
    estimator: "XGBRFRegressor",
    id: 62,
    params: XGB_RF_REGRESSOR,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| fit(input, RF_REGRESSOR),
    read: |r| XgbModel::read(r, Task::Regression),
};

pub const XGBOOST_RANDOM_FOREST_CLASSIFICATION: AlgorithmDef = AlgorithmDef {
    names: &["xgboost_random_forest"],
    task: Task::Classification,
    estimator: "XGBRFClassifier",
    id: 63,
    params: XGB_RF_CLASSIFIER,
    predict_proba: true,
    multi_target: false,
    accepts_nan: false,
    fit: |input| fit(input, RF_CLASSIFIER),
    read: |r| XgbModel::read(r, Task::Classification),
};

/// A saved XGBoost model in any format this libxgboost reads — UBJSON, JSON, or the binary format of 1.x's
/// `XGBoosterSaveModel` to a `.bin` file, as PostgresML 2.x's rust runtime stored its models — re-saved as the
/// UBJSON our payloads hold. Unreadable bytes → CORRUPT_MODEL.
pub fn model_to_ubjson(model: &[u8]) -> Result<Vec<u8>> {
    handle::Booster::load(model)?.save_ubj()
}

pub const ALGORITHMS: &[AlgorithmDef] = &[
    XGBOOST_REGRESSION,
    XGBOOST_CLASSIFICATION,
    XGBOOST_RANDOM_FOREST_REGRESSION,
    XGBOOST_RANDOM_FOREST_CLASSIFICATION,
];

#[cfg(test)]
mod tests;
