"""Shared by every scripts/references/<family>.py: the committed split and the reference-case file format.

The split (permuted rows of the six bundled datasets, first `trainRows` train) is written ONCE by
scripts/make-ml-references.py into test/fixtures/ml/<dataset>.f64 + references.json["datasets"]; family scripts read
it back from there so every family is compared on exactly the same rows. Run family scripts with /usr/bin/python3.
"""
import json
import os
import sys

import numpy as np
import scipy
import sklearn
from sklearn.metrics import (accuracy_score, f1_score, mean_absolute_error, mean_squared_error, r2_score,
                             silhouette_score)

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "ml")


def datasets():
    with open(os.path.join(FIXTURES, "references.json")) as f:
        return json.load(f)["datasets"]


def load_split(name):
    """(x_train, y_train, x_test, y_test, info) exactly as the TS tests' loadSplit() sees them."""
    info = datasets()[name]
    width = info["features"] + info["targets"]
    data = np.fromfile(os.path.join(FIXTURES, info["file"]), dtype="<f8").reshape(info["rows"], width)
    x, y = data[:, :info["features"]], data[:, info["features"]:]
    n = info["trainRows"]
    return x[:n], y[:n], x[n:], y[n:], info


def key_metrics(task, y_true, pred, x=None):
    """The metrics PostgresML stores per task, as scikit-learn defines them."""
    if task == "classification":
        return {"f1": f1_score(y_true, pred, average="macro"), "accuracy": accuracy_score(y_true, pred)}
    if task == "regression":
        return {"r2": r2_score(y_true, pred), "mean_absolute_error": mean_absolute_error(y_true, pred),
                "mean_squared_error": mean_squared_error(y_true, pred)}
    if task == "clustering":
        return {"silhouette": silhouette_score(x, pred)}
    raise ValueError(task)


def numpy_math():
    """Which float64 exp/log numpy 1.24 (built with SVML, as Debian's) computes here: "svml" on CPUs with AVX-512
    F, CD, BW, DQ and VL (numpy's AVX512_SKX target), else "libm" (the C library)."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        flags = []
    return "svml" if {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"} <= set(flags) else "libm"


def write_cases(family, cases, generator, **extra):
    """Writes test/fixtures/ml/<family>.json: {generator, versions, cases} plus any `extra` top-level fields (e.g.
    `datasets`: infos of a family's own synthetic sets, in references.json's format)."""
    out = {
        "generator": generator,
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        **extra,
        "cases": cases,
    }
    path = os.path.join(FIXTURES, family + ".json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(path)}", file=sys.stderr)
