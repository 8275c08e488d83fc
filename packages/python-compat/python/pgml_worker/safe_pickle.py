"""A restricted unpickler for model bytes that may come from an untrusted database (PostgresML 1.0 pickles).

`pickle` resolves every global through `find_class` before it can call anything, so refusing a global there means
its code never runs. Allowed:
  * classes defined in scikit-learn, NumPy, SciPy or XGBoost modules (the class's own `__module__` is checked too,
    so a name re-exported from another package, e.g. joblib, is refused), minus I/O classes such as numpy.memmap;
  * the few functions those packages' pickles are made of (array/scalar reconstructors, NumPy random state
    constructors, Cython `__pyx_unpickle_*` helpers) and the builtins `bytes`, `bytearray`, `_codecs.encode`,
    `copyreg._reconstructor` used by older protocols.
Everything else (os.system, builtins.eval, numpy.save, sklearn.datasets.fetch_openml, …) raises `RefusedGlobal`.
This is defense in depth, not a sandbox: only load bytes you would otherwise have served with PostgresML.
"""

import io
import pickle

ALLOWED_ROOTS = ("sklearn", "numpy", "scipy", "xgboost")

# Module path components whose contents do file or network I/O, or exist only for tests.
DENIED_COMPONENTS = frozenset(
    {"io", "testing", "_testing", "tests", "distutils", "f2py", "npyio", "_datasource", "datasets", "externals"}
)
DENIED_NAMES = frozenset({"memmap", "DataSource", "load", "save", "fromfile", "tofile", "loadtxt", "savetxt"})

ALLOWED_FUNCTIONS = frozenset(
    {
        # numpy 2 renamed numpy.core to numpy._core; pickles from either are accepted.
        *((core + ".multiarray", "_reconstruct") for core in ("numpy.core", "numpy._core")),
        *((core + ".multiarray", "scalar") for core in ("numpy.core", "numpy._core")),
        *((core + ".numeric", "_frombuffer") for core in ("numpy.core", "numpy._core")),
        ("numpy.random._pickle", "__randomstate_ctor"),
        ("numpy.random._pickle", "__bit_generator_ctor"),
        ("numpy.random._pickle", "__generator_ctor"),
        ("_codecs", "encode"),
        ("copyreg", "_reconstructor"),
    }
)
ALLOWED_BUILTINS = frozenset({"bytes", "bytearray", "object", "set", "frozenset", "slice", "complex"})

# Python 2 era names that protocol 0-2 pickles use.
_RENAMED_MODULES = {"__builtin__": "builtins", "copy_reg": "copyreg"}


class RefusedGlobal(pickle.UnpicklingError):
    def __init__(self, module, name):
        super().__init__(
            f"refused to load global {module}.{name}: not an allowed scikit-learn/numpy/scipy/xgboost name"
        )
        self.global_name = f"{module}.{name}"


def _in_allowed_root(module):
    parts = module.split(".")
    return parts[0] in ALLOWED_ROOTS and not DENIED_COMPONENTS.intersection(parts)


class RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        module = _RENAMED_MODULES.get(module, module)
        if module == "builtins":
            if name in ALLOWED_BUILTINS:
                return super().find_class(module, name)
            raise RefusedGlobal(module, name)
        if (module, name) in ALLOWED_FUNCTIONS:
            return super().find_class(module, name)
        if "." in name or not _in_allowed_root(module) or name in DENIED_NAMES:
            raise RefusedGlobal(module, name)
        value = super().find_class(module, name)
        if isinstance(value, type) and _in_allowed_root(value.__module__):
            return value
        # Cython extension types pickle through a module-level `__pyx_unpickle_<Type>` function.
        if name.startswith("__pyx_unpickle_") and callable(value):
            return value
        raise RefusedGlobal(module, name)

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("persistent ids are not supported in model pickles")


def loads(data):
    return RestrictedUnpickler(io.BytesIO(data)).load()
