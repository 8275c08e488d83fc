/**
 * PostgresML 1.0's way of training, reproduced as a PL/Python function: `plpy.execute('SELECT * FROM relation')`
 * (1.0's `Snapshot.data()`), a Python loop building X and y (arrays flattened, categories one-hot encoded by hand,
 * as 1.0 had no preprocessing), numpy, `train_test_split(test_size=0.25)`, scikit-learn / xgboost with defaults,
 * `pickle.dumps` stored in a bytea column — all inside the database backend.
 */
import type pg from 'pg';

export const PLPYTHON_TRAIN = 'e2e_plpython_train';

const BODY = `
import json, pickle, time
import numpy as np
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import f1_score, r2_score
from sklearn.model_selection import train_test_split
import xgboost

stages = {}
clock = [time.perf_counter()]
def lap(name):
    now = time.perf_counter()
    stages[name] = now - clock[0]
    clock[0] = now

rows = plpy.execute('SELECT * FROM ' + plpy.quote_ident(relation))
lap('fetch')
array_set, categorical_set = set(arrays or []), set(categorical or [])
levels = {c: {} for c in categorical_set}
for row in rows:
    for c in categorical_set:
        levels[c].setdefault(row[c], len(levels[c]))
X, y = [], []
for row in rows:
    x = []
    for c in features:
        v = row[c]
        if c in array_set:
            x.extend(v)
        elif c in categorical_set:
            one_hot = [0.0] * len(levels[c])
            one_hot[levels[c][v]] = 1.0
            x.extend(one_hot)
        else:
            x.append(v)
    X.append(x)
    y.append(row[label])
X, y = np.array(X, dtype=np.float64), np.array(y)
x_train, x_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
lap('prepare')
estimators = {
    ('regression', 'linear'): LinearRegression,
    ('classification', 'linear'): LogisticRegression,
    ('regression', 'xgboost'): xgboost.XGBRegressor,
    ('classification', 'xgboost'): xgboost.XGBClassifier,
}
model = estimators[(task, algorithm)]()
model.fit(x_train, y_train)
lap('fit')
predicted = model.predict(x_test)
metric = r2_score(y_test, predicted) if task == 'regression' else f1_score(y_test, predicted, average='macro')
lap('score')
plan = plpy.prepare('INSERT INTO e2e_plpython_models VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET model = excluded.model', ['text', 'bytea'])
plpy.execute(plan, [name, pickle.dumps(model)])
lap('store')
return json.dumps({'seconds': stages, 'metric': float(metric), 'rows': len(rows)})
`;

/** Installs the function (and its model table); a server without plpython3u reports why instead. */
export async function installPlpython(client: pg.Client): Promise<string | undefined> {
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS plpython3u');
    await client.query('CREATE TABLE IF NOT EXISTS e2e_plpython_models (name text PRIMARY KEY, model bytea)');
    await client.query(`CREATE OR REPLACE FUNCTION ${PLPYTHON_TRAIN}(
        relation text, label text, task text, algorithm text, features text[], arrays text[], categorical text[], name text)
      RETURNS text LANGUAGE plpython3u AS $$${BODY}$$`);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
