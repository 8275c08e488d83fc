"""python-xgboost side of scripts/speed/xgboost.mjs: fit / batch predict / one-row predict seconds on the same raw
f64 data, in-process (no worker round trip), with the estimators PostgresML builds (default hyperparameters).

usage: /usr/bin/python3 xgboost.py <x.f64> <rows> <cols> <y.f64> <regression|classification> [--memory NAME]
→ one JSON line per estimator; with --memory, fits NAME once and prints its peak RSS.
"""
import json
import os
import resource
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
# This file is named xgboost.py: keep its folder off the path while importing the real package.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
from xgboost import XGBClassifier, XGBRegressor, XGBRFClassifier, XGBRFRegressor  # noqa: E402

path, rows, cols, ypath, task = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
x = np.fromfile(path, dtype="<f8").reshape(rows, cols)
y = np.fromfile(ypath, dtype="<f8")
estimators = {
    "regression": {"xgboost": XGBRegressor, "xgboost_random_forest": XGBRFRegressor},
    "classification": {"xgboost": XGBClassifier, "xgboost_random_forest": XGBRFClassifier},
}[task]
repeats = 2 if rows > 10_000 else 3

if len(sys.argv) > 7 and sys.argv[6] == "--memory":
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    estimators[sys.argv[7]]().fit(x, y)
    print(json.dumps({"before": before, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
    sys.exit(0)

for name, make in estimators.items():
    best_fit = best_predict = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        model = make().fit(x, y)
        best_fit = min(best_fit, time.perf_counter() - t)
        t = time.perf_counter()
        model.predict(x)
        best_predict = min(best_predict, time.perf_counter() - t)
    n = 200
    t = time.perf_counter()
    for i in range(n):
        model.predict(x[i:i + 1])
    one_row = (time.perf_counter() - t) / n
    print(json.dumps({"algorithm": name, "fit": best_fit, "predict": best_predict, "oneRow": one_row}), flush=True)
