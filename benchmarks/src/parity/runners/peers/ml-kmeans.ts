import { flat, peerRunner, toRows } from './peer.js';

interface KMeansResult {
  nearest(x: number[][]): number[];
  centroids: number[][];
}

export const mlKmeans = peerRunner<KMeansResult>({
  package: 'ml-kmeans',
  algorithms: { clustering: ['kmeans'] },
  note: 'k-means++ init, Lloyd iterations, one initialization',
  fit(lib, job) {
    const k = Number(job.hyperparams.n_clusters ?? 8);
    return lib.kmeans(toRows(job.data.train.x), k, { initialization: 'kmeans++', seed: 42, maxIterations: 300 });
  },
  predict: (_lib, model, x) => flat(model.nearest(toRows(x))),
  modelBytes: (model) => JSON.stringify(model.centroids).length,
});
