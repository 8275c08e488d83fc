"""Building, fitting and predicting with the estimators of algorithms.py, shaped the way PostgresML 2.x does."""

import numpy as np

from .algorithms import estimator_class


class WorkerError(Exception):
    """An expected failure with a pgml-ts error code (see core/src/errors.ts)."""

    def __init__(self, code, message, **details):
        super().__init__(message)
        self.code = code
        self.details = details


# XGBoost 2.x builds histogram trees by default; 1.7 (Debian's) picks "exact" or "approx". Both runtimes default
# to "hist" so they compare like with like and run as PostgresML users of 2.x expect; an explicit value wins.
XGBOOST_DEFAULTS = {"tree_method": "hist"}


def build(algorithm, task, hyperparams, num_targets=1):
    """Constructs the estimator; hyperparameters are validated now so mistakes surface before any data moves."""
    cls = estimator_class(algorithm, task)
    if not isinstance(hyperparams, dict):
        raise WorkerError("INVALID_HYPERPARAMETER", "hyperparams must be a JSON object")
    if cls.__module__.startswith("xgboost"):
        hyperparams = {**XGBOOST_DEFAULTS, **hyperparams}
        if "missing" in hyperparams and hyperparams["missing"] is None:
            # JSON has no NaN: null stands for XGBoost's default, NaN (None itself fails XGBoost's predict).
            hyperparams["missing"] = float("nan")
    try:
        estimator = cls(**hyperparams)
        # scikit-learn >= 1.2 declares parameter constraints; xgboost inherits the method without the constraints.
        if hasattr(estimator, "_parameter_constraints"):
            estimator._validate_params()
            _refuse_booleans_as_numbers(estimator, hyperparams)
    except (TypeError, ValueError) as error:
        raise WorkerError(
            "INVALID_HYPERPARAMETER", f"invalid hyperparameters for {algorithm} ({cls.__name__}): {error}"
        ) from error
    if task == "regression" and num_targets > 1 and not estimator._get_tags().get("multioutput", False):
        from sklearn.multioutput import MultiOutputRegressor

        estimator = MultiOutputRegressor(estimator)
    return estimator


def _refuse_booleans_as_numbers(estimator, hyperparams):
    """A JSON true/false for a numeric parameter is a wrong type (the native runtime says so too); Python would take
    it as 1/0 because bool subclasses int. Booleans pass only where the parameter's constraints name booleans."""
    for name, value in hyperparams.items():
        constraints = estimator._parameter_constraints.get(name)
        if not isinstance(value, bool) or constraints is None or constraints == "no_validation":
            continue
        unwrapped = [getattr(c, "constraint", c) for c in constraints]  # sklearn's Hidden(...) wraps a constraint
        if not any(c in ("boolean", "no_validation") or c is bool or getattr(c, "type", None) is bool
                   for c in unwrapped):
            raise ValueError(
                f"The {name!r} parameter of {type(estimator).__name__} must not be a boolean, got {value!r}."
            )


def _is_transductive(estimator):
    """Clusterers such as DBSCAN, OPTICS and spectral clustering label only the rows they were fitted on."""
    return (
        not hasattr(estimator, "predict")
        and not hasattr(estimator, "transform")
        and hasattr(estimator, "fit_predict")
    )


def fit(estimator, task, x, y):
    is_xgboost = type(estimator).__module__.startswith("xgboost")
    if is_xgboost and getattr(estimator, "early_stopping_rounds", None) is not None:
        # Train hands fit no validation set (the test split is for scoring), so there is nothing to stop early on;
        # XGBoost would refuse the fit ("Must have at least 1 validation dataset"). Accepted, as PostgresML 2.x
        # accepts it, and inert: every round is built, as the native runtime does.
        estimator.set_params(early_stopping_rounds=None)
    if task == "regression":
        estimator.fit(x, y[:, 0] if y.shape[1] == 1 else y)
    elif task == "classification":
        estimator.fit(x, y.reshape(-1).astype(np.int64))
    else:
        estimator.fit(x)
        if _is_transductive(estimator):
            # Predicting a new row = the label of its nearest training row (exact on the training rows).
            # The rows travel inside the pickle as a plain ndarray attribute.
            estimator.pgml_fit_x_ = np.array(x, dtype=np.float64)
    return estimator


def num_features(estimator):
    n = getattr(estimator, "n_features_in_", None)
    if n is None and hasattr(estimator, "estimators_"):  # MultiOutputRegressor wraps fitted estimators
        n = getattr(estimator.estimators_[0], "n_features_in_", None)
    return None if n is None else int(n)


def _check_width(estimator, x):
    expected = num_features(estimator)
    if expected is not None and x.shape[1] != expected:
        raise WorkerError(
            "DIMENSION_MISMATCH",
            f"features dimension mismatch: expected {expected}, got {x.shape[1]}",
            expected=expected,
            got=int(x.shape[1]),
        )


def predict(estimator, task, x):
    """-> float64 rows × outputs. v1 estimators fitted on n×1 targets may return (n, 1): reshape handles it."""
    _check_width(estimator, x)
    if task == "decomposition" or (not hasattr(estimator, "predict") and hasattr(estimator, "transform")):
        out = estimator.transform(x)
    elif _is_transductive(estimator):
        from sklearn.metrics import pairwise_distances_argmin

        out = estimator.labels_[pairwise_distances_argmin(x, estimator.pgml_fit_x_)]
    else:
        out = estimator.predict(x)
    out = np.asarray(out, dtype=np.float64)
    return out.reshape(x.shape[0], -1)


def has_proba(estimator):
    return hasattr(estimator, "predict_proba")


def predict_proba(estimator, x, num_classes=None):
    """-> rows × classes; with num_classes, columns are class indices 0..num_classes-1 even when a class was
    absent from the training split (its column is 0)."""
    _check_width(estimator, x)
    if not has_proba(estimator):
        raise WorkerError(
            "INVALID_ARGUMENT",
            f"{type(estimator).__name__} has no predict_proba"
            + (
                " (train svm/nu_svm with hyperparams {\"probability\": true})"
                if hasattr(estimator, "probability")
                else ""
            ),
        )
    proba = np.asarray(estimator.predict_proba(x), dtype=np.float64)
    classes = getattr(estimator, "classes_", None)
    known = num_classes and classes is not None
    if known and (len(classes) != num_classes or np.any(classes != np.arange(len(classes)))):
        full = np.zeros((x.shape[0], num_classes))
        for column, label in enumerate(classes):
            index = int(label)
            if 0 <= index < num_classes:
                full[:, index] = proba[:, column]
        proba = full
    return proba


def has_decision_function(estimator):
    return hasattr(estimator, "decision_function")


def decision_function(estimator, x):
    """A binary classifier's margins, one per row (higher = classes_[1]): what scikit-learn's roc_auc scorer uses
    for estimators without predict_proba (LinearSVC, RidgeClassifier, Perceptron, SGD with hinge loss, …)."""
    _check_width(estimator, x)
    if not has_decision_function(estimator):
        raise WorkerError("INVALID_ARGUMENT", f"{type(estimator).__name__} has no decision_function")
    scores = np.asarray(estimator.decision_function(x), dtype=np.float64)
    if scores.ndim != 1:
        raise WorkerError(
            "INVALID_ARGUMENT", f"{type(estimator).__name__}.decision_function is not binary (shape {scores.shape})"
        )
    return scores.reshape(-1, 1)


def describe(estimator, task):
    """What the TypeScript side needs to know about a fitted or loaded estimator."""
    info = {
        "className": f"{type(estimator).__module__}.{type(estimator).__qualname__}",
        "numFeatures": num_features(estimator),
        "hasProba": has_proba(estimator),
        "hasDecisionFunction": has_decision_function(estimator),
    }
    classes = getattr(estimator, "classes_", None)
    if classes is not None and np.ndim(classes) == 1:
        # v1 classifiers may have been fitted on raw labels (numbers or strings); the migration maps them.
        info["classes"] = [c.item() if isinstance(c, np.generic) else c for c in classes]
    if task == "decomposition" and hasattr(estimator, "n_components_"):
        info["numOutputs"] = int(estimator.n_components_)
    return info
