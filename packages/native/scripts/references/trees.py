"""References for the tree family (DecisionTree, RandomForest, ExtraTrees, GradientBoosting) from scikit-learn 1.2.1.

Run with Debian's python: /usr/bin/python3 scripts/references/trees.py  → test/fixtures/ml/trees.json and the
synthetic sets test/fixtures/ml/trees_*.f64.

The native trees reproduce sklearn's random draws and arithmetic, so one random_state gives the same model: every
case records sklearn's test predictions (and probabilities) for one explicit random_state, and
test/ml-trees.test.ts requires the native fit's to equal them (1e-12 relative). Cases cover every hyperparameter the
native rows accept, on the six bundled datasets and on synthetic sets built to stress what exactness depends on:
tied feature values (sort order, summation order), constant and duplicated features (the constant-feature
bookkeeping, equal-gain ties), several targets, features of very different scales, a declared class absent from
training, two classes (the binomial loss). digits' probabilities are recorded for its first DIGITS_PROBA_ROWS test
rows only (its predictions for all), which keeps the file small.
GradientBoostingRegressor is single-target in sklearn: multi-target sets go through MultiOutputRegressor, as the
python runtime wraps it and the native runtime's wrap_multi_target does. GradientBoostingClassifier's log loss goes
through numpy's exp and log, whose last bits depend on the CPU (SVML kernels with AVX-512, the C library without):
`numpyMath` records which this file was generated with, and the test holds those cases to it only on a like CPU.
"""
import os
import sys
import warnings

import numpy as np
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,
                              GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor)
from sklearn.multioutput import MultiOutputRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import FIXTURES, key_metrics, load_split, numpy_math, write_cases  # noqa: E402

CLASSIFICATION = ["iris", "wine", "breast_cancer", "digits"]
REGRESSION = ["diabetes", "linnerud"]
DIGITS_PROBA_ROWS = 60
SYNTHETIC_SEED = 20240914

ESTIMATORS = {
    "decision_tree": (DecisionTreeRegressor, DecisionTreeClassifier),
    "random_forest": (RandomForestRegressor, RandomForestClassifier),
    "extra_trees": (ExtraTreesRegressor, ExtraTreesClassifier),
    "gradient_boosting_trees": (GradientBoostingRegressor, GradientBoostingClassifier),
}

# Hyperparameter variants per algorithm: (hyperparameters, tasks). Integers are counts and floats fractions, as the
# native rows read JSON numbers (≤ 1 a fraction, above a count).
BOTH, REG, CLS = ("regression", "classification"), ("regression",), ("classification",)
VARIANTS = {
    "decision_tree": [
        ({"max_depth": 4}, BOTH), ({"max_features": 0.5}, BOTH), ({"max_features": "sqrt"}, BOTH),
        ({"max_features": "log2"}, BOTH), ({"max_features": 3}, BOTH), ({"min_samples_split": 0.1}, BOTH),
        ({"min_samples_split": 10}, BOTH), ({"min_samples_leaf": 5}, BOTH), ({"min_samples_leaf": 0.03}, BOTH),
        ({"min_weight_fraction_leaf": 0.05}, BOTH), ({"max_leaf_nodes": 8}, BOTH),
        ({"max_leaf_nodes": 30, "max_depth": 6}, BOTH), ({"min_impurity_decrease": 0.01}, BOTH),
        ({"splitter": "random"}, BOTH), ({"splitter": "random", "max_features": 0.4}, BOTH),
        ({"criterion": "friedman_mse"}, REG), ({"criterion": "entropy"}, CLS),
        ({"criterion": "log_loss", "max_depth": 5}, CLS), ({"class_weight": "balanced"}, CLS),
        ({"max_features": "auto"}, BOTH),
        ({"class_weight": "balanced", "min_weight_fraction_leaf": 0.03}, CLS),
    ],
    "random_forest": [
        ({"n_estimators": 7, "max_features": 0.5}, BOTH), ({"n_estimators": 7, "bootstrap": False}, BOTH),
        ({"n_estimators": 7, "max_samples": 0.5}, BOTH), ({"n_estimators": 7, "max_samples": 12}, BOTH),
        ({"n_estimators": 5, "max_leaf_nodes": 10}, BOTH), ({"n_estimators": 5, "min_samples_leaf": 3, "max_depth": 5}, BOTH),
        ({"n_estimators": 5, "min_weight_fraction_leaf": 0.02}, BOTH), ({"n_estimators": 5, "min_impurity_decrease": 0.02}, BOTH),
        ({"n_estimators": 5, "criterion": "friedman_mse"}, REG), ({"n_estimators": 6, "criterion": "entropy"}, CLS),
        ({"n_estimators": 5, "max_features": "auto"}, BOTH),
        ({"n_estimators": 6, "class_weight": "balanced"}, CLS), ({"n_estimators": 6, "class_weight": "balanced_subsample"}, CLS),
        ({"n_estimators": 6, "class_weight": "balanced_subsample", "min_weight_fraction_leaf": 0.02}, CLS),
    ],
    "extra_trees": [
        ({"n_estimators": 7, "max_features": 0.7}, BOTH), ({"n_estimators": 7, "bootstrap": True}, BOTH),
        ({"n_estimators": 7, "bootstrap": True, "max_samples": 0.6}, BOTH), ({"n_estimators": 5, "max_leaf_nodes": 12}, BOTH),
        ({"n_estimators": 5, "min_samples_split": 5, "max_depth": 6}, BOTH), ({"n_estimators": 6, "criterion": "entropy"}, CLS),
        ({"n_estimators": 6, "class_weight": "balanced"}, CLS), ({"n_estimators": 6, "class_weight": "balanced_subsample"}, CLS),
        ({"n_estimators": 6, "class_weight": "balanced_subsample", "bootstrap": True}, CLS),
    ],
    "gradient_boosting_trees": [
        ({"n_estimators": 15, "subsample": 0.7}, BOTH), ({"n_estimators": 15, "max_features": 0.5}, BOTH),
        ({"n_estimators": 15, "max_features": "sqrt"}, BOTH), ({"n_estimators": 15, "learning_rate": 0.3, "max_depth": 2}, BOTH),
        ({"n_estimators": 10, "max_leaf_nodes": 6}, BOTH), ({"n_estimators": 10, "criterion": "squared_error"}, BOTH),
        ({"n_estimators": 10, "init": "zero"}, BOTH), ({"n_estimators": 10, "min_samples_leaf": 4, "subsample": 0.5, "max_features": "sqrt"}, BOTH),
        ({"n_estimators": 8, "max_depth": None}, BOTH), ({"n_estimators": 10, "min_impurity_decrease": 0.1}, BOTH),
        ({"n_estimators": 10, "min_weight_fraction_leaf": 0.05}, BOTH),
        # "auto" (deprecated): the stage trees are regressors, so every feature even for a classifier.
        ({"n_estimators": 10, "max_features": "auto"}, BOTH), ({"n_estimators": 5, "loss": "deviance"}, CLS),
    ],
}


def synthetic_sets():
    """Seeded synthetic sets: (name, task, x, y, n_classes) — see the module docstring for what each stresses."""
    rs = np.random.RandomState(SYNTHETIC_SEED)
    sets = []

    def signal(x):
        return x[:, 0] + 2 * np.sin(x[:, 1]) + (x[:, 2] > 0)

    x = np.round(rs.standard_normal((600, 6)) * 2)
    sets.append(("trees_ties", "regression", x, (signal(x) + 0.3 * rs.standard_normal(600))[:, None], 0))
    x = rs.standard_normal((400, 6))
    x[:, 3] = 3.0
    x[:, 4] = 2 * x[:, 0]
    s = signal(x)
    sets.append(("trees_multi_target", "regression", x, np.column_stack([s, x[:, 5] ** 2, np.round(s)]), 0))
    x = rs.standard_normal((500, 6)) * np.array([1e-6, 1.0, 1e6, 1e3, 1.0, 1.0])
    sets.append(("trees_scaled", "regression", x, (signal(x / np.array([1e-6, 1.0, 1e6, 1e3, 1.0, 1.0])) + 0.3 * rs.standard_normal(500))[:, None], 0))
    x = np.round(rs.standard_normal((600, 6)) * 3)
    x[:, 5] = np.where(np.arange(600) < 598, 1.0, 2.0)
    s = signal(x) + 0.5 * rs.standard_normal(600)
    y = np.digitize(s, np.quantile(s, [0.3, 0.6])).astype(float)
    # Labels 0, 2, 3 of 4 declared: class 1 is never seen in training.
    sets.append(("trees_absent_class", "classification", x, np.where(y == 0, 0.0, y + 1)[:, None], 4))
    x = rs.standard_normal((500, 5))
    sets.append(("trees_binary", "classification", x, (signal(x) + 0.5 * rs.standard_normal(500) > 0.8).astype(float)[:, None], 2))
    return sets


def write_synthetic():
    """Writes the synthetic sets next to the bundled ones (rows × (features + targets) f64); returns their infos."""
    infos = {}
    for name, task, x, y, n_classes in synthetic_sets():
        np.hstack([x, y]).astype("<f8").tofile(os.path.join(FIXTURES, name + ".f64"))
        info = {"file": name + ".f64", "task": task, "rows": len(x), "features": x.shape[1], "targets": y.shape[1],
                "trainRows": int(len(x) * 0.75)}
        if task == "classification":
            info["numClasses"] = n_classes
        infos[name] = info
    return infos


def fit_predict(algorithm, task, hyperparams, x, y, xt):
    estimator = ESTIMATORS[algorithm][task == "classification"]
    model = estimator(**hyperparams)
    if task == "regression" and y.shape[1] > 1 and estimator is GradientBoostingRegressor:
        model = MultiOutputRegressor(model)
    fitted = model.fit(x, y[:, 0] if (task == "classification" or y.shape[1] == 1) else y)
    pred = np.asarray(fitted.predict(xt))
    if task == "regression":
        return pred.reshape(len(xt), -1), None
    # predict_proba's columns are the classes seen in training; spread them over the declared labels.
    proba = np.zeros((len(xt), int(max(fitted.classes_)) + 1))
    proba[:, fitted.classes_.astype(int)] = fitted.predict_proba(xt)
    return pred, proba


def case(dataset, split, algorithm, hyperparams):
    x, y, xt, yt, info = split
    task = info["task"]
    pred, proba = fit_predict(algorithm, task, hyperparams, x, y, xt)
    out = {
        "dataset": dataset, "task": task, "algorithm": algorithm,
        "estimator": ESTIMATORS[algorithm][task == "classification"].__name__, "hyperparams": hyperparams,
        "testPredictions": pred.tolist(),
        "metrics": key_metrics(task, yt[:, 0] if task == "classification" else yt, pred),
    }
    if proba is not None:
        out["testProba"] = (proba[:DIGITS_PROBA_ROWS] if dataset == "digits" else proba).tolist()
    return out


def synthetic_split(name, x, y, info):
    n = info["trainRows"]
    return x[:n], y[:n], x[n:], y[n:], info


def main():
    # sklearn 1.2 warns about the deprecated "auto" and "deviance"; the cases use them on purpose.
    warnings.simplefilter("ignore", FutureWarning)
    infos = write_synthetic()
    splits = {d: load_split(d) for d in CLASSIFICATION + REGRESSION}
    splits.update({name: synthetic_split(name, x, y, infos[name]) for name, _, x, y, _ in synthetic_sets()})
    by_task = {t: [d for d, s in splits.items() if s[4]["task"] == t] for t in ("regression", "classification")}
    cases = []
    for algorithm, variants in VARIANTS.items():
        # sklearn's defaults on every set, three seeds on the bundled ones.
        for dataset, split in splits.items():
            seeds = (0, 1, 2) if dataset in CLASSIFICATION + REGRESSION else (0,)
            cases += [case(dataset, split, algorithm, {"random_state": seed}) for seed in seeds]
        # Each variant on one set per task it applies to, rotating through the sets.
        for i, (hyperparams, tasks) in enumerate(variants):
            for task in tasks:
                dataset = by_task[task][i % len(by_task[task])]
                cases.append(case(dataset, splits[dataset], algorithm, {**hyperparams, "random_state": 3 + i}))
        print(f"{algorithm}: {len(cases)} cases so far", file=sys.stderr)
    write_cases("trees", cases, "scripts/references/trees.py", numpyMath=numpy_math(), datasets=infos)


if __name__ == "__main__":
    main()
