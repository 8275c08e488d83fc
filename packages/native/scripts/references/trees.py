"""References for the tree family (DecisionTree, RandomForest, ExtraTrees, GradientBoosting) from scikit-learn 1.2.1.

Run with Debian's python: /usr/bin/python3 scripts/references/trees.py  → test/fixtures/ml/trees.json.

Trees are randomized (feature permutations, bootstraps, random thresholds) and the native runtime draws from its own
generator, so single fits are not comparable tree by tree: a tie broken the other way grows another tree. Each case
therefore fits several random_states and records the key metric per seed and its mean; test/ml-trees.test.ts fits the
same number of seeds natively and compares means (native ≥ sklearn − 0.01). Seed-0 test predictions and
probabilities are recorded too, for agreement diagnostics.
GradientBoostingRegressor is single-target in sklearn: linnerud (3 targets) goes through MultiOutputRegressor, as
the python runtime wraps it and the native runtime's wrap_multi_target does.
"""
import os
import sys

import numpy as np
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,
                              GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor)
from sklearn.multioutput import MultiOutputRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import key_metrics, load_split, write_cases  # noqa: E402

CLASSIFICATION = ["iris", "wine", "breast_cancer", "digits"]
REGRESSION = ["diabetes", "linnerud"]
SEEDS = 5
# linnerud has 15 training and 5 test rows: its r2 swings by whole units between seeds, so it gets more of them.
SEEDS_PER_DATASET = {"linnerud": 25}

# (pgml algorithm, sklearn regressor, sklearn classifier, hyperparameter variants passed to both runtimes)
ALGORITHMS = [
    ("decision_tree", DecisionTreeRegressor, DecisionTreeClassifier,
     [{}, {"max_depth": 4}, {"max_leaf_nodes": 10, "min_samples_leaf": 3}]),
    ("random_forest", RandomForestRegressor, RandomForestClassifier,
     [{}, {"max_depth": 6, "max_features": 0.5}]),
    ("extra_trees", ExtraTreesRegressor, ExtraTreesClassifier, [{}]),
    ("gradient_boosting_trees", GradientBoostingRegressor, GradientBoostingClassifier,
     [{}, {"subsample": 0.7, "max_depth": 2, "learning_rate": 0.2}]),
]
# Hyperparameters that only make sense for one task.
CLASSIFICATION_ONLY = [("decision_tree", {"criterion": "entropy"}), ("random_forest", {"criterion": "entropy"})]


def fit_predict(estimator, hyperparams, seed, task, x, y, xt):
    model = estimator(**hyperparams, random_state=seed)
    if task == "regression" and y.shape[1] > 1 and estimator is GradientBoostingRegressor:
        model = MultiOutputRegressor(model)
    fitted = model.fit(x, y[:, 0] if (task == "classification" or y.shape[1] == 1) else y)
    pred = np.asarray(fitted.predict(xt))
    proba = fitted.predict_proba(xt) if task == "classification" else None
    return pred.reshape(len(xt), -1) if task == "regression" else pred, proba


def case(algorithm, estimator, dataset, hyperparams):
    x, y, xt, yt, info = load_split(dataset)
    task = info["task"]
    key = "f1" if task == "classification" else "r2"
    per_seed, first = [], None
    seeds = SEEDS_PER_DATASET.get(dataset, SEEDS)
    for seed in range(seeds):
        pred, proba = fit_predict(estimator, hyperparams, seed, task, x, y, xt)
        truth = yt[:, 0] if task == "classification" else yt
        per_seed.append(key_metrics(task, truth, pred)[key])
        if first is None:
            first = (pred, proba)
    out = {
        "dataset": dataset, "task": task, "algorithm": algorithm, "estimator": estimator.__name__,
        "hyperparams": hyperparams, "seeds": seeds, "key": key, "perSeed": per_seed,
        "metrics": {key: float(np.mean(per_seed))},
        "testPredictions": first[0].tolist(),
    }
    if first[1] is not None:
        out["testProba"] = first[1].tolist()
    print(f"{dataset:14s} {estimator.__name__:28s} {hyperparams}: {key} {np.mean(per_seed):.4f} "
          f"(seeds {min(per_seed):.3f}..{max(per_seed):.3f})", file=sys.stderr)
    return out


def main():
    cases = []
    for algorithm, regressor, classifier, variants in ALGORITHMS:
        extra = [h for a, h in CLASSIFICATION_ONLY if a == algorithm]
        for hyperparams in variants:
            cases += [case(algorithm, regressor, d, hyperparams) for d in REGRESSION]
        for hyperparams in variants + extra:
            cases += [case(algorithm, classifier, d, hyperparams) for d in CLASSIFICATION]
    write_cases("trees", cases, "scripts/references/trees.py")


if __name__ == "__main__":
    main()
