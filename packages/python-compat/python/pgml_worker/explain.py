"""Feature importances as the estimator itself reports them, for the model explanations core stores at train time.

kinds: "gain" (python-xgboost tree boosters: average split gain, normalized as XGBModel.feature_importances_),
"impurity" (scikit-learn's feature_importances_ of trees, forests, boosting), "coefficients" (coef_ of linear
models, PCA's components_). Kernel SVMs (libsvm: coef_ only for the linear kernel, one-vs-one rows) and estimators
with neither report none: core then measures permutation importance on the test split.
"""

import numpy as np


def _rows(values, outputs):
    return {"values": np.atleast_2d(np.asarray(values, dtype=np.float64)).tolist(), "outputs": outputs}


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _xgboost_gain(estimator, n_features):
    if getattr(estimator, "booster", None) not in (None, "gbtree", "dart"):
        return None
    scores = estimator.get_booster().get_score(importance_type="gain")
    gains = np.array([scores.get(f"f{i}", 0.0) for i in range(n_features)], dtype=np.float32)
    total = gains.sum()
    return {"kind": "gain", **_rows(gains if total == 0 else gains / total, [None])}


def _coefficients(estimator, task):
    coef = np.asarray(getattr(estimator, "coef_"))
    if coef.ndim == 1 or coef.shape[0] == 1:
        classes = getattr(estimator, "classes_", None)
        # A binary classifier's single row scores its second class.
        output = _plain(classes[-1]) if task == "classification" and classes is not None else None
        return {"kind": "coefficients", **_rows(coef, [output])}
    if task == "classification":
        return {"kind": "coefficients", **_rows(coef, [_plain(c) for c in estimator.classes_])}
    return {"kind": "coefficients", **_rows(coef, list(range(coef.shape[0])))}


def feature_importances(estimator, task, n_features):
    """-> {"kind", "values": rows × features, "outputs": what each row explains (class, target, component; None =
    the whole model)} or None."""
    from sklearn.multioutput import MultiOutputRegressor
    from sklearn.svm._base import BaseLibSVM

    if isinstance(estimator, MultiOutputRegressor):
        parts = [feature_importances(e, task, n_features) for e in estimator.estimators_]
        if any(p is None or p["kind"] != parts[0]["kind"] or len(p["values"]) != 1 for p in parts):
            return None
        return {"kind": parts[0]["kind"], "values": [p["values"][0] for p in parts], "outputs": list(range(len(parts)))}
    if type(estimator).__module__.startswith("xgboost"):
        return _xgboost_gain(estimator, n_features)
    if isinstance(estimator, BaseLibSVM):
        return None
    if task == "decomposition" and hasattr(estimator, "components_"):
        return {"kind": "coefficients", **_rows(estimator.components_, list(range(len(estimator.components_))))}
    try:
        return {"kind": "impurity", **_rows(estimator.feature_importances_, [None])}
    except (AttributeError, ValueError):  # no trees (linear models), or an ensemble of estimators without them
        pass
    if hasattr(estimator, "coef_"):
        return _coefficients(estimator, task)
    return None
