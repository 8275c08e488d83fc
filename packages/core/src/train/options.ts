/**
 * `train` options: every argument of PostgresML's `pgml.train`, camelCased, with PostgresML 2.10's defaults, checked
 * before anything touches the database. `runtime` defaults to `auto` (PostgresML's NULL: pick for me); `rust`, 2.x's
 * name for its Rust runtime, is accepted as the name of `native`. `testSampling` defaults to `stratified`, 2.10's
 * default (since 2.7.13; `last` before); see `splitSnapshot` for what it means for tasks without classes.
 */
import type { AlgorithmName } from '../algorithms.js';
import { InvalidArgument } from '../errors.js';
import { TEST_SAMPLINGS, type TestSampling } from '../ml/split.js';
import { RUNTIME_CHOICES, type RuntimeChoice } from '../registry.js';
import type { Task } from '../runtime.js';
import { parseSearchArgs, type SearchArgs, type SearchKind } from '../ml/search.js';
import { SEARCHES } from '../schema/migrations.js';
import { checkTask } from '../project/projects.js';

export type TrainStage = 'snapshot' | 'read' | 'preprocess' | 'search' | 'fold' | 'fit' | 'score' | 'explain' | 'store' | 'deploy';

export interface TrainProgress {
  stage: TrainStage;
  /**
   * `read`: rows decoded so far, and the planner's estimate of the total when it has one. `fold`: the 1-based fold
   * just finished (across all candidates), and the total. `fit`: work done so far in `unit`s (trees, boosting rounds,
   * solver iterations) where the runtime reports it, and the total when it is known.
   */
  current?: number;
  total?: number;
  unit?: string;
  message?: string;
}

/** `T` narrows `algorithm` to the task's names when `task` is given (an editor then completes them). */
export interface TrainOptions<T extends Task = Task> {
  /** Required the first time a project is trained; must match the project's task afterwards. */
  task?: T;
  /** Table or view to snapshot; omitted → reuse the project's last snapshot. */
  relationName?: string;
  /** Required with `relationName`; several columns → joint (multi-target) regression. */
  yColumnName?: string | string[];
  /** One of the task's algorithms; `pgml.algorithms(task)` lists them with their runtimes and hyperparameters. */
  algorithm?: AlgorithmName<T>;
  hyperparams?: Record<string, unknown>;
  search?: SearchKind;
  /** Parameter name → candidate values (scikit-learn notation); needs `search`. */
  searchParams?: Record<string, unknown[]>;
  /** `cv` (folds, default 5) and `n_iter` (random search, default 10). */
  searchArgs?: Record<string, unknown>;
  /**
   * A fraction in (0, 1) or, when > 1, a row count. Like `testSampling`, `preprocess` and `materializeSnapshot`,
   * it shapes a new snapshot, so it needs `relationName` (re-training without it keeps the last snapshot as it is).
   */
  testSize?: number;
  /** Default `stratified` (PostgresML 2.10). */
  testSampling?: TestSampling;
  /** `auto` (default), `native`, `python`, or `rust` (PostgresML 2.x's name for native, stored and reported as such). */
  runtime?: RuntimeChoice;
  /** Column name → { encode, impute, scale }, as PostgresML's `preprocess`. */
  preprocess?: Record<string, unknown>;
  /** Copy the relation into `pgml."snapshot_<id>"` so later re-training reads frozen data. */
  materializeSnapshot?: boolean;
  automaticDeploy?: boolean;
  onProgress?: (progress: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface ResolvedTrainOptions {
  task: Task | undefined;
  relationName: string | undefined;
  yColumnNames: string[] | undefined;
  algorithm: string;
  hyperparams: Record<string, unknown>;
  search: SearchKind | undefined;
  searchParams: Record<string, unknown[]>;
  searchArgs: SearchArgs;
  testSize: number;
  testSampling: TestSampling;
  runtime: RuntimeChoice;
  preprocess: Record<string, unknown>;
  materializeSnapshot: boolean;
  automaticDeploy: boolean;
}

const KNOWN_OPTIONS = new Set([
  'task', 'relationName', 'yColumnName', 'algorithm', 'hyperparams', 'search', 'searchParams', 'searchArgs',
  'testSize', 'testSampling', 'runtime', 'preprocess', 'materializeSnapshot', 'automaticDeploy', 'onProgress', 'signal',
]);

export function resolveTrainOptions(options: TrainOptions): ResolvedTrainOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgument('train options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new InvalidArgument(`unknown train option ${JSON.stringify(key)}`, { option: key });
  }
  const yColumnNames =
    options.yColumnName === undefined
      ? undefined
      : (Array.isArray(options.yColumnName) ? options.yColumnName : [options.yColumnName]).map((name) => {
          if (typeof name !== 'string' || name.length === 0) throw new InvalidArgument('yColumnName must be non-empty text');
          return name;
        });
  if (yColumnNames?.length === 0) throw new InvalidArgument('yColumnName must name at least one column');
  if (options.relationName !== undefined && typeof options.relationName !== 'string') {
    throw new InvalidArgument('relationName must be a string');
  }
  const preprocess = plainObject(options.preprocess ?? {}, 'preprocess');
  if (options.relationName === undefined) refuseSnapshotOptions(options, yColumnNames, preprocess);
  const algorithm = options.algorithm ?? 'linear';
  if (typeof algorithm !== 'string' || algorithm.length === 0) throw new InvalidArgument('algorithm must be non-empty text');
  const search = options.search ?? undefined;
  if (search !== undefined && !SEARCHES.includes(search)) {
    throw new InvalidArgument(`unknown search ${JSON.stringify(search)}: expected grid or random`, { search });
  }
  const searchParams = plainObject(options.searchParams ?? {}, 'searchParams') as Record<string, unknown[]>;
  const searchArgs = plainObject(options.searchArgs ?? {}, 'searchArgs');
  if (search === undefined) {
    const unused = (['searchParams', 'searchArgs'] as const).filter((k) => Object.keys(k === 'searchParams' ? searchParams : searchArgs).length > 0);
    if (unused.length > 0) {
      throw new InvalidArgument(
        (w) => `${unused.map(w.option).join(' and ')} only apply to a hyperparameter search: add ${w.option('search')} (grid or random)`,
        { options: unused },
      );
    }
  }
  const testSampling = options.testSampling ?? 'stratified';
  if (!TEST_SAMPLINGS.includes(testSampling)) {
    throw new InvalidArgument(
      (w) => `unknown ${w.option('testSampling')} ${JSON.stringify(testSampling)}: expected ${TEST_SAMPLINGS.join(', ')}`,
    );
  }
  const testSize = options.testSize ?? 0.25;
  if (typeof testSize !== 'number' || !Number.isFinite(testSize) || testSize <= 0) {
    throw new InvalidArgument((w) => `${w.option('testSize')} must be a fraction in (0, 1) or a row count > 1, got ${testSize}`, {
      testSize,
    });
  }
  const runtime = options.runtime ?? 'auto';
  if (!RUNTIME_CHOICES.includes(runtime)) {
    throw new InvalidArgument(`unknown runtime ${JSON.stringify(runtime)}: expected ${RUNTIME_CHOICES.join(', ')}`);
  }
  return {
    task: options.task === undefined ? undefined : checkTask(options.task),
    relationName: options.relationName,
    yColumnNames,
    algorithm,
    hyperparams: plainObject(options.hyperparams ?? {}, 'hyperparams'),
    search,
    searchParams,
    searchArgs: parseSearchArgs(searchArgs),
    testSize,
    testSampling,
    runtime,
    preprocess,
    materializeSnapshot: bool(options.materializeSnapshot ?? false, 'materializeSnapshot'),
    automaticDeploy: bool(options.automaticDeploy ?? true, 'automaticDeploy'),
  };
}

/**
 * PostgresML 2.x's "fix up default algorithm" (api.rs `train_joint`): `linear`, the default, means k-means for
 * clustering and PCA for decomposition. Like 2.x it cannot tell an explicit `linear` from the default.
 */
export function taskAlgorithm(task: Task, algorithm: string): string {
  if (algorithm !== 'linear') return algorithm;
  return task === 'clustering' ? 'kmeans' : task === 'decomposition' ? 'pca' : algorithm;
}

/**
 * Without `relationName` train re-uses the project's last snapshot, split and preprocessing as they were: options
 * that would shape a new snapshot are refused rather than silently ignored (a new snapshot needs the relation).
 */
function refuseSnapshotOptions(options: TrainOptions, yColumnNames: string[] | undefined, preprocess: Record<string, unknown>): void {
  const given = [
    yColumnNames !== undefined && 'yColumnName',
    options.testSize !== undefined && 'testSize',
    options.testSampling !== undefined && 'testSampling',
    Object.keys(preprocess).length > 0 && 'preprocess',
    options.materializeSnapshot === true && 'materializeSnapshot',
  ].filter((name): name is string => name !== false);
  if (given.length === 0) return;
  throw new InvalidArgument(
    (w) =>
      `${given.map(w.option).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only when a new snapshot is taken: ` +
      `pass ${w.option('relationName')}${given.includes('yColumnName') ? '' : ` and ${w.option('yColumnName')}`} with ` +
      `${given.length === 1 ? 'it' : 'them'}, or leave ${given.length === 1 ? 'it' : 'them'} out to re-train on the ` +
      "project's last snapshot with its split and preprocessing",
    { options: given },
  );
}

function plainObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgument(`${name} must be a JSON object`, { [name]: value });
  }
  return value as Record<string, unknown>;
}

function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidArgument(`${name} must be true or false`);
  return value;
}
