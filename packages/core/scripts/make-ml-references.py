#!/usr/bin/python3
"""Writes test/ml/fixtures/sklearn-references.json: seeded random inputs and what the real scikit-learn computes on
them, so core's TypeScript metrics, scalers, imputers, percentiles and grid order are checked against sklearn without
needing Python at test time.

Run with Debian's interpreter (the pyenv python3 first on PATH has no numpy):
    /usr/bin/python3 packages/core/scripts/make-ml-references.py
"""
import json
import os
import sys

import numpy as np
import sklearn
from scipy.spatial.distance import cdist
from sklearn import metrics
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.model_selection import ParameterGrid
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "ml", "fixtures", "sklearn-references.json")
rng = np.random.default_rng(20240607)


def plain(value):
    """numpy → JSON-able; NaN → None because JSON has no NaN (the tests read null as NaN)."""
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def regression_cases():
    cases = []
    y = rng.normal(3, 2, 57)
    cases.append(("single output", y, y + rng.normal(0, 0.7, y.shape)))
    y = rng.normal(0, 1, (41, 3)) * [1, 10, 0.1]
    cases.append(("three outputs", y, y + rng.normal(0, 0.5, y.shape)))
    cases.append(("perfect", y, y.copy()))
    const = np.full(9, 4.25)
    cases.append(("constant target, perfect", const, const.copy()))
    cases.append(("constant target, imperfect", const, const + rng.normal(0, 1, 9)))
    both = np.stack([const, rng.normal(0, 1, 9)], axis=1)
    cases.append(("constant and varying outputs", both, both + rng.normal(0, 0.3, both.shape)))
    out = []
    for name, t, p in cases:
        out.append({
            "name": name, "yTrue": t, "yPred": p,
            "r2": metrics.r2_score(t, p),
            "mean_absolute_error": metrics.mean_absolute_error(t, p),
            "mean_squared_error": metrics.mean_squared_error(t, p),
        })
    return out


def classification_cases():
    cases = []
    t = rng.integers(0, 4, 83)
    p = np.where(rng.random(83) < 0.6, t, rng.integers(0, 4, 83))
    cases.append(("four classes", t, p))
    t = rng.integers(0, 3, 40)
    p = np.where(t == 2, 0, t)  # class 2 never predicted
    cases.append(("a class never predicted", t, p))
    cases.append(("perfect", t, t.copy()))
    t = rng.integers(0, 2, 30)
    p = rng.integers(0, 3, 30)  # class 2 only predicted, never true
    cases.append(("a class only predicted", t, p))
    t = rng.integers(0, 2, 64)
    p = np.where(rng.random(64) < 0.75, t, 1 - t)
    cases.append(("binary", t, p))
    cases.append(("all predicted one class", t, np.zeros_like(t)))
    out = []
    for name, t, p in cases:
        with np.errstate(all="ignore"):
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out.append({
                    "name": name, "yTrue": t, "yPred": p,
                    "accuracy": metrics.accuracy_score(t, p),
                    "f1": metrics.f1_score(t, p, average="macro"),
                    "precision": metrics.precision_score(t, p, average="macro"),
                    "recall": metrics.recall_score(t, p, average="macro"),
                    "mcc": metrics.matthews_corrcoef(t, p),
                })
    return out


def binary_probability_cases():
    cases = []
    t = rng.integers(0, 2, 101)
    prob = np.clip(0.5 * t + 0.5 * rng.random(101), 0, 1)
    cases.append(("random scores", t, prob))
    cases.append(("ties", t, np.round(prob, 1)))
    cases.append(("all tied", t, np.full(101, 0.5)))
    cases.append(("perfect separation with hard 0/1", t, t.astype(float)))
    cases.append(("inverted with hard 0/1", t, 1.0 - t))
    cases.append(("tiny and near-one probabilities", t, np.where(t == 1, 1 - 1e-17, 1e-300)))
    out = []
    for name, t, p in cases:
        out.append({
            "name": name, "yTrue": t, "probability": p,
            "roc_auc": metrics.roc_auc_score(t, p),
            "log_loss": metrics.log_loss(t, p, labels=[0, 1]),
            "log_loss_eps_1e-15": metrics.log_loss(t, p, labels=[0, 1], eps=1e-15),
        })
    return out


def silhouette_cases():
    out = []
    centers = np.array([[0, 0, 0], [4, 4, 0], [0, 5, 5]], dtype=float)
    labels = rng.integers(0, 3, 75)
    x = centers[labels] + rng.normal(0, 1.3, (75, 3))
    singleton = labels.copy()
    singleton[7] = 3  # a one-member cluster scores 0
    for name, lab in (("three blobs", labels), ("with a singleton cluster", singleton)):
        exact = cdist(x, x)
        out.append({
            "name": name, "x": x, "labels": lab,
            "silhouette": metrics.silhouette_score(x, lab),
            "silhouette_exact_distances": metrics.silhouette_score(exact, lab, metric="precomputed"),
        })
    return out


def pca_cases():
    x = rng.normal(0, 1, (60, 5)) @ rng.normal(0, 1, (5, 5))
    pca = PCA(n_components=2, svd_solver="full").fit(x)
    return [{
        "x": x,
        "explained_variance": pca.explained_variance_,
        "cumulative_explained_variance": float(np.sum(pca.explained_variance_ratio_)),
        "total_variance": float(np.var(x, ddof=1, axis=0).sum()),
    }]


def scaler_cases():
    train = rng.normal(5, 3, (47, 4))
    train[:, 2] = 7.5  # constant column: scale falls back to 1
    train[:, 3] = np.abs(train[:, 3]) * -1  # all negative, for max_abs
    train[rng.random(train.shape) < 0.1] = np.nan
    test = rng.normal(5, 3, (11, 4))
    test[rng.random(test.shape) < 0.15] = np.nan
    out = {"train": train, "test": test}
    for strategy in ("mean", "median", "most_frequent"):
        imputer = SimpleImputer(strategy=strategy).fit(train)
        out[f"impute_{strategy}"] = imputer.statistics_
    # Ties for the mode: sklearn picks the smallest of the most frequent values.
    mode_data = np.array([[3.0], [1.0], [3.0], [1.0], [2.0], [np.nan], [np.nan], [np.nan]])
    mode = SimpleImputer(strategy="most_frequent").fit(mode_data).statistics_[0]
    out["mode_ties"] = {"x": mode_data[:, 0], "mode": mode}
    filled = SimpleImputer(strategy="mean").fit(train).transform(test)
    for name, scaler in (("standard", StandardScaler()), ("min_max", MinMaxScaler()),
                         ("max_abs", MaxAbsScaler()), ("robust", RobustScaler())):
        # Statistics over the non-missing training values (sklearn scalers ignore NaN), applied to imputed rows.
        out[f"scale_{name}"] = scaler.fit(train).transform(filled)
    return out


def percentile_cases():
    out = []
    for n in (1, 2, 7, 10, 33):
        x = rng.normal(0, 10, n)
        qs = [0, 5, 10, 25, 50, 75, 90, 95, 100]
        out.append({"x": x, "q": qs, "percentiles": np.percentile(x, qs), "median": np.median(x)})
    return out


def grid_cases():
    grids = [
        {"n_estimators": [10, 50, 100], "max_depth": [1, 3], "alpha": [0.5]},
        {"b": [True, False], "a": ["x", "y", "z"], "C": [0.1, 1]},
        {"only": [1, 2, 3]},
    ]
    return [{"searchParams": g, "order": list(ParameterGrid(g))} for g in grids]


def main():
    refs = {
        "generatedBy": {"script": "packages/core/scripts/make-ml-references.py", "sklearn": sklearn.__version__,
                        "numpy": np.__version__, "python": sys.version.split()[0]},
        "regression": regression_cases(),
        "classification": classification_cases(),
        "binaryProbability": binary_probability_cases(),
        "silhouette": silhouette_cases(),
        "pca": pca_cases(),
        "scalers": scaler_cases(),
        "percentiles": percentile_cases(),
        "parameterGrid": grid_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(plain(refs), f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
