"""References for the clustering + decomposition family (KMeans, MiniBatchKMeans, PCA) from scikit-learn 1.2.1.

Run with Debian's python: /usr/bin/python3 scripts/references/cluster.py  → test/fixtures/ml/cluster.json.
Each case fits on the committed train split's X and records what test/ml-cluster.test.ts compares:
- clustering: centers, inertia, train/test labels, and the key metric as core computes it on held-out rows
  (silhouette of the test rows with their predicted clusters) plus the train silhouette;
- decomposition: components_, explained_variance(_ratio_), the test transform, and the cumulative explained variance
  of the test rows (core's decomposition metric) plus Σ explained_variance_ratio_.
"""
import os
import sys
import warnings

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import load_split, write_cases  # noqa: E402

CLUSTER_DATASETS = ["iris", "wine", "breast_cancer", "digits"]


def clustering_case(name, estimator, algorithm, hyperparams):
    x, _, xt, _, info = load_split(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # n_init's FutureWarning, ConvergenceWarning on duplicates
        model = estimator(**hyperparams).fit(x)
    train_labels = model.predict(x)
    test_labels = model.predict(xt)
    return {
        "dataset": name, "task": "clustering", "algorithm": algorithm, "estimator": estimator.__name__,
        "hyperparams": hyperparams,
        "centers": model.cluster_centers_.tolist(),
        "inertia": float(model.inertia_),
        "nIter": int(model.n_iter_),
        "trainLabels": train_labels.tolist(),
        "testLabels": test_labels.tolist(),
        "metrics": {
            "silhouette": float(silhouette_score(xt, test_labels)) if len(set(test_labels)) > 1 else 0.0,
            "trainSilhouette": float(silhouette_score(x, train_labels)),
        },
    }


def pca_case(name, hyperparams):
    x, _, xt, _, info = load_split(name)
    model = PCA(**hyperparams).fit(x)
    transformed = model.transform(xt)
    total = np.var(xt, axis=0, ddof=1).sum()
    return {
        "dataset": name, "task": "decomposition", "algorithm": "pca", "estimator": "PCA",
        "hyperparams": hyperparams,
        "nComponents": int(model.n_components_),
        # 'auto' picks the randomized solver for larger X; only full-SVD fits are expected to match to 1e-8.
        "svdSolver": model._fit_svd_solver,
        "mean": model.mean_.tolist(),
        "components": model.components_.tolist(),
        "explainedVariance": model.explained_variance_.tolist(),
        "explainedVarianceRatio": model.explained_variance_ratio_.tolist(),
        "testTransform": transformed.tolist(),
        "metrics": {
            "cumulative_explained_variance": float(np.var(transformed, axis=0, ddof=1).sum() / total),
            "trainCumulativeExplainedVariance": float(model.explained_variance_ratio_.sum()),
        },
    }


def main():
    cases = []
    for name in CLUSTER_DATASETS:
        _, _, _, _, info = load_split(name)
        classes = info["numClasses"]
        for hp in [{"random_state": 0}, {"n_clusters": classes, "random_state": 0}]:
            cases.append(clustering_case(name, KMeans, "kmeans", hp))
        cases.append(clustering_case(name, MiniBatchKMeans, "mini_batch_kmeans", {"random_state": 0}))
        cases.append(clustering_case(name, MiniBatchKMeans, "mini_batch_kmeans",
                                     {"n_clusters": classes, "random_state": 0, "batch_size": 64}))
        for hp in [{}, {"n_components": 2}, {"n_components": 0.95, "whiten": True}]:
            cases.append(pca_case(name, hp))
    cases.append(clustering_case("wine", KMeans, "kmeans", {"algorithm": "elkan", "random_state": 3}))
    cases.append(clustering_case("digits", KMeans, "kmeans", {"init": "random", "n_init": 4, "random_state": 7}))
    cases.append(clustering_case("iris", KMeans, "kmeans", {"n_clusters": 4, "n_init": "auto", "tol": 0.0,
                                                            "random_state": 11}))
    write_cases("cluster", cases, "scripts/references/cluster.py")


if __name__ == "__main__":
    main()
