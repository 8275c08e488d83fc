"""Entry point: `python3 -m pgml_worker`. Frames on stdin/stdout (protocol.py); everything else goes to stderr."""

import os
import pickle
import sys
import time
import traceback
import warnings

from . import protocol
from .algorithms import APT_PACKAGES, AlgorithmError

METHODS = ("ping", "fit", "load", "predict", "predict_proba", "decision_function", "importances", "free")


def _open_channels():
    """Keeps the real stdout for frames only; fd 1 then points at stderr so stray prints (ours, sklearn's,
    libxgboost's C-level printf) can never corrupt the frame stream."""
    frames = os.fdopen(os.dup(1), "wb", buffering=1 << 16)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return sys.stdin.buffer, frames


def _versions():
    """-> (versions, missing required package or None)."""
    import platform

    versions = {"python": platform.python_version(), "numpy": None, "scipy": None, "sklearn": None, "xgboost": None}
    for module in ("numpy", "scipy", "sklearn", "xgboost"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            if module != "xgboost":
                return versions, module
    return versions, None


class Worker:
    def __init__(self):
        self.models = {}

    # ---- methods (header, buffers) -> (result, buffers) ----

    def ping(self, header, buffers):
        time.sleep(header.get("delayMs", 0) / 1000)
        return {"pid": os.getpid()}, []

    def fit(self, header, buffers):
        from . import estimators

        task = header["task"]
        y = buffers[1] if len(buffers) > 1 else None
        num_targets = y.shape[1] if y is not None else 1
        estimator = estimators.build(header["algorithm"], task, header.get("hyperparams") or {}, num_targets)
        if header.get("validateOnly"):
            return {}, []
        x = buffers[0]
        started = time.perf_counter()
        try:
            estimators.fit(estimator, task, x, y)
        except ValueError as error:
            raise estimators.WorkerError("DATA_ERROR", f"{header['algorithm']} fit failed: {error}") from error
        fit_time = time.perf_counter() - started
        self.models[header["key"]] = (estimator, task)
        result = estimators.describe(estimator, task)
        result["fitTime"] = fit_time
        return result, [pickle.dumps(estimator, protocol=pickle.HIGHEST_PROTOCOL)]

    def load(self, header, buffers):
        from . import estimators, safe_pickle

        task = header["task"]
        try:
            estimator = safe_pickle.loads(buffers[0])
        except safe_pickle.RefusedGlobal as error:
            raise estimators.WorkerError("CORRUPT_MODEL", str(error), refused=error.global_name) from error
        except Exception as error:  # truncated or foreign bytes raise anything from EOFError to KeyError
            reason = f"not a loadable pickle: {type(error).__name__}: {error}"
            raise estimators.WorkerError("CORRUPT_MODEL", reason) from error
        if not any(hasattr(estimator, m) for m in ("predict", "transform", "fit_predict")):
            reason = f"the pickle holds a {type(estimator).__name__}, not an estimator"
            raise estimators.WorkerError("CORRUPT_MODEL", reason)
        self.models[header["key"]] = (estimator, task)
        return estimators.describe(estimator, task), []

    def _model(self, header):
        from .estimators import WorkerError

        try:
            return self.models[header["key"]]
        except KeyError:
            raise WorkerError("UNKNOWN_MODEL", f"model {header['key']} is not loaded in this worker") from None

    def predict(self, header, buffers):
        from . import estimators

        estimator, task = self._model(header)
        try:
            return {}, [estimators.predict(estimator, task, buffers[0])]
        except ValueError as error:  # scikit-learn's input checks (NaN, infinity, too large for float64), as in fit
            raise estimators.WorkerError("DATA_ERROR", f"predict failed: {error}") from error

    def predict_proba(self, header, buffers):
        from . import estimators

        estimator, _ = self._model(header)
        try:
            return {}, [estimators.predict_proba(estimator, buffers[0], header.get("numClasses"))]
        except ValueError as error:
            raise estimators.WorkerError("DATA_ERROR", f"predict_proba failed: {error}") from error

    def decision_function(self, header, buffers):
        from . import estimators

        estimator, _ = self._model(header)
        try:
            return {}, [estimators.decision_function(estimator, buffers[0])]
        except ValueError as error:
            raise estimators.WorkerError("DATA_ERROR", f"decision_function failed: {error}") from error

    def importances(self, header, buffers):
        from . import estimators, explain

        estimator, task = self._model(header)
        return {"importances": explain.feature_importances(estimator, task, estimators.num_features(estimator))}, []

    def free(self, header, buffers):
        for key in header["keys"]:
            self.models.pop(key, None)
        return {"loaded": len(self.models)}, []

    def handle(self, header, buffers):
        from .estimators import WorkerError

        method = header.get("method")
        if method not in METHODS:
            return {"ok": False, "error": {"code": "PYTHON_WORKER", "message": f"unknown method {method!r}"}}, []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result, out = getattr(self, method)(header, buffers)
            except (WorkerError, AlgorithmError) as error:
                details = getattr(error, "details", {})
                return {"ok": False, "error": {"code": error.code, "message": str(error), "details": details}}, []
            except Exception as error:
                return {
                    "ok": False,
                    "error": {
                        "code": "PYTHON_WORKER",
                        "message": f"{type(error).__name__}: {error}",
                        "traceback": traceback.format_exc(limit=8),
                    },
                }, []
        messages = list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
        return {"ok": True, "result": result, "warnings": messages}, out


def main():
    stdin, frames = _open_channels()
    versions, missing = _versions()
    if missing:
        protocol.write_frame(
            frames,
            {
                "id": 0,
                "ok": False,
                "error": {
                    "code": "PYTHON_UNAVAILABLE",
                    "message": f"{sys.executable} cannot import {missing}; install it with: "
                    f"apt-get install -y {APT_PACKAGES[missing]} (or point PGML_PYTHON at a Python that has it)",
                    "details": {"versions": versions, "missing": missing},
                },
            },
        )
        return 3
    protocol.write_frame(frames, {"id": 0, "ok": True, "result": {"versions": versions, "pid": os.getpid()}})
    worker = Worker()
    while True:
        try:
            header, buffers = protocol.read_frame(stdin)
        except protocol.EndOfInput:
            return 0
        response, out = worker.handle(header, buffers)
        response["id"] = header.get("id")
        protocol.write_frame(frames, response, out)


if __name__ == "__main__":
    sys.exit(main())
