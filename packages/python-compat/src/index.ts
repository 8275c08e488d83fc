export { PythonWorker, DEFAULT_PYTHON, PYTHON_DIR } from './worker.js';
export type { CallOptions, CallResult, Handshake, PythonVersions, WorkerOptions } from './worker.js';
export { encodeFrame, decodeBody, FrameDecoder } from './protocol.js';
export type { F64Buffer, Frame, Header, PayloadBuffer } from './protocol.js';
export { PythonRuntime } from './runtime.js';
export type { PythonModelHandle, PythonRuntimeOptions } from './runtime.js';
export {
  PYTHON_ALGORITHMS,
  UNAVAILABLE_ALGORITHMS,
  assertPythonAlgorithm,
  estimatorClass,
  pythonAlgorithms,
  pythonEstimator,
  type PythonEstimatorInfo,
} from './algorithms.js';
