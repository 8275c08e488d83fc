"""scikit-learn timed inside Python, for the parity suite's `sklearn-inprocess` runner.

The same estimators as the pgml-ts python worker (its own table and build/fit/predict, imported from
packages/python-compat/python, never a second copy), on the same data read from raw little-endian f64 files, timed
with time.perf_counter — so the worker's bridge overhead shows as the gap between `python` and this runner.

Protocol: one JSON object per line on stdin (a job), one JSON object per line on stdout (its result or error).
Predictions are written to the job's `predictions` path as raw f64. Run with /usr/bin/python3 (Debian sklearn).
"""

import json
import os
import pickle
import sys
import time

import numpy as np

MIN_BATCH_SECONDS = 0.02


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def reset_peak():
    """Resets VmHWM (Linux clear_refs 5) so the peak after a fit is that fit's peak; False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


_cache = {}


def matrix(path, cols):
    key = (path, cols)
    if key not in _cache:
        _cache[key] = np.fromfile(path, dtype="<f8").reshape(-1, cols)
    return _cache[key]


def run(job, estimators):
    x = matrix(job["trainX"], job["cols"])
    y = matrix(job["trainY"], job["yCols"]) if job.get("trainY") else None
    test = matrix(job["testX"], job["cols"])
    task = job["task"]
    estimator = estimators.build(job["algorithm"], task, job["hyperparams"], 1 if y is None else y.shape[1])
    rss_before = status_kb("VmRSS")
    can_reset = reset_peak()
    start = time.perf_counter()
    estimators.fit(estimator, task, x, y)
    fit_ms = (time.perf_counter() - start) * 1000
    peak = status_kb("VmHWM")
    memory = (
        {"peakRssBytes": peak * 1024, "fitExtraBytes": max(0, peak - rss_before) * 1024}
        if can_reset and peak is not None and rss_before is not None
        else None
    )

    start = time.perf_counter()
    predictions = estimators.predict(estimator, task, test)
    batch = time.perf_counter() - start
    if batch < MIN_BATCH_SECONDS:
        repeats = min(1000, int(MIN_BATCH_SECONDS / max(batch, 1e-5)) + 1)
        start = time.perf_counter()
        for _ in range(repeats):
            estimators.predict(estimator, task, test)
        batch = (time.perf_counter() - start) / repeats
    single = []
    single_start = time.perf_counter()
    for i in range(job["singleRowCalls"]):
        if i >= job["minSingleRowCalls"] and (time.perf_counter() - single_start) * 1000 > job["singleRowBudgetMs"]:
            break
        row = test[i % test.shape[0]].reshape(1, -1)
        t0 = time.perf_counter()
        estimators.predict(estimator, task, row)
        single.append((time.perf_counter() - t0) * 1000)
    np.ascontiguousarray(predictions, dtype="<f8").tofile(job["predictions"])
    return {
        "fitMs": fit_ms,
        "batchPredictMs": batch * 1000,
        "singleRowMs": single,
        "outputs": int(predictions.shape[1]),
        "modelBytes": len(pickle.dumps(estimator)),
        "memory": memory,
    }


def main():
    sys.path.insert(0, sys.argv[1])  # packages/python-compat/python
    import warnings

    from pgml_worker import estimators

    warnings.simplefilter("ignore")  # ConvergenceWarning etc.: the worker reports them; timings don't care
    import sklearn

    hello = {"ready": True, "sklearn": sklearn.__version__, "numpy": np.__version__, "pid": os.getpid()}
    sys.stdout.write(json.dumps(hello) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        job = json.loads(line)
        try:
            reply = run(job, estimators)
        except Exception as error:  # the suite records the failure for this cell and goes on
            reply = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
