"""References for the SVM family (SVC, SVR, LinearSVC, LinearSVR) from scikit-learn 1.2.1.

Run with Debian's python: /usr/bin/python3 scripts/references/svm.py  → test/fixtures/ml/svm.json.
Each case fits on the committed train split and records what test/ml-svm.test.ts compares:
- SVC: test predictions and key metrics, libsvm's internal state (n_support_, rho = -_intercept_, Platt's probA_/probB_
  with probability=True) and test probabilities with their log-loss;
- SVR: one model per target column (MultiOutputRegressor, as the python runtime wraps it), test predictions, r2,
  support vector counts and rho;
- LinearSVC / LinearSVR: coef_, intercept_, n_iter_, test predictions and the key metric.
random_state is fixed where sklearn draws random numbers (probability folds, liblinear's coordinate order).
"""
import os
import sys
import warnings

import numpy as np
from sklearn.metrics import log_loss
from sklearn.multioutput import MultiOutputRegressor
from sklearn.svm import SVC, SVR, LinearSVC, LinearSVR

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import key_metrics, load_split, write_cases  # noqa: E402

CLASSIFICATION = ["iris", "wine", "breast_cancer", "digits"]
REGRESSION = ["diabetes", "linnerud"]


def fit_quietly(model, x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning of liblinear on unscaled data: recorded as nIter
        return model.fit(x, y)


def svc_case(name, hyperparams):
    x, y, xt, yt, info = load_split(name)
    model = fit_quietly(SVC(**hyperparams), x, y[:, 0])
    pred = model.predict(xt)
    case = {
        "dataset": name, "task": "classification", "algorithm": "svm", "estimator": "SVC", "hyperparams": hyperparams,
        "testPredictions": pred.tolist(),
        "nSupport": model.n_support_.tolist(),
        "rho": (-model._intercept_).tolist(),
        "nIter": int(np.max(model.n_iter_)),
        "metrics": key_metrics("classification", yt[:, 0], pred),
    }
    if hyperparams.get("probability"):
        proba = model.predict_proba(xt)
        case["probA"] = model.probA_.tolist()
        case["probB"] = model.probB_.tolist()
        case["testProba"] = proba.tolist()
        case["metrics"]["log_loss"] = log_loss(yt[:, 0], proba, labels=model.classes_)
    return case


def svr_case(name, hyperparams):
    x, y, xt, yt, info = load_split(name)
    models = [fit_quietly(SVR(**hyperparams), x, y[:, j]) for j in range(y.shape[1])]
    pred = np.column_stack([m.predict(xt) for m in models])
    return {
        "dataset": name, "task": "regression", "algorithm": "svm", "estimator": "SVR", "hyperparams": hyperparams,
        "testPredictions": pred.tolist(),
        "nSupport": [int(m.support_.shape[0]) for m in models],
        "rho": [float(-m._intercept_[0]) for m in models],
        "nIter": int(max(np.max(m.n_iter_) for m in models)),
        "metrics": key_metrics("regression", yt, pred),
    }


def linear_svc_case(name, hyperparams):
    x, y, xt, yt, info = load_split(name)
    model = fit_quietly(LinearSVC(**hyperparams), x, y[:, 0])
    pred = model.predict(xt)
    return {
        "dataset": name, "task": "classification", "algorithm": "linear_svm", "estimator": "LinearSVC",
        "hyperparams": hyperparams, "coef": model.coef_.tolist(), "intercept": model.intercept_.tolist(),
        "nIter": int(model.n_iter_), "testPredictions": pred.tolist(),
        "metrics": key_metrics("classification", yt[:, 0], pred),
    }


def linear_svr_case(name, hyperparams):
    x, y, xt, yt, info = load_split(name)
    wrapped = fit_quietly(MultiOutputRegressor(LinearSVR(**hyperparams)), x, y)
    pred = wrapped.predict(xt)
    return {
        "dataset": name, "task": "regression", "algorithm": "linear_svm", "estimator": "LinearSVR",
        "hyperparams": hyperparams,
        "coef": [m.coef_.tolist() for m in wrapped.estimators_],
        "intercept": [float(np.ravel(m.intercept_)[0]) for m in wrapped.estimators_],
        "nIter": int(max(m.n_iter_ for m in wrapped.estimators_)),
        "testPredictions": pred.tolist(),
        "metrics": key_metrics("regression", yt, pred),
    }


def main():
    cases = []
    for name in CLASSIFICATION:
        cases.append(svc_case(name, {}))
        cases.append(svc_case(name, {"probability": True, "random_state": 0}))
        cases.append(linear_svc_case(name, {"random_state": 0}))
    for kernel in ["linear", "poly", "sigmoid"]:
        cases.append(svc_case("iris", {"kernel": kernel}))
    cases.append(svc_case("wine", {"gamma": "auto", "C": 10.0}))
    cases.append(svc_case("breast_cancer", {"gamma": 1e-4, "C": 100.0, "probability": True, "random_state": 7}))
    cases.append(linear_svc_case("iris", {"loss": "hinge", "C": 0.5, "random_state": 3}))
    for name in REGRESSION:
        cases.append(svr_case(name, {}))
        cases.append(svr_case(name, {"C": 100.0, "epsilon": 1.0}))
        cases.append(linear_svr_case(name, {"random_state": 0}))
        cases.append(linear_svr_case(name, {"loss": "squared_epsilon_insensitive", "C": 0.01, "random_state": 0}))
    write_cases("svm", cases, "packages/native/scripts/references/svm.py")


if __name__ == "__main__":
    main()
