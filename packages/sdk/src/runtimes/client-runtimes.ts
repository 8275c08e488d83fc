/**
 * The runtimes of one `PostgresML` client: a `RuntimeRegistry` with the native runtime (when the addon loads) and
 * the python runtime, whose worker starts only when an algorithm first needs it. Also explains, for `runtimes()`
 * and `pgml runtimes`, which runtime `auto` picks for every PostgresML algorithm and why.
 */
import {
  ALGORITHMS,
  PgmlError,
  type ParityEntry,
  type Runtime,
  type RuntimeRegistry,
  type RuntimeName,
  type Task,
} from '@pgml-ts/core';
import { DEFAULT_PYTHON, PythonRuntime, PythonWorker } from '@pgml-ts/python-compat';
import { algorithmCatalogue, type AlgorithmEntry } from '../catalogue/catalogue.js';
import type { NativeModule } from '../vector.js';
import { runtimeRegistry } from './registry.js';
import type { LoadedParity } from './parity.js';

export interface AlgorithmRuntime {
  task: Task;
  algorithm: string;
  /** The runtime `runtime: 'auto'` trains with; null when no runtime here can. */
  runtime: RuntimeName | null;
  reason: string;
  /** Which runtimes implement the algorithm for the task. */
  implementedBy: RuntimeName[];
  /** The parity table's entry (choice and the benchmark's evidence), when there is one. */
  parity?: ParityEntry;
}

export interface RuntimesReport {
  native: { available: boolean; reason?: string };
  /** The python worker is started on first use; `started` says whether it runs now. */
  python: { interpreter: string; started: boolean };
  parity: { source: string | null; entries: number };
  algorithms: AlgorithmRuntime[];
}

/**
 * The python worker is one per process (docs/architecture.md#python-worker-protocol) and the model cache is
 * process-wide, so clients share it: the last client to close stops it (it restarts on the next use, and cached models
 * re-load from their bytes).
 */
let openClients = 0;

export class ClientRuntimes {
  readonly registry: RuntimeRegistry;
  readonly #native: Runtime | undefined;
  readonly #nativeError: Error | undefined;
  readonly #python = new PythonRuntime();
  readonly #parity: LoadedParity | undefined;
  readonly #nativeModule: NativeModule | Error;
  #closed = false;

  constructor(native: NativeModule | Error, parity: LoadedParity | undefined) {
    this.#nativeModule = native;
    this.#nativeError = native instanceof Error ? native : undefined;
    this.#parity = parity;
    this.registry = runtimeRegistry(native, this.#python, parity ? { parity: parity.table } : {});
    this.#native = this.registry.get('native');
    openClients++;
  }

  report(): RuntimesReport {
    const entries = new Map((this.#parity?.table.entries ?? []).map((e) => [`${e.task}/${e.algorithm}`, e]));
    const algorithms = (Object.keys(ALGORITHMS) as Task[]).flatMap((task) =>
      ALGORITHMS[task].map((algorithm) => this.#explain(task, algorithm, entries.get(`${task}/${algorithm}`))),
    );
    return {
      native: this.#native ? { available: true } : { available: false, reason: this.#nativeError!.message },
      python: { interpreter: process.env.PGML_PYTHON || DEFAULT_PYTHON, started: PythonWorker.default().running },
      parity: { source: this.#parity?.source ?? null, entries: this.#parity?.table.entries.length ?? 0 },
      algorithms,
    };
  }

  /** The algorithm catalogue (every algorithm, its runtimes and their hyperparameters), for one task or all. */
  catalogue(task?: Task): AlgorithmEntry[] {
    return algorithmCatalogue(this.#nativeModule, this.registry, task);
  }

  #explain(task: Task, algorithm: string, parity: ParityEntry | undefined): AlgorithmRuntime {
    const implementedBy = [this.#native, this.#python]
      .filter((r) => r?.supports(task, algorithm))
      .map((r) => r!.name);
    const base = { task, algorithm, implementedBy, ...(parity ? { parity } : {}) };
    let runtime: RuntimeName;
    try {
      runtime = this.registry.resolve(task, algorithm, 'auto').name;
    } catch (error) {
      if (!(error instanceof PgmlError)) throw error;
      return { ...base, runtime: null, reason: error.message };
    }
    return { ...base, runtime, reason: this.#reason(runtime, implementedBy, parity) };
  }

  #reason(runtime: RuntimeName, implementedBy: RuntimeName[], parity: ParityEntry | undefined): string {
    const other: RuntimeName = runtime === 'native' ? 'python' : 'native';
    if (parity?.choice === runtime) {
      if (!implementedBy.includes(other)) return `parity table: ${runtime}; only ${runtime} implements it here`;
      // The benchmarks say why in words (`why`: quality gap, speed-ups); a hand-written table may not.
      if (typeof parity.why === 'string') return `parity table: ${runtime} — ${parity.why}`;
      return runtime === 'native'
        ? 'parity table: native meets scikit-learn quality and is faster'
        : 'parity table: native is not at parity with scikit-learn or not faster';
    }
    if (parity) return `parity table prefers ${parity.choice}, which ${this.#missing(other)}`;
    if (runtime === 'python') {
      return this.#native ? 'only the python runtime (scikit-learn) implements it' : `the native runtime ${this.#missing('native')}`;
    }
    return implementedBy.includes('python')
      ? 'no parity data: auto prefers native where it implements the algorithm'
      : 'only the native runtime implements it';
  }

  #missing(name: RuntimeName): string {
    if (name === 'native' && !this.#native) return `is not available (${this.#nativeError!.message})`;
    return 'does not implement it';
  }

  /** Idempotent. Stops the shared python worker when this was the last open client. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    openClients--;
    if (openClients === 0 && PythonWorker.default().running) await PythonWorker.default().close();
  }
}
