/**
 * `native`: @pgml-ts/native's NativeModel in this process — fit on the libuv threadpool (so a timeout can abort
 * it), predict synchronously as an in-process caller would. Supports exactly what `nativeAlgorithms()` lists.
 */
import * as native from '@pgml-ts/native';
import type { NativeModel } from '@pgml-ts/native';
import type { BenchJob } from '../types.js';
import { inProcessRunner } from './in-process.js';

/** `NativeModel.fitAsync`'s input for a benchmark job's training split (clustering and decomposition: X alone). */
export function nativeFitInput(job: Pick<BenchJob, 'task' | 'algorithm' | 'hyperparams' | 'data'>): native.NativeFitInput {
  const { train, numClasses } = job.data;
  return {
    task: job.task,
    algorithm: job.algorithm,
    hyperparams: job.hyperparams,
    x: train.x.data,
    rows: train.x.rows,
    cols: train.x.cols,
    ...(train.y ? { y: train.y.data, yCols: train.y.cols } : {}),
    numClasses: numClasses ?? 0,
  } as native.NativeFitInput;
}

export const nativeRunner = inProcessRunner<NativeModel>({
  id: 'native',
  kind: 'runtime',
  description: `@pgml-ts/native ${native.nativeInfo().version} (Rust, ${native.nativeInfo().threads} threads, in-process)`,
  availability: async () => undefined,
  supports: (task, algorithm) => native.nativeAlgorithms().some((a) => a.task === task && a.algorithm === algorithm),
  async fit(job, signal) {
    const { model } = await native.NativeModel.fitAsync(nativeFitInput(job), signal ? { signal } : undefined);
    return model;
  },
  predict: (model, x) => model.predict(x.data, x.rows),
  modelBytes: (model) => model.toBytes().byteLength,
});
