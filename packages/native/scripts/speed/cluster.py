"""sklearn side of scripts/speed/cluster.mjs: fit / batch-predict seconds for the same raw f64 data.

usage: /usr/bin/python3 cluster.py <x.f64> <rows> <cols> <y.f64|-> → one JSON line per algorithm.
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import ElasticNet, Lasso

warnings.simplefilter("ignore")
path, rows, cols, ypath = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x = np.fromfile(path, dtype="<f8").reshape(rows, cols)
y = None if ypath == "-" else np.fromfile(ypath, dtype="<f8")
estimators = {
    "kmeans": lambda: KMeans(random_state=0, n_init=10),
    "mini_batch_kmeans": lambda: MiniBatchKMeans(random_state=0, n_init=3),
    "pca": lambda: PCA(),
    "lasso": lambda: Lasso(alpha=0.01),
    "elastic_net": lambda: ElasticNet(alpha=0.01),
}
for name, make in estimators.items():
    supervised = name in ("lasso", "elastic_net")
    if supervised and y is None:
        continue
    best_fit = best_predict = float("inf")
    for _ in range(3):
        model = make()
        t = time.perf_counter()
        model.fit(x, y) if supervised else model.fit(x)
        best_fit = min(best_fit, time.perf_counter() - t)
        t = time.perf_counter()
        model.transform(x) if name == "pca" else model.predict(x)
        best_predict = min(best_predict, time.perf_counter() - t)
    print(json.dumps({"algorithm": name, "fit": best_fit, "predict": best_predict}), flush=True)
