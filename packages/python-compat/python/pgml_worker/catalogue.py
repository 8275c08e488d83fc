"""Each estimator's hyperparameters as the library validates them, for the algorithm catalogue.

scikit-learn (>= 1.2) declares `_parameter_constraints`, which `estimators.build` checks through `_validate_params`:
the specs here are read from those same declarations, so the catalogue says what the worker enforces. Only values
JSON can carry are listed (callables, estimator instances and arrays of samples cannot come through pgml.train).
XGBoost declares nothing: its parameters are listed with their defaults and no `accepts` (the library checks them when
it fits). The output shape is `HyperparamSpec` in packages/core/src/catalogue/hyperparams.ts.
"""

import inspect
import json
import math
import numbers

from .algorithms import estimator_class
from .estimators import XGBOOST_DEFAULTS

# numpy's RandomState takes seeds in [0, 2**32 - 1].
MAX_SEED = 2**32 - 1


def _interval(constraint):
    kind = "integer" if issubclass(constraint.type, numbers.Integral) else "number"
    spec = {"type": kind}
    if constraint.left is not None:
        spec["min"] = constraint.left
        spec["minExclusive"] = constraint.closed in ("right", "neither")
    if constraint.right is not None:
        spec["max"] = constraint.right
        spec["maxExclusive"] = constraint.closed in ("left", "neither")
    return spec


def _constraint(c):
    """One sklearn constraint -> the JSON alternatives it admits ([] for what JSON cannot express)."""
    if getattr(c, "hidden", False) or type(c).__name__ == "Hidden":
        return []  # private or deprecated spellings sklearn hides from its own messages
    if c is None:
        return [{"type": "null"}]
    if isinstance(c, str):
        return {
            "boolean": [{"type": "boolean"}],
            "verbose": [{"type": "integer", "min": 0, "minExclusive": False}, {"type": "boolean"}],
            "random_state": [
                {"type": "integer", "min": 0, "minExclusive": False, "max": MAX_SEED, "maxExclusive": False},
                {"type": "null"},
            ],
            "array-like": [{"type": "array"}],
            "cv_object": [{"type": "integer", "min": 2, "minExclusive": False}, {"type": "null"}],
            "missing_values": [{"type": "number"}, {"type": "string"}, {"type": "null"}],
        }.get(c, [])
    name = type(c).__name__
    if name == "Interval":
        return [_interval(c)]
    if name == "StrOptions":
        return [{"type": "string", "choices": sorted(c.options - getattr(c, "deprecated", set()))}]
    if name == "Options":
        return [{"type": "number" if issubclass(c.type, numbers.Real) else "string", "choices": sorted(c.options)}]
    if isinstance(c, type):
        if issubclass(c, bool):
            return [{"type": "boolean"}]
        if issubclass(c, numbers.Integral):
            return [{"type": "integer"}]
        if issubclass(c, numbers.Real):
            return [{"type": "number"}]
        if issubclass(c, str):
            return [{"type": "string"}]
        if issubclass(c, dict):
            return [{"type": "object"}]
        if issubclass(c, (list, tuple)) or c.__name__ == "ndarray":
            return [{"type": "array"}]
    return []  # callables, HasMethods (estimator instances), sparse matrices: not expressible in JSON


def _default(value):
    """-> (JSON default, text when the default is not a JSON value)."""
    if value is None or isinstance(value, (bool, str, int)):
        return value, None
    if isinstance(value, float):
        return (value, None) if math.isfinite(value) else (None, repr(value))
    return None, repr(value)


def hyperparams(cls):
    """[{name, default, defaultText?, accepts?}, …] in constructor order."""
    defaults = cls().get_params(deep=False)
    if cls.__module__.startswith("xgboost"):
        defaults.update(XGBOOST_DEFAULTS)
    constraints = getattr(cls, "_parameter_constraints", None)
    specs = []
    for name in inspect.signature(cls.__init__).parameters:
        if name not in defaults:
            continue  # self, **kwargs
        default, text = _default(defaults[name])
        spec = {"name": name, "default": default}
        if text is not None:
            spec["defaultText"] = text
        if constraints is not None and constraints.get(name, "no_validation") != "no_validation":
            accepts = [alt for c in constraints[name] for alt in _constraint(c)]
            # Two constraints can admit the same JSON alternative (Integral and "verbose"): keep the first.
            spec["accepts"] = list({json.dumps(a, sort_keys=True): a for a in accepts}.values())
        specs.append(spec)
    # XGBoost's get_params lists only the constructor's named parameters; other booster parameters pass as kwargs.
    for name in sorted(set(defaults) - {s["name"] for s in specs}):
        default, text = _default(defaults[name])
        specs.append({"name": name, "default": default, **({"defaultText": text} if text is not None else {})})
    return specs


def estimator(algorithm, task):
    cls = estimator_class(algorithm, task)
    return {"predictProba": hasattr(cls, "predict_proba"), "hyperparams": hyperparams(cls)}
