/**
 * The runtime registry (docs/architecture.md#runtimes): which runtime fits a (task, algorithm), and the data path
 * (`TableEngine`) that turns relations into their matrices — the pluggable native parts core drives. `native` and
 * `python` force a runtime; `auto` follows the parity table the benchmarks commit (benchmarks/results/parity.json),
 * passed in as data so core never reads another package's files. Without a table entry, auto prefers native when it
 * supports the algorithm.
 */
import { ALGORITHMS, isKnownAlgorithm, notInstallableReason } from './algorithms.js';
import type { TableEngine } from './data/table-engine.js';
import { AlgorithmUnavailable, InvalidArgument, PgmlError } from './errors.js';
import type { Runtime, RuntimeName, Task } from './runtime.js';
import { nearestName } from './suggest.js';

/** `rust` is PostgresML 2.x's name for its Rust runtime: here the native one. */
export type RuntimeChoice = RuntimeName | 'auto' | 'rust';
export const RUNTIME_CHOICES: readonly RuntimeChoice[] = ['auto', 'native', 'python', 'rust'];

export interface ParityEntry {
  task: Task;
  algorithm: string;
  /** The runtime `auto` picks: native where it meets quality parity and is faster, else python. */
  choice: RuntimeName;
  /** Free-form evidence (key metric per runtime, speedup); kept for reports, ignored by `resolve`. */
  [evidence: string]: unknown;
}

export interface ParityTable {
  version: 1;
  entries: ParityEntry[];
}

const RUNTIME_NAMES: readonly RuntimeName[] = ['native', 'python'];
const TASK_NAMES: readonly Task[] = ['regression', 'classification', 'clustering', 'decomposition'];

/** Validates parsed JSON as a parity table; anything malformed is an `InvalidArgument` naming the bad entry. */
export function parseParityTable(json: unknown): ParityTable {
  const table = json as { version?: unknown; entries?: unknown } | null;
  if (!table || typeof table !== 'object' || table.version !== 1 || !Array.isArray(table.entries)) {
    throw new InvalidArgument('parity table must be { "version": 1, "entries": [...] }');
  }
  table.entries.forEach((entry: unknown, i: number) => {
    const e = entry as Partial<ParityEntry> | null;
    if (
      !e ||
      !TASK_NAMES.includes(e.task as Task) ||
      typeof e.algorithm !== 'string' ||
      !RUNTIME_NAMES.includes(e.choice as RuntimeName)
    ) {
      throw new InvalidArgument(`parity table entry ${i} needs task, algorithm and choice (native|python)`, { entry });
    }
  });
  return table as ParityTable;
}

export interface RuntimeRegistryOptions {
  runtimes?: Runtime[];
  parity?: ParityTable;
  /** The data path (`@pgml-ts/native`'s); training from a relation and predicting need it. */
  tables?: TableEngine;
  /** Why `tables` is missing, for the error (e.g. the native addon failed to load). */
  tablesUnavailable?: string;
}

export class RuntimeRegistry {
  readonly #runtimes = new Map<RuntimeName, Runtime>();
  #parity = new Map<string, RuntimeName>();
  readonly #tables: TableEngine | undefined;
  readonly #tablesUnavailable: string | undefined;

  constructor(options: RuntimeRegistryOptions = {}) {
    for (const runtime of options.runtimes ?? []) this.register(runtime);
    if (options.parity) this.setParityTable(options.parity);
    this.#tables = options.tables;
    this.#tablesUnavailable = options.tablesUnavailable;
  }

  /** The data path; `NATIVE_UNAVAILABLE` when none was given (it is part of `@pgml-ts/native`). */
  get tables(): TableEngine {
    if (!this.#tables) {
      throw new PgmlError(
        'NATIVE_UNAVAILABLE',
        `reading relations and preparing features needs the native data path of @pgml-ts/native${this.#tablesUnavailable ? `: ${this.#tablesUnavailable}` : ''}`,
      );
    }
    return this.#tables;
  }

  register(runtime: Runtime): this {
    this.#runtimes.set(runtime.name, runtime);
    return this;
  }

  setParityTable(table: ParityTable): this {
    this.#parity = new Map(parseParityTable(table).entries.map((e) => [key(e.task, e.algorithm), e.choice]));
    return this;
  }

  get(name: RuntimeName): Runtime | undefined {
    return this.#runtimes.get(name);
  }

  /** The runtime that stored a model, for loading it back; missing → `AlgorithmUnavailable`. */
  require(name: RuntimeName, algorithm: string): Runtime {
    const runtime = this.#runtimes.get(name);
    if (!runtime) {
      throw new AlgorithmUnavailable(algorithm, `the model was trained by the ${name} runtime, which is not registered`, {
        runtime: name,
      });
    }
    return runtime;
  }

  names(): RuntimeName[] {
    return [...this.#runtimes.keys()];
  }

  /** Picks the runtime for training; throws `InvalidArgument` (unknown) or `AlgorithmUnavailable` (not here). */
  resolve(task: Task, algorithm: string, choice: RuntimeChoice = 'auto'): Runtime {
    if (!RUNTIME_CHOICES.includes(choice)) {
      throw new InvalidArgument(`unknown runtime ${JSON.stringify(choice)}: expected ${RUNTIME_CHOICES.join(', ')}`);
    }
    const requested = choice === 'rust' ? 'native' : choice;
    const unavailable = notInstallableReason(algorithm);
    if (unavailable) throw new AlgorithmUnavailable(algorithm, unavailable, { task });
    const supporting = RUNTIME_NAMES.map((n) => this.#runtimes.get(n)).filter(
      (r): r is Runtime => r !== undefined && r.supports(task, algorithm),
    );
    if (supporting.length === 0 && !isKnownAlgorithm(task, algorithm)) throw unknownAlgorithm(task, algorithm);
    if (requested !== 'auto') {
      const runtime = supporting.find((r) => r.name === requested);
      if (runtime) return runtime;
      const why = this.#runtimes.has(requested)
        ? `the ${requested} runtime does not implement ${task} ${algorithm}`
        : `the ${requested} runtime is not registered`;
      throw new AlgorithmUnavailable(algorithm, why, { task, runtime: requested });
    }
    const preferred = this.#parity.get(key(task, algorithm)) ?? 'native';
    const runtime = supporting.find((r) => r.name === preferred) ?? supporting[0];
    if (!runtime) {
      const registered = this.names();
      throw new AlgorithmUnavailable(
        algorithm,
        registered.length === 0
          ? 'no runtime is registered'
          : `no registered runtime (${registered.join(', ')}) implements ${task} ${algorithm}`,
        { task },
      );
    }
    return runtime;
  }
}

/** Says what the name is if not a `task` algorithm: another task's, or a typo of one (the nearest name). */
function unknownAlgorithm(task: Task, algorithm: string): InvalidArgument {
  const otherTasks = TASK_NAMES.filter((t) => t !== task && ALGORITHMS[t].includes(algorithm));
  const nearest = otherTasks.length === 0 ? nearestName(algorithm, ALGORITHMS[task]) : undefined;
  const hint = otherTasks.length > 0 ? `: it is a ${otherTasks.join(' and ')} algorithm` : nearest ? `; did you mean ${JSON.stringify(nearest)}?` : '';
  return new InvalidArgument(
    (w) => `unknown algorithm ${JSON.stringify(algorithm)} for ${task}${hint} (${w.catalogue(task)} lists every ${task} algorithm)`,
    { task, algorithm, ...(nearest ? { suggestion: nearest } : {}) },
  );
}

function key(task: Task, algorithm: string): string {
  return `${task}/${algorithm}`;
}
