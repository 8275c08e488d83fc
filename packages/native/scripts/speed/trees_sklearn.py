"""sklearn side of scripts/speed/trees.mjs: fit + batch predict timings on the same raw f64 file."""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,
                              GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ESTIMATORS = {
    ("decision_tree", "regression"): DecisionTreeRegressor, ("decision_tree", "classification"): DecisionTreeClassifier,
    ("random_forest", "regression"): RandomForestRegressor, ("random_forest", "classification"): RandomForestClassifier,
    ("extra_trees", "regression"): ExtraTreesRegressor, ("extra_trees", "classification"): ExtraTreesClassifier,
    ("gradient_boosting_trees", "regression"): GradientBoostingRegressor,
    ("gradient_boosting_trees", "classification"): GradientBoostingClassifier,
}

file, n, p, task, algorithm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
hyperparams = json.loads(sys.argv[6])
data = np.fromfile(file, dtype="<f8")
x, y = data[: n * p].reshape(n, p), data[n * p: n * p + n]
model = ESTIMATORS[(algorithm, task)](**hyperparams)
t = time.perf_counter()
model.fit(x, y)
fit = time.perf_counter() - t
t = time.perf_counter()
model.predict(x)
predict = time.perf_counter() - t
print(json.dumps({"fit": fit, "predict": predict}))
