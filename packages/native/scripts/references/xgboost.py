#!/usr/bin/python3
"""Reference cases for the native XGBoost family, computed by python-xgboost 1.7 (Debian's python3-xgboost, which
loads the same libxgboost.so the native crate links).

    /usr/bin/python3 packages/native/scripts/references/xgboost.py

Fits XGBRegressor / XGBClassifier / XGBRFRegressor / XGBRFClassifier exactly as the python runtime builds them (the
user's hyperparameters over its XGBOOST_DEFAULTS, which the native runtime applies too) on the committed split, and
writes test/fixtures/ml/xgboost.json: test predictions and probabilities (XGBoost's float32 values), key metrics, and
the SHA-256 of the model as XGBoost's UBJSON (`save_raw("ubj")`), which the native payload embeds — equal hashes mean
the very same trees. Several targets (linnerud) are fitted through MultiOutputRegressor, as the python runtime wraps the
XGBoost regressors (they do not declare multi-output support): one model per target, hashed one after the other.
"""
import hashlib
import os
import sys

import numpy as np
from sklearn.multioutput import MultiOutputRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
# This file is itself named xgboost.py: keep its folder off the path while importing the real package.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
import xgboost  # noqa: E402
from xgboost import XGBClassifier, XGBRegressor, XGBRFClassifier, XGBRFRegressor  # noqa: E402

sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "python-compat", "python"))
from fixtures import key_metrics, load_split, write_cases  # noqa: E402
from pgml_worker.estimators import XGBOOST_DEFAULTS  # noqa: E402

CLASSIFICATION = ["iris", "wine", "breast_cancer", "digits"]
REGRESSION = ["diabetes", "linnerud"]

TUNED = {"n_estimators": 50, "max_depth": 4, "learning_rate": 0.1, "subsample": 0.8, "colsample_bytree": 0.8,
         "min_child_weight": 2, "reg_alpha": 0.1, "reg_lambda": 2, "gamma": 0.05, "random_state": 7}
# (pgml algorithm, hyperparameter sets): defaults, a tuned set, and each tree method.
BOOSTING = [
    {},
    TUNED,
    {"tree_method": "hist", "max_bin": 64, "n_estimators": 30, "random_state": 1},
    {"tree_method": "approx", "n_estimators": 30, "colsample_bynode": 0.5, "random_state": 3},
    {"booster": "dart", "rate_drop": 0.1, "n_estimators": 20, "max_depth": 3, "random_state": 5},
]
FOREST = [
    {},
    {"n_estimators": 50, "max_depth": 5, "subsample": 0.7, "colsample_bynode": 0.6, "random_state": 11},
    {"tree_method": "hist", "n_estimators": 40, "random_state": 2},
]
ESTIMATORS = {
    ("regression", "xgboost"): (XGBRegressor, BOOSTING),
    ("regression", "xgboost_random_forest"): (XGBRFRegressor, FOREST),
    ("classification", "xgboost"): (XGBClassifier, BOOSTING),
    ("classification", "xgboost_random_forest"): (XGBRFClassifier, FOREST),
}


def f32_list(a):
    """float32 values as their shortest decimal (Math.fround of the parsed number is the exact float32)."""
    return [float(str(v)) for v in np.asarray(a, dtype=np.float32).ravel()]


def case(dataset, task, algorithm, estimator, hyperparams):
    x_train, y_train, x_test, y_test, info = load_split(dataset)
    if info["targets"] == 1:
        y_train, y_test = y_train.ravel(), y_test.ravel()
    model = estimator(**{**XGBOOST_DEFAULTS, **hyperparams})
    if y_train.ndim == 2:
        model = MultiOutputRegressor(model)
    model = model.fit(x_train, y_train)
    pred = model.predict(x_test)
    boosters = [m.get_booster() for m in model.estimators_] if y_train.ndim == 2 else [model.get_booster()]
    out = {
        "dataset": dataset,
        "task": task,
        "algorithm": algorithm,
        "estimator": estimator.__name__,
        "hyperparams": hyperparams,
        "testPredictions": f32_list(pred) if task == "regression" else [float(p) for p in pred],
        "modelSha256": hashlib.sha256(b"".join(bytes(b.save_raw("ubj")) for b in boosters)).hexdigest(),
        "metrics": key_metrics(task, y_test, pred),
    }
    if task == "classification":
        out["testProba"] = f32_list(model.predict_proba(x_test))
    return out


def main():
    cases = []
    for (task, algorithm), (estimator, grid) in ESTIMATORS.items():
        for dataset in (CLASSIFICATION if task == "classification" else REGRESSION):
            for hyperparams in grid:
                cases.append(case(dataset, task, algorithm, estimator, hyperparams))
                print(f"{dataset} {estimator.__name__}({hyperparams}): {cases[-1]['metrics']}", file=sys.stderr)
    write_cases("xgboost", cases, f"scripts/references/xgboost.py (xgboost {xgboost.__version__})")


if __name__ == "__main__":
    main()
