/**
 * Reference metrics straight from scikit-learn (Debian's /usr/bin/python3), on the same rows and split as the
 * contract train: `last` sampling is deterministic, and features are rounded to float32 as the REAL columns hold them.
 * `testSize` is a fraction or a row count; pass counts where rows × fraction ends in .5 (Python rounds half to even).
 */
import { execFileSync } from 'node:child_process';

const PYTHON = process.env.PGML_PYTHON ?? '/usr/bin/python3';

const SCRIPT = `
import json, sys
import numpy as np
from sklearn import datasets, linear_model, metrics
name, test_size = sys.argv[1], float(sys.argv[2])
loader = {'iris': datasets.load_iris, 'diabetes': datasets.load_diabetes}[name]
d = loader()
X = d.data.astype(np.float32).astype(np.float64)
y = d.target.astype(np.float32).astype(np.float64) if name == 'diabetes' else d.target
n_test = int(test_size) if test_size > 1 else int(round(len(y) * test_size))
Xtr, Xte, ytr, yte = X[:-n_test], X[-n_test:], y[:-n_test], y[-n_test:]
if name == 'iris':
    m = linear_model.LogisticRegression().fit(Xtr, ytr)
    p = m.predict(Xte)
    out = dict(f1=metrics.f1_score(yte, p, average='macro'), accuracy=metrics.accuracy_score(yte, p),
               precision=metrics.precision_score(yte, p, average='macro', zero_division=0),
               recall=metrics.recall_score(yte, p, average='macro', zero_division=0))
else:
    m = linear_model.LinearRegression().fit(Xtr, ytr)
    p = m.predict(Xte)
    out = dict(r2=metrics.r2_score(yte, p), mean_absolute_error=metrics.mean_absolute_error(yte, p),
               mean_squared_error=metrics.mean_squared_error(yte, p))
print(json.dumps(out))
`;

export function sklearnMetrics(dataset: 'iris' | 'diabetes', testSize: number): Record<string, number> {
  return JSON.parse(execFileSync(PYTHON, ['-c', SCRIPT, dataset, String(testSize)], { encoding: 'utf8' })) as Record<
    string,
    number
  >;
}
