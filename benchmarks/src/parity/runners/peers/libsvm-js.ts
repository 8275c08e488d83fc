import type { Matrix } from '@pgml-ts/core';
import { column, flat, peerRunner, toRows } from './peer.js';

interface Svm {
  predict(x: number[][]): number[];
  serializeModel(): string;
}

/** sklearn's gamma='scale': 1 / (n_features × variance of all of X). */
function scaleGamma(x: Matrix): number {
  let mean = 0;
  for (const v of x.data) mean += v;
  mean /= x.data.length;
  let ss = 0;
  for (const v of x.data) ss += (v - mean) ** 2;
  const variance = ss / x.data.length;
  return variance > 0 ? 1 / (x.cols * variance) : 1;
}

export const libsvmJs = peerRunner<Svm>({
  package: 'libsvm-js',
  algorithms: { regression: ['svm'], classification: ['svm'] },
  note: "libsvm compiled to WebAssembly: C-SVC / epsilon-SVR, rbf kernel, C=1, gamma='scale' as sklearn",
  resolve: async (loaded) => (await loaded.default) as unknown,
  fit(SVM, job) {
    const x = job.data.train.x;
    const model = new SVM({
      kernel: SVM.KERNEL_TYPES.RBF,
      type: job.task === 'classification' ? SVM.SVM_TYPES.C_SVC : SVM.SVM_TYPES.EPSILON_SVR,
      gamma: scaleGamma(x),
      cost: 1,
      epsilon: 0.1,
      quiet: true,
    });
    model.train(toRows(x), column(job.data.train.y!));
    return model;
  },
  predict: (_lib, model, x) => flat(model.predict(toRows(x))),
  modelBytes: (model) => model.serializeModel().length,
});
