import { column, flat, peerRunner, toRows } from './peer.js';

interface LogReg {
  predict(x: unknown): number[];
  toJSON(): unknown;
}

export const mlLogisticRegression = peerRunner<LogReg>({
  package: 'ml-logistic-regression',
  algorithms: { classification: ['linear', 'logistic'] },
  // Its default of 500,000 steps takes minutes on 1k rows; 1,000 keeps it comparable in effort to lbfgs's 100.
  note: 'one-vs-rest gradient descent without regularization, 1000 steps, learning rate 5e-4',
  fit(lib, job) {
    const { Matrix } = lib.__matrix as typeof import('ml-matrix');
    const model = new lib.default({ numSteps: 1000, learningRate: 5e-4 });
    model.train(new Matrix(toRows(job.data.train.x)), Matrix.columnVector(column(job.data.train.y!)));
    return model;
  },
  predict(lib, model, x) {
    const { Matrix } = lib.__matrix as typeof import('ml-matrix');
    return flat(model.predict(new Matrix(toRows(x))));
  },
  modelBytes: (model) => JSON.stringify(model.toJSON()).length,
  async resolve(loaded) {
    return { ...loaded, __matrix: await import('ml-matrix') };
  },
});
