"""References for the histogram gradient boosting family (HistGradientBoostingRegressor/Classifier) from
scikit-learn 1.2.1.

Run with Debian's python: /usr/bin/python3 scripts/references/hist_gbdt.py  → test/fixtures/ml/hist_gbdt.json.
Each case fits on the committed train split and records what test/ml-hist-gbdt.test.ts compares: test predictions
(and probabilities), n_iter_ and the key metrics. The native grower replays sklearn's binning, split search and
early-stopping split, so predictions are expected to agree closely, not only the metrics.

Besides the six bundled datasets there are two synthetic sets of 12 000 rows (above sklearn's 10 000-row threshold,
so early_stopping='auto' holds out a validation set), built from integer arithmetic only so that the TS test
rebuilds exactly the same float64 values (`synthetic` below and in the test must stay identical).
"""
import os
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.multioutput import MultiOutputRegressor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import key_metrics, load_split, write_cases  # noqa: E402

SYNTHETIC_ROWS, SYNTHETIC_FEATURES, SYNTHETIC_TRAIN = 12000, 6, 9000


def synthetic(task):
    i = np.arange(SYNTHETIC_ROWS, dtype=np.int64)[:, None]
    j = np.arange(SYNTHETIC_FEATURES, dtype=np.int64)[None, :]
    x = ((i * (2 * j + 3) * 7919 + j * 104729) % 10007).astype(np.float64) / 10007.0
    noise = ((i[:, 0] * 31) % 17).astype(np.float64) / 17.0
    if task == "regression":
        y = 3.0 * x[:, 0] + 2.0 * (x[:, 1] > 0.5) - x[:, 2] * x[:, 3] + noise
    else:
        y = ((x[:, 0] + x[:, 1] + 0.5 * noise > 1.2).astype(np.float64) + (x[:, 2] > 0.7)).astype(np.float64)
    n = SYNTHETIC_TRAIN
    return x[:n], y[:n, None], x[n:], y[n:, None]


def fit_case(dataset, task, hyperparams):
    if dataset.startswith("synthetic"):
        x, y, xt, yt = synthetic(task)
    else:
        x, y, xt, yt, _ = load_split(dataset)
    case = {"dataset": dataset, "task": task, "algorithm": "hist_gradient_boosting", "hyperparams": hyperparams}
    if task == "regression":
        case["estimator"] = "HistGradientBoostingRegressor"
        if y.shape[1] > 1:
            model = MultiOutputRegressor(HistGradientBoostingRegressor(**hyperparams)).fit(x, y)
            case["nIter"] = [int(m.n_iter_) for m in model.estimators_]
        else:
            model = HistGradientBoostingRegressor(**hyperparams).fit(x, y[:, 0])
            case["nIter"] = [int(model.n_iter_)]
        pred = model.predict(xt)
        case["testPredictions"] = pred.tolist()
        case["metrics"] = key_metrics("regression", yt if yt.shape[1] > 1 else yt[:, 0], pred)
    else:
        case["estimator"] = "HistGradientBoostingClassifier"
        model = HistGradientBoostingClassifier(**hyperparams).fit(x, y[:, 0])
        case["nIter"] = [int(model.n_iter_)]
        pred = model.predict(xt)
        case["testPredictions"] = pred.tolist()
        case["testProba"] = model.predict_proba(xt).tolist()
        case["metrics"] = key_metrics("classification", yt[:, 0], pred)
    case["metrics"] = {k: float(v) for k, v in case["metrics"].items()}
    return case


CASES = [
    *[(name, "classification", {}) for name in ["iris", "wine", "breast_cancer", "digits"]],
    *[(name, "regression", {}) for name in ["diabetes", "linnerud"]],
    ("diabetes", "regression", {"max_depth": 3, "learning_rate": 0.05, "l2_regularization": 1.0, "max_iter": 200}),
    ("breast_cancer", "classification", {"max_leaf_nodes": 8, "min_samples_leaf": 5, "max_bins": 32}),
    ("wine", "classification", {"max_leaf_nodes": None, "max_depth": 4, "min_samples_leaf": 3}),
    # Early stopping on small sets: the held-out rows must be the ones sklearn holds out.
    ("diabetes", "regression", {"early_stopping": True, "validation_fraction": 0.25, "random_state": 1}),
    ("breast_cancer", "classification", {"early_stopping": True, "random_state": 42}),
    ("digits", "classification", {"early_stopping": True, "validation_fraction": 0.2, "n_iter_no_change": 5,
                                  "random_state": 0}),
    # early_stopping='auto' turns on above 10 000 rows.
    ("synthetic_regression", "regression", {"random_state": 0}),
    ("synthetic_classification", "classification", {"random_state": 0}),
]


if __name__ == "__main__":
    write_cases("hist_gbdt", [fit_case(*c) for c in CASES], "scripts/references/hist_gbdt.py")
