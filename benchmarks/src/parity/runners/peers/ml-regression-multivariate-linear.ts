import { flat, peerRunner, toRows } from './peer.js';

interface Mlr {
  predict(x: number[][]): number[][];
  toJSON(): unknown;
}

export const mlRegressionMultivariateLinear = peerRunner<Mlr>({
  package: 'ml-regression-multivariate-linear',
  algorithms: { regression: ['linear'] },
  note: 'ordinary least squares with intercept, like LinearRegression',
  fit: (lib, job) => new lib.default(toRows(job.data.train.x), toRows(job.data.train.y!)),
  predict: (_lib, model, x) => flat(model.predict(toRows(x))),
  modelBytes: (model) => JSON.stringify(model.toJSON()).length,
});
