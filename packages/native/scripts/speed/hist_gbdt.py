"""sklearn side of the hist_gradient_boosting speed comparison (scripts/speed/hist_gbdt.mjs reads the same data).

usage: /usr/bin/python3 scripts/speed/hist_gbdt.py  → writes /tmp/pgml-hgb-speed/*.f64 and prints one JSON line per
case: best-of-3 fit and batch-predict seconds of HistGradientBoostingRegressor/Classifier (random_state=0; 100k rows
turn early_stopping='auto' on, as in the native run).
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "references"))
from fixtures import load_split  # noqa: E402

DIR = "/tmp/pgml-hgb-speed"


def synthetic(rows, cols, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(rows, cols))
    y = np.sin(x[:, 0]) * 3 + x[:, 1] * x[:, 2] + np.abs(x[:, 3]) + 0.5 * rng.normal(size=rows)
    return x, y


def main():
    os.makedirs(DIR, exist_ok=True)
    x, y = synthetic(100_000, 20)
    ycls = (y > np.median(y)).astype(np.float64)
    dx, dy, _, _, _ = load_split("digits")
    xm, ym = synthetic(1_000_000, 20, seed=1)
    for name, a in [("x100k", x), ("y100k", y), ("ycls100k", ycls), ("xdigits", dx), ("ydigits", dy[:, 0]),
                    ("x1m", xm), ("y1m", ym)]:
        np.ascontiguousarray(a, dtype="<f8").tofile(os.path.join(DIR, name + ".f64"))
    cases = [
        ("regression 100k x 20", HistGradientBoostingRegressor, x, y),
        ("binary 100k x 20", HistGradientBoostingClassifier, x, ycls),
        ("digits (10 classes)", HistGradientBoostingClassifier, dx, dy[:, 0]),
    ]
    for case, estimator, xs, ys in cases:
        best_fit = best_predict = float("inf")
        for _ in range(3):
            model = estimator(random_state=0)
            t = time.perf_counter()
            model.fit(xs, ys)
            best_fit = min(best_fit, time.perf_counter() - t)
            t = time.perf_counter()
            model.predict(xs)
            best_predict = min(best_predict, time.perf_counter() - t)
        print(json.dumps({"case": case, "fit_s": best_fit, "predict_s": best_predict, "n_iter": int(model.n_iter_)}),
              flush=True)


if __name__ == "__main__":
    main()
