#!/usr/bin/python3
"""Speed of scikit-learn's SVC / SVR / LinearSVC / LinearSVR on the data the native side times (scripts/speed/svm.mjs).

Writes the synthetic sets as raw little-endian f64 (X rows × 20, then y) under /tmp/pgml-svm-speed/ and prints one JSON
line per case: {case, fit_s, predict_s}. Kernel SVMs train on 20k rows (libsvm is O(n²) and a 100k fit takes many
minutes on the shared 2 cores); the linear ones on 100k. Every case predicts 100k rows.
"""
import json
import os
import sys
import time
import warnings

import numpy as np
from sklearn.svm import SVC, SVR, LinearSVC, LinearSVR

OUT = "/tmp/pgml-svm-speed"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "references"))
from fixtures import load_split  # noqa: E402


def synthetic():
    rng = np.random.RandomState(0)
    x = rng.normal(size=(100_000, 20))
    w = rng.normal(size=20)
    score = x @ w + 0.5 * np.sin(3 * x[:, 0])
    y_class = (score + rng.normal(scale=0.5, size=len(x)) > 0).astype(np.float64)
    y_reg = score + rng.normal(scale=0.3, size=len(x))
    os.makedirs(OUT, exist_ok=True)
    x.astype("<f8").tofile(os.path.join(OUT, "x.f64"))
    y_class.astype("<f8").tofile(os.path.join(OUT, "y_class.f64"))
    y_reg.astype("<f8").tofile(os.path.join(OUT, "y_reg.f64"))
    return x, y_class, y_reg


def timed(case, model, x, y, x_predict):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        model.fit(x, y)
        fit_s = time.perf_counter() - t
    t = time.perf_counter()
    model.predict(x_predict)
    predict_s = time.perf_counter() - t
    print(json.dumps({"case": case, "fit_s": fit_s, "predict_s": predict_s}), flush=True)


def main():
    x, y_class, y_reg = synthetic()
    small = 20_000
    timed("synthetic SVC (20k fit)", SVC(), x[:small], y_class[:small], x)
    timed("synthetic SVR (20k fit)", SVR(), x[:small], y_reg[:small], x)
    timed("synthetic LinearSVC (100k)", LinearSVC(random_state=0), x, y_class, x)
    timed("synthetic LinearSVR (100k)", LinearSVR(random_state=0), x, y_reg, x)
    dx, dy, dxt, _, _ = load_split("digits")
    big = np.tile(dxt, (100_000 // len(dxt) + 1, 1))[:100_000]
    big.astype("<f8").tofile(os.path.join(OUT, "digits_predict.f64"))
    dx.astype("<f8").tofile(os.path.join(OUT, "digits_x.f64"))
    dy[:, 0].astype("<f8").tofile(os.path.join(OUT, "digits_y.f64"))
    timed("digits SVC", SVC(), dx, dy[:, 0], big)
    timed("digits SVC probability", SVC(probability=True, random_state=0), dx, dy[:, 0], big)
    timed("digits LinearSVC", LinearSVC(random_state=0), dx, dy[:, 0], big)


if __name__ == "__main__":
    main()
