/**
 * `native`: @pgml-ts/native's NativeModel in this process — fit on the libuv threadpool (so a timeout can abort
 * it), predict synchronously as an in-process caller would. Supports exactly what `nativeAlgorithms()` lists.
 */
import * as native from '@pgml-ts/native';
import type { NativeModel } from '@pgml-ts/native';
import { inProcessRunner } from './in-process.js';

export const nativeRunner = inProcessRunner<NativeModel>({
  id: 'native',
  kind: 'runtime',
  description: `@pgml-ts/native ${native.nativeInfo().version} (Rust, ${native.nativeInfo().threads} threads, in-process)`,
  availability: async () => undefined,
  supports: (task, algorithm) => native.nativeAlgorithms().some((a) => a.task === task && a.algorithm === algorithm),
  async fit(job, signal) {
    const { train, numClasses } = job.data;
    const input = {
      task: job.task,
      algorithm: job.algorithm,
      hyperparams: job.hyperparams,
      x: train.x.data,
      rows: train.x.rows,
      cols: train.x.cols,
      // Clustering and decomposition fit on X alone.
      ...(train.y ? { y: train.y.data, yCols: train.y.cols } : {}),
      numClasses: numClasses ?? 0,
    } as native.NativeFitInput;
    const { model } = await native.NativeModel.fitAsync(input, signal ? { signal } : undefined);
    return model;
  },
  predict: (model, x) => model.predict(x.data, x.rows),
  modelBytes: (model) => model.toBytes().byteLength,
});
