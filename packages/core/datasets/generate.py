#!/usr/bin/env python3
"""Regenerates the committed toy datasets from scikit-learn, in the table layout PostgresML 2.x's
pgml.load_dataset() creates (pgml-extension/src/orm/dataset.rs). Run with Debian's /usr/bin/python3:

    /usr/bin/python3 packages/core/datasets/generate.py

Each <name>.csv.gz has a header row naming the table's columns in order; array columns span several fields
(`image[1]`…`image[64]` for digits). REAL values are written as the shortest decimal that parses back to the same
float32, so loading them into a REAL column is exact."""
import csv
import gzip
import io
import os

import numpy as np
import sklearn
import sklearn.datasets as ds

HERE = os.path.dirname(os.path.abspath(__file__))


def f4(value):
    return str(np.float32(value))


def write(name, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    # mtime=0 keeps the bytes reproducible.
    with open(os.path.join(HERE, f"{name}.csv.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9, filename="") as gz:
            gz.write(buf.getvalue().encode())


def main():
    iris = ds.load_iris()
    write("iris", ["sepal_length", "sepal_width", "petal_length", "petal_width", "target"],
          [[*map(f4, x), int(y)] for x, y in zip(iris.data, iris.target)])

    digits = ds.load_digits()
    write("digits", [f"image[{i + 1}]" for i in range(64)] + ["target"],
          [[*map(int, x), int(y)] for x, y in zip(digits.data, digits.target)])

    # PostgresML stores the mean-centered, scaled features that load_diabetes() returns by default.
    diabetes = ds.load_diabetes()
    write("diabetes", ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "target"],
          [[*map(f4, x), f4(y)] for x, y in zip(diabetes.data, diabetes.target)])

    # PostgresML names feature 10 `hue` and feature 11 `color_intensity` (scikit-learn has them the other way
    # round) and its INSERT swaps them back, so the values sit in scikit-learn's order under swapped names.
    wine = ds.load_wine()
    wine_header = list(wine.feature_names)
    assert wine_header[9] == "color_intensity" and wine_header[10] == "hue"
    wine_header[9], wine_header[10] = "hue", "color_intensity"
    write("wine", wine_header + ["target"], [[*map(f4, x), int(y)] for x, y in zip(wine.data, wine.target)])

    linnerud = ds.load_linnerud()
    write("linnerud", ["chins", "situps", "jumps", "weight", "waist", "pulse"],
          [[*map(f4, x), *map(f4, y)] for x, y in zip(linnerud.data, linnerud.target)])

    # scikit-learn's target is 0 for malignant; PostgresML stores `malignant BOOLEAN` = (target == 0).
    cancer = ds.load_breast_cancer()
    write("breast_cancer", [*cancer.feature_names, "malignant"],
          [[*map(f4, x), "true" if y == 0 else "false"] for x, y in zip(cancer.data, cancer.target)])

    print(f"wrote 6 datasets from scikit-learn {sklearn.__version__}")


if __name__ == "__main__":
    main()
