/**
 * What every ml.js peer shares: loading its package lazily (a peer that fails to install or load is reported as
 * unavailable with the reason, never crashes the suite), and converting our row-major matrices to number[][].
 */
import { readFileSync } from 'node:fs';
import type { Matrix, Task } from '@pgml-ts/core';
import type { BenchJob } from '../../types.js';
import { inProcessRunner, type EstimatorAdapter } from '../in-process.js';

/** benchmarks/node_modules, from src/parity/runners/peers or dist/parity/runners/peers. */
const NODE_MODULES = new URL('../../../../node_modules/', import.meta.url);

export function toRows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

export function column(m: Matrix, j = 0): number[] {
  return Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]!);
}

export function flat(values: readonly (number | readonly number[])[]): Float64Array {
  return Float64Array.from(values.flat() as number[]);
}

export interface PeerSpec<M> {
  /** npm package name; also the runner id. */
  package: string;
  /** Which PostgresML algorithm names (per task) this peer stands in for. */
  algorithms: Partial<Record<Task, readonly string[]>>;
  /** How it differs from the scikit-learn estimator, for the report. */
  note: string;
  fit(lib: any, job: BenchJob): M;
  predict(lib: any, model: M, x: Matrix): Float64Array;
  modelBytes(model: M): number;
  /** Subpath to load instead of the package's main entry. */
  entry?: string;
  /** Some packages export a promise (wasm) that resolves to the library. */
  resolve?(loaded: any): Promise<any>;
}

export function peerRunner<M>(spec: PeerSpec<M>) {
  let lib: any;
  let version = '?';
  let failure: string | undefined;
  const adapter: EstimatorAdapter<M> = {
    id: spec.package,
    kind: 'peer',
    get description() {
      return `${spec.package} ${version} (JavaScript; ${spec.note})`;
    },
    async availability() {
      if (lib || failure) return failure;
      try {
        // Read from disk: some packages' `exports` do not expose ./package.json.
        version = (JSON.parse(readFileSync(new URL(`${spec.package}/package.json`, NODE_MODULES), 'utf8')) as { version: string }).version;
        const loaded = await import(spec.entry ?? spec.package);
        lib = spec.resolve ? await spec.resolve(loaded) : loaded;
      } catch (error) {
        failure = `could not load ${spec.package}: ${(error as Error).message.split('\n')[0]}`;
      }
      return failure;
    },
    supports: (task, algorithm) => spec.algorithms[task]?.includes(algorithm) ?? false,
    fit: (job) => spec.fit(lib, job),
    predict: (model, x) => spec.predict(lib, model, x),
    modelBytes: (model) => spec.modelBytes(model),
  };
  return inProcessRunner(adapter);
}
