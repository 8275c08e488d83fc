"""The one table of PostgresML algorithm names -> scikit-learn-compatible estimator classes.

Names follow PostgresML 2.x (pgml-extension/src/bindings/sklearn/sklearn.py, keys `<name>_<task>`), and the
estimators are constructed with the user's hyperparameters only, exactly as PostgresML does, so defaults are
scikit-learn's. Classes are dotted paths, imported lazily, so the table loads without xgboost installed.
`scripts/generate-algorithms.py` mirrors this table (and each estimator's hyperparameters, catalogue.py) into
`src/algorithms.generated.ts`; a test keeps the two in sync.
"""

import importlib
import json
import sys

LM = "sklearn.linear_model."
ENS = "sklearn.ensemble."
SVM = "sklearn.svm."
CL = "sklearn.cluster."

# name -> {task: "module.Class"}
ALGORITHMS = {
    "linear": {"regression": LM + "LinearRegression", "classification": LM + "LogisticRegression"},
    # `logistic` is the explicit name for what PostgresML calls linear classification.
    "logistic": {"classification": LM + "LogisticRegression"},
    "ridge": {"regression": LM + "Ridge", "classification": LM + "RidgeClassifier"},
    "lasso": {"regression": LM + "Lasso"},
    "elastic_net": {"regression": LM + "ElasticNet"},
    "least_angle": {"regression": LM + "Lars"},
    "lasso_least_angle": {"regression": LM + "LassoLars"},
    "orthogonal_matching_pursuit": {"regression": LM + "OrthogonalMatchingPursuit"},
    "bayesian_ridge": {"regression": LM + "BayesianRidge"},
    "automatic_relevance_determination": {"regression": LM + "ARDRegression"},
    "stochastic_gradient_descent": {"regression": LM + "SGDRegressor", "classification": LM + "SGDClassifier"},
    "perceptron": {"classification": LM + "Perceptron"},
    "passive_aggressive": {
        "regression": LM + "PassiveAggressiveRegressor",
        "classification": LM + "PassiveAggressiveClassifier",
    },
    "ransac": {"regression": LM + "RANSACRegressor"},
    "theil_sen": {"regression": LM + "TheilSenRegressor"},
    "huber": {"regression": LM + "HuberRegressor"},
    "quantile": {"regression": LM + "QuantileRegressor"},
    "kernel_ridge": {"regression": "sklearn.kernel_ridge.KernelRidge"},
    "gaussian_process": {
        "regression": "sklearn.gaussian_process.GaussianProcessRegressor",
        "classification": "sklearn.gaussian_process.GaussianProcessClassifier",
    },
    "svm": {"regression": SVM + "SVR", "classification": SVM + "SVC"},
    "nu_svm": {"regression": SVM + "NuSVR", "classification": SVM + "NuSVC"},
    "linear_svm": {"regression": SVM + "LinearSVR", "classification": SVM + "LinearSVC"},
    "ada_boost": {"regression": ENS + "AdaBoostRegressor", "classification": ENS + "AdaBoostClassifier"},
    "bagging": {"regression": ENS + "BaggingRegressor", "classification": ENS + "BaggingClassifier"},
    "extra_trees": {"regression": ENS + "ExtraTreesRegressor", "classification": ENS + "ExtraTreesClassifier"},
    "gradient_boosting_trees": {
        "regression": ENS + "GradientBoostingRegressor",
        "classification": ENS + "GradientBoostingClassifier",
    },
    "hist_gradient_boosting": {
        "regression": ENS + "HistGradientBoostingRegressor",
        "classification": ENS + "HistGradientBoostingClassifier",
    },
    "random_forest": {"regression": ENS + "RandomForestRegressor", "classification": ENS + "RandomForestClassifier"},
    # Not in PostgresML 2.x's table, but PostgresML 1.0 databases contain decision trees; kept so they migrate.
    "decision_tree": {
        "regression": "sklearn.tree.DecisionTreeRegressor",
        "classification": "sklearn.tree.DecisionTreeClassifier",
    },
    "xgboost": {"regression": "xgboost.XGBRegressor", "classification": "xgboost.XGBClassifier"},
    "xgboost_random_forest": {"regression": "xgboost.XGBRFRegressor", "classification": "xgboost.XGBRFClassifier"},
    "kmeans": {"clustering": CL + "KMeans"},
    "mini_batch_kmeans": {"clustering": CL + "MiniBatchKMeans"},
    "affinity_propagation": {"clustering": CL + "AffinityPropagation"},
    "birch": {"clustering": CL + "Birch"},
    "mean_shift": {"clustering": CL + "MeanShift"},
    "dbscan": {"clustering": CL + "DBSCAN"},
    "optics": {"clustering": CL + "OPTICS"},
    "spectral": {"clustering": CL + "SpectralClustering"},
    "agglomerative": {"clustering": CL + "AgglomerativeClustering"},
    "pca": {"decomposition": "sklearn.decomposition.PCA"},
}

# PostgresML algorithms whose libraries cannot be installed here: name -> (tasks, reason).
UNAVAILABLE = {
    "lightgbm": (
        ["regression", "classification"],
        "LightGBM is not installed and has no Debian package on this system (python3-lightgbm does not exist); "
        "use xgboost or hist_gradient_boosting instead",
    ),
    "catboost": (
        ["regression", "classification"],
        "CatBoost is not installed and has no Debian package on this system; "
        "use xgboost or gradient_boosting_trees instead",
    ),
}

APT_PACKAGES = {
    "numpy": "python3-numpy",
    "scipy": "python3-scipy",
    "sklearn": "python3-sklearn",
    "xgboost": "python3-xgboost",
}


class AlgorithmError(Exception):
    """Unknown algorithm/task or a library that is not installed; carries a pgml-ts error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def estimator_class(algorithm, task):
    if algorithm in UNAVAILABLE and task in UNAVAILABLE[algorithm][0]:
        reason = UNAVAILABLE[algorithm][1]
        raise AlgorithmError("ALGORITHM_UNAVAILABLE", f"algorithm {algorithm!r} is unavailable: {reason}")
    path = ALGORITHMS.get(algorithm, {}).get(task)
    if path is None:
        raise AlgorithmError("ALGORITHM_UNAVAILABLE", f"algorithm {algorithm!r} does not support task {task!r}")
    module_name, class_name = path.rsplit(".", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        top = module_name.split(".")[0]
        raise AlgorithmError(
            "ALGORITHM_UNAVAILABLE",
            f"algorithm {algorithm!r} needs the Python module {top!r} ({error}); "
            f"install it with: apt-get install -y {APT_PACKAGES.get(top, top)}",
        ) from error
    return getattr(module, class_name)


def table():
    """The table as plain JSON data (for the TypeScript mirror)."""
    return {
        "algorithms": {name: dict(tasks) for name, tasks in ALGORITHMS.items()},
        "unavailable": {name: {"tasks": tasks, "reason": reason} for name, (tasks, reason) in UNAVAILABLE.items()},
    }


if __name__ == "__main__":
    json.dump(table(), sys.stdout, indent=2)
    sys.stdout.write("\n")
