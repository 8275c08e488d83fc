"""References for NativeModel.featureImportances(): the `coef_`, `components_` and `feature_importances_` that
scikit-learn 1.2.1 and python-xgboost 1.7 report for the same fits.

Run with Debian's python: /usr/bin/python3 scripts/references/importances.py  → test/fixtures/ml/importances.json.

Only fits whose model is unique are compared, so a difference is a difference in how importances are computed and
not in which tree was grown: deterministic trees (every feature examined, no bootstrap) on datasets whose features
are continuous enough that no two splits tie, closed-form or tightly converged linear fits, PCA, and XGBoost (both
runtimes build the same booster). Each case records sklearn's values and the tolerance the test allows.
"""
import os
import sys

import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
# This folder has an xgboost.py of its own: keep it off the path while importing the real package.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
from xgboost import XGBClassifier, XGBRegressor  # noqa: E402

sys.path.insert(0, HERE)
from fixtures import load_split, write_cases  # noqa: E402

# (dataset, task, pgml algorithm, estimator, hyperparams, kind, tolerance)
CASES = [
    ("diabetes", "regression", "linear", LinearRegression, {}, "coefficients", 1e-9),
    ("diabetes", "regression", "ridge", Ridge, {"alpha": 0.5}, "coefficients", 1e-9),
    ("iris", "classification", "logistic", LogisticRegression, {"max_iter": 1000, "tol": 1e-10}, "coefficients", 1e-3),
    ("diabetes", "regression", "decision_tree", DecisionTreeRegressor, {"max_depth": 3}, "impurity", 1e-9),
    ("wine", "classification", "decision_tree", DecisionTreeClassifier,
     {"max_depth": 2, "criterion": "entropy"}, "impurity", 1e-9),
    ("wine", "classification", "decision_tree", DecisionTreeClassifier, {"max_depth": 1}, "impurity", 1e-9),
    ("diabetes", "regression", "random_forest", RandomForestRegressor,
     {"n_estimators": 3, "bootstrap": False, "max_features": 1.0, "max_depth": 3}, "impurity", 1e-9),
    ("diabetes", "regression", "gradient_boosting_trees", GradientBoostingRegressor,
     {"n_estimators": 20, "max_depth": 2}, "impurity", 1e-9),
    ("breast_cancer", "classification", "gradient_boosting_trees", GradientBoostingClassifier,
     {"n_estimators": 5, "max_depth": 1}, "impurity", 1e-9),
    ("wine", "classification", "gradient_boosting_trees", GradientBoostingClassifier,
     {"n_estimators": 5, "max_depth": 1}, "impurity", 1e-9),
    ("diabetes", "regression", "xgboost", XGBRegressor, {"tree_method": "hist", "n_estimators": 20}, "gain", 1e-6),
    ("wine", "classification", "xgboost", XGBClassifier, {"tree_method": "hist", "n_estimators": 10}, "gain", 1e-6),
    ("digits", "decomposition", "pca", PCA, {"n_components": 4}, "coefficients", 1e-6),
]


def importances(model, kind):
    values = model.feature_importances_ if kind in ("impurity", "gain") else getattr(model, "components_", None)
    if values is None:
        values = model.coef_
    return np.atleast_2d(np.asarray(values, dtype=np.float64)).tolist()


def fit(estimator, hyperparams, task, x, y):
    model = estimator(**hyperparams)
    if task == "decomposition":
        return model.fit(x)
    return model.fit(x, y[:, 0].astype(np.int64) if task == "classification" else y[:, 0])


def check_unique(estimator, hyperparams, task, x, y, values):
    """A tree case must grow the same trees whatever the random_state: sklearn breaks ties between equally good
    splits at random, and so would the native runtime, differently."""
    if "random_state" not in estimator().get_params():
        return
    for seed in range(8):
        other = importances(fit(estimator, {**hyperparams, "random_state": seed}, task, x, y), "impurity")
        if np.max(np.abs(np.array(other) - np.array(values))) > 1e-12:
            raise SystemExit(f"{estimator.__name__}({hyperparams}) has ties: its importances depend on random_state")


def main():
    cases = []
    for dataset, task, algorithm, estimator, hyperparams, kind, tolerance in CASES:
        x, y, _, _, _ = load_split(dataset)
        model = fit(estimator, hyperparams, task, x, y)
        if kind == "impurity":
            check_unique(estimator, hyperparams, task, x, y, importances(model, kind))
        cases.append({
            "dataset": dataset, "task": task, "algorithm": algorithm, "estimator": estimator.__name__,
            "hyperparams": hyperparams, "kind": kind, "tolerance": tolerance, "values": importances(model, kind),
        })
    write_cases("importances", cases, "scripts/references/importances.py")


if __name__ == "__main__":
    main()
