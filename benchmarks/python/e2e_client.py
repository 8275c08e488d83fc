"""The Python a pgml-ts user would otherwise write, timed by the end-to-end benchmark (benchmarks/src/e2e).

  train: psycopg2 `COPY (SELECT ...) TO STDOUT WITH CSV` -> pandas -> numpy -> scikit-learn / xgboost with their
         defaults -> train_test_split(test_size=0.25) -> fit -> score -> pickle stored back in a bytea column.
  score: the pickled model read back -> the relation fetched the same way -> predict -> written back with
         `COPY ... FROM STDIN WITH CSV` into a new table, in one transaction.

Prints one JSON object: wall seconds per stage and the key metric. Run with Debian's /usr/bin/python3.
"""
import argparse
import io
import json
import pickle
import time

import numpy as np
import pandas as pd
import psycopg2
import xgboost
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import f1_score, r2_score
from sklearn.model_selection import train_test_split

ESTIMATORS = {
    ("regression", "linear"): LinearRegression,
    ("classification", "linear"): LogisticRegression,
    ("regression", "xgboost"): xgboost.XGBRegressor,
    ("classification", "xgboost"): xgboost.XGBClassifier,
}


class Stages:
    def __init__(self):
        self.last = time.perf_counter()
        self.seconds = {}

    def lap(self, name):
        now = time.perf_counter()
        self.seconds[name] = now - self.last
        self.last = now


def fetch(cur, table, columns):
    """The relation as a DataFrame, through CSV COPY (psycopg2's bulk path)."""
    buffer = io.StringIO()
    quoted = ", ".join(f'"{c}"' for c in columns)
    cur.copy_expert(f"COPY (SELECT {quoted} FROM {table}) TO STDOUT WITH (FORMAT csv, HEADER)", buffer)
    buffer.seek(0)
    return pd.read_csv(buffer)


def features(df, columns, arrays, categorical):
    """X as numpy: arrays parsed from PostgreSQL's '{a,b,...}' text, categories one-hot encoded (pandas)."""
    parts = []
    for column in columns:
        if column in arrays:
            parts.append(np.vstack([np.fromstring(v[1:-1], sep=",") for v in df[column].values]))
        elif column in categorical:
            parts.append(pd.get_dummies(df[column], prefix=column).to_numpy(dtype=np.float64))
        else:
            parts.append(df[[column]].to_numpy(dtype=np.float64))
    return np.hstack(parts)


def train(args):
    stages = Stages()
    conn = psycopg2.connect(args.dsn)
    cur = conn.cursor()
    df = fetch(cur, args.table, args.features + [args.label])
    stages.lap("fetch")
    x = features(df, args.features, args.arrays, args.categorical)
    y = df[args.label].to_numpy()
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0)
    stages.lap("prepare")
    model = ESTIMATORS[(args.task, args.algorithm)]()
    model.fit(x_train, y_train)
    stages.lap("fit")
    predicted = model.predict(x_test)
    metric = r2_score(y_test, predicted) if args.task == "regression" else f1_score(y_test, predicted, average="macro")
    stages.lap("score")
    cur.execute("CREATE TABLE IF NOT EXISTS e2e_client_models (name text PRIMARY KEY, model bytea)")
    cur.execute(
        "INSERT INTO e2e_client_models VALUES (%s, %s) ON CONFLICT (name) DO UPDATE SET model = excluded.model",
        (args.name, psycopg2.Binary(pickle.dumps(model))),
    )
    conn.commit()
    stages.lap("store")
    print(json.dumps({"seconds": stages.seconds, "metric": metric, "rows": int(len(df))}))


def score(args):
    stages = Stages()
    conn = psycopg2.connect(args.dsn)
    cur = conn.cursor()
    cur.execute("SELECT model FROM e2e_client_models WHERE name = %s", (args.name,))
    model = pickle.loads(cur.fetchone()[0])
    df = fetch(cur, args.table, [args.key] + args.features)
    stages.lap("fetch")
    predicted = model.predict(features(df, args.features, args.arrays, args.categorical))
    stages.lap("predict")
    out = io.StringIO()
    pd.DataFrame({args.key: df[args.key], "prediction": predicted}).to_csv(out, index=False, header=False)
    out.seek(0)
    cur.execute(f'DROP TABLE IF EXISTS {args.into}')
    cur.execute(f'CREATE TABLE {args.into} ("{args.key}" bigint, prediction double precision)')
    cur.copy_expert(f'COPY {args.into} FROM STDIN WITH (FORMAT csv)', out)
    conn.commit()
    stages.lap("write")
    print(json.dumps({"seconds": stages.seconds, "rows": int(len(df))}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["train", "score"])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--name", required=True, help="the model's name in e2e_client_models")
    parser.add_argument("--features", required=True, type=lambda s: s.split(","))
    parser.add_argument("--arrays", default=[], type=lambda s: s.split(",") if s else [])
    parser.add_argument("--categorical", default=[], type=lambda s: s.split(",") if s else [])
    parser.add_argument("--label")
    parser.add_argument("--task", choices=["regression", "classification"])
    parser.add_argument("--algorithm", choices=["linear", "xgboost"])
    parser.add_argument("--key")
    parser.add_argument("--into")
    args = parser.parse_args()
    (train if args.command == "train" else score)(args)


if __name__ == "__main__":
    main()
