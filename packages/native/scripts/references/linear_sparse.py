"""References for Lasso and ElasticNet (coordinate descent) from scikit-learn 1.2.1.

Run with Debian's python: /usr/bin/python3 scripts/references/linear_sparse.py → test/fixtures/ml/linear_sparse.json.
Each case fits on the committed train split and records coef_ (targets × features), intercept_, n_iter_, the dual gap,
test predictions and r2 on the test rows; test/ml-linear-sparse.test.ts expects the same coefficients to 1e-6
relative (same algorithm, same stopping rule).
"""
import os
import sys
import warnings

import numpy as np
from sklearn.linear_model import ElasticNet, Lasso

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import key_metrics, load_split, write_cases  # noqa: E402


def case(name, estimator, algorithm, hyperparams):
    x, y, xt, yt, info = load_split(name)
    target = y[:, 0] if y.shape[1] == 1 else y
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = estimator(**hyperparams).fit(x, target)
    pred = model.predict(xt)
    truth = yt[:, 0] if yt.shape[1] == 1 else yt
    return {
        "dataset": name, "task": "regression", "algorithm": algorithm, "estimator": estimator.__name__,
        "hyperparams": hyperparams,
        "coef": np.atleast_2d(model.coef_).tolist(),
        # fit_intercept=False leaves a scalar 0.0 even for several targets.
        "intercept": np.broadcast_to(model.intercept_, (y.shape[1],)).tolist(),
        "nIter": np.atleast_1d(model.n_iter_).tolist(),
        "dualGap": np.atleast_1d(model.dual_gap_).tolist(),
        "converged": not any("converge" in str(w.message).lower() for w in caught),
        "testPredictions": pred.tolist(),
        "metrics": key_metrics("regression", truth, pred),
    }


def main():
    cases = []
    for name in ["diabetes", "linnerud"]:
        cases.append(case(name, Lasso, "lasso", {}))
        cases.append(case(name, Lasso, "lasso", {"alpha": 0.1}))
        cases.append(case(name, Lasso, "lasso", {"alpha": 0.01, "selection": "random", "random_state": 0}))
        cases.append(case(name, Lasso, "lasso", {"alpha": 0.5, "positive": True, "fit_intercept": False}))
        cases.append(case(name, ElasticNet, "elastic_net", {}))
        cases.append(case(name, ElasticNet, "elastic_net", {"alpha": 0.01, "l1_ratio": 0.7}))
        cases.append(case(name, ElasticNet, "elastic_net", {"alpha": 0.001, "l1_ratio": 0.2, "max_iter": 50}))
        cases.append(case(name, ElasticNet, "elastic_net", {
            "alpha": 0.05, "selection": "random", "random_state": 42, "tol": 1e-6,
        }))
        # Stopped by max_iter: the coefficients after exactly 5 sweeps.
        cases.append(case(name, Lasso, "lasso", {"alpha": 1e-4, "max_iter": 5}))
    write_cases("linear_sparse", cases, "scripts/references/linear_sparse.py")


if __name__ == "__main__":
    main()
