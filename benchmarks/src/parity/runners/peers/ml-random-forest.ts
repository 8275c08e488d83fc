import { column, flat, peerRunner, toRows } from './peer.js';

interface Forest {
  predict(x: number[][]): number[];
  toJSON(): unknown;
}

export const mlRandomForest = peerRunner<Forest>({
  package: 'ml-random-forest',
  algorithms: { regression: ['random_forest'], classification: ['random_forest'] },
  // noOOB: its out-of-bag pass crashes on small sets (ml-array-mode "input must not be empty") and sklearn skips it too.
  note: "100 trees as sklearn's default, sample bagging, features per tree (not per split) √n (classification) / all (regression), no OOB",
  fit(lib, job) {
    const classify = job.task === 'classification';
    const cols = job.data.train.x.cols;
    const Forest = classify ? lib.RandomForestClassifier : lib.RandomForestRegression;
    const model = new Forest({
      nEstimators: 100,
      // An integer count (a float is a fraction, and 1.0 is an integer in JS): √features or all, drawn per tree.
      maxFeatures: classify ? Math.max(1, Math.round(Math.sqrt(cols))) : cols,
      seed: 42,
      noOOB: true,
    });
    model.train(toRows(job.data.train.x), column(job.data.train.y!));
    return model;
  },
  predict: (_lib, model, x) => flat(model.predict(toRows(x))),
  modelBytes: (model) => JSON.stringify(model.toJSON()).length,
});
