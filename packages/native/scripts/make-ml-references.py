#!/usr/bin/python3
"""Reference values for the native linear models, computed by the real scikit-learn.

Run with Debian's interpreter (the python3 first on PATH has no numpy):

    /usr/bin/python3 packages/native/scripts/make-ml-references.py

Writes test/fixtures/ml/<dataset>.f64 (the permuted data: rows x (features + targets), row-major little-endian
float64, so tests read exactly what sklearn fitted on) and test/fixtures/ml/references.json (split, coefficients,
test predictions/probabilities and metrics per case). Tests only read these files; they never run Python.
"""
import json
import os
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn import datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import (accuracy_score, f1_score, mean_absolute_error, mean_squared_error, r2_score)

SEED = 20240601
TRAIN_FRACTION = 0.75
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "ml")

CLASSIFICATION = ["iris", "wine", "breast_cancer", "digits"]
REGRESSION = ["diabetes", "linnerud"]

# (pgml algorithm name, estimator, hyperparams as passed to both runtimes)
REGRESSORS = [
    ("linear", LinearRegression, {}),
    ("ridge", Ridge, {}),
    ("ridge", Ridge, {"alpha": 0.01}),
]
CLASSIFIERS = [
    ("linear", LogisticRegression, {}),
    # Converged fits, where coefficients are comparable beyond "same iteration budget".
    ("logistic", LogisticRegression, {"max_iter": 10000, "tol": 1e-8}),
]


def load(name):
    bunch = getattr(datasets, "load_" + name)()
    x = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target, dtype=np.float64)
    return x, (y if y.ndim == 2 else y[:, None])


def objective(model, x, y, c):
    """sklearn 1.2's lbfgs objective at the fitted coefficients: sum of log-losses + ||W||^2 / (2C)."""
    proba = model.predict_proba(x)
    picked = proba[np.arange(len(y)), np.searchsorted(model.classes_, y)]
    return float(-np.log(picked).sum() + 0.5 / c * np.sum(model.coef_ ** 2))


def rows(a):
    return np.atleast_2d(a).tolist()


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(SEED)
    out = {
        "generator": "packages/native/scripts/make-ml-references.py",
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "seed": SEED,
        "split": "rows permuted by numpy RandomState(seed).permutation per dataset (in the order listed), "
                 "first trainRows rows train, the rest test; the .f64 files hold the permuted rows",
        "datasets": {},
        "cases": [],
    }
    for name in CLASSIFICATION + REGRESSION:
        x, y = load(name)
        perm = rng.permutation(len(x))
        x, y = x[perm], y[perm]
        n_train = int(len(x) * TRAIN_FRACTION)
        task = "classification" if name in CLASSIFICATION else "regression"
        np.hstack([x, y]).astype("<f8").tofile(os.path.join(OUT, name + ".f64"))
        info = {"file": name + ".f64", "task": task, "rows": len(x), "features": x.shape[1], "targets": y.shape[1],
                "trainRows": n_train}
        if task == "classification":
            info["numClasses"] = int(y.max()) + 1
        out["datasets"][name] = info
        xtr, xte, ytr, yte = x[:n_train], x[n_train:], y[:n_train], y[n_train:]
        for algorithm, estimator, params in (CLASSIFIERS if task == "classification" else REGRESSORS):
            model = estimator(**params)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                model.fit(xtr, ytr[:, 0] if y.shape[1] == 1 else ytr)
            case = {"dataset": name, "task": task, "algorithm": algorithm, "estimator": estimator.__name__,
                    "hyperparams": params, "coef": rows(model.coef_),
                    "intercept": np.atleast_1d(model.intercept_).tolist()}
            pred = model.predict(xte)
            if task == "classification":
                case["nIter"] = int(np.max(model.n_iter_))
                case["objective"] = objective(model, xtr, ytr[:, 0], params.get("C", 1.0))
                case["converged"] = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
                case["testPredictions"] = pred.tolist()
                case["testProba"] = model.predict_proba(xte).tolist()
                case["metrics"] = {"f1": f1_score(yte[:, 0], pred, average="macro"),
                                   "accuracy": accuracy_score(yte[:, 0], pred)}
            else:
                pred = pred.reshape(len(xte), -1)
                case["testPredictions"] = pred.tolist()
                case["metrics"] = {"r2": r2_score(yte, pred), "mean_absolute_error": mean_absolute_error(yte, pred),
                                   "mean_squared_error": mean_squared_error(yte, pred)}
            out["cases"].append(case)
    with open(os.path.join(OUT, "references.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(out['cases'])} cases to {os.path.relpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
