import { column, flat, peerRunner, toRows } from './peer.js';

interface Cart {
  predict(x: number[][]): number[];
  toJSON(): unknown;
}

export const mlCart = peerRunner<Cart>({
  package: 'ml-cart',
  algorithms: { regression: ['decision_tree'], classification: ['decision_tree'] },
  note: 'CART with its defaults (gini / regression error, unlimited depth)',
  fit(lib, job) {
    const Tree = job.task === 'classification' ? lib.DecisionTreeClassifier : lib.DecisionTreeRegression;
    const model = new Tree();
    model.train(toRows(job.data.train.x), column(job.data.train.y!));
    return model;
  },
  predict: (_lib, model, x) => flat(model.predict(toRows(x))),
  modelBytes: (model) => JSON.stringify(model.toJSON()).length,
});
