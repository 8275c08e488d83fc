/**
 * `python`: scikit-learn through @pgml-ts/python-compat's worker, exactly as `runtime: 'python'` runs it — so the
 * bridge (framing, copying matrices, pickling the fitted estimator in the fit reply) is part of every number.
 * Memory is the worker process's peak.
 */
import { PythonRuntime, PythonWorker, type PythonModelHandle } from '@pgml-ts/python-compat';
import type { FittedModel } from '@pgml-ts/core';
import { inProcessRunner } from './in-process.js';

const worker = new PythonWorker();
const runtime = new PythonRuntime({ worker });
let versions = '';

export const pythonRunner = inProcessRunner<FittedModel>({
  id: 'python',
  kind: 'runtime',
  get description() {
    return `scikit-learn via the pgml-ts python worker (${versions || 'not started'}), bridge included`;
  },
  async availability() {
    try {
      const hello = await worker.handshake();
      versions = Object.entries(hello.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      return undefined;
    } catch (error) {
      return `python worker failed to start: ${(error as Error).message}`;
    }
  },
  supports: (task, algorithm) => runtime.supports(task, algorithm),
  fit(job, signal) {
    const { train, numClasses } = job.data;
    return runtime.fit({
      task: job.task,
      algorithm: job.algorithm,
      hyperparams: job.hyperparams,
      x: train.x,
      ...(train.y ? { y: train.y } : {}),
      ...(numClasses !== undefined ? { numClasses } : {}),
      ...(signal ? { signal } : {}),
    });
  },
  predict: (model, x) => runtime.predict(model, x),
  modelBytes: (model) => (model.handle as PythonModelHandle).pickle.byteLength,
  fitPid: () => worker.pid,
  release: (model) => runtime.release(model),
  close: () => runtime.close(),
});
