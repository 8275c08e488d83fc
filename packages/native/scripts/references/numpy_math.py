"""numpy's float64 exp and log on seeded arguments, for the native port of them (crates/ml-trees/src/numpy.rs).

Run with Debian's python: /usr/bin/python3 scripts/references/numpy_math.py → test/fixtures/ml/numpy_math.f64.

On x86-64 CPUs with AVX-512, numpy 1.24 (built with Intel's SVML, as Debian's and the PyPI wheels are) computes these
with SVML kernels that differ from the C library in the last bit for about a quarter of all arguments; gradient
boosting's log loss uses them. The file holds, as little-endian float64: N exp arguments, np.exp of them, N log
arguments, np.log of them (N = 4096) — arguments spread over the ranges boosting meets (scores, probabilities) and
beyond, plus edge cases. It must be generated on an AVX-512 machine (the script refuses otherwise): the native test
checks its SVML ports against it.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import numpy_math  # noqa: E402

N = 4096
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "ml", "numpy_math.f64")


def main():
    if numpy_math() != "svml":
        sys.exit("numpy takes the C library's exp/log on this CPU (no AVX-512): run this on an AVX-512 machine")
    rs = np.random.RandomState(20240915)
    exp_args = np.concatenate([
        [0.0, -0.0, 1.0, -1.0, 1e-300, -1e-20, 700.0, -700.0],
        rs.uniform(-40, 40, 3000), rs.uniform(-700, 700, 600), rs.uniform(-1e-3, 1e-3, 488),
    ])[:N]
    log_args = np.concatenate([
        [1.0, 2.0, 0.5, 0.75, 1e-300, 5e-324, 1.0 - 2.0 ** -53, 1.0 + 2.0 ** -52],
        rs.uniform(0, 1, 2000), np.exp(rs.uniform(-700, 700, 1000)), rs.uniform(0.5, 2, 1088),
    ])[:N]
    assert len(exp_args) == N and len(log_args) == N
    np.concatenate([exp_args, np.exp(exp_args), log_args, np.log(log_args)]).astype("<f8").tofile(OUT)
    print(f"wrote {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
