/**
 * `train` options: every argument of PostgresML's `pgml.train`, camelCased, with PostgresML's defaults, checked
 * before anything touches the database. `runtime` defaults to `auto` (PostgresML's NULL: pick for me).
 */
import { InvalidArgument } from '../errors.js';
import { TEST_SAMPLINGS, type TestSampling } from '../ml/split.js';
import type { RuntimeChoice } from '../registry.js';
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

export interface TrainOptions {
  /** Required the first time a project is trained; must match the project's task afterwards. */
  task?: Task;
  /** Table or view to snapshot; omitted → reuse the project's last snapshot. */
  relationName?: string;
  /** Required with `relationName`; several columns → joint (multi-target) regression. */
  yColumnName?: string | string[];
  algorithm?: string;
  hyperparams?: Record<string, unknown>;
  search?: SearchKind;
  /** Parameter name → candidate values (scikit-learn notation). */
  searchParams?: Record<string, unknown[]>;
  /** `cv` (folds, default 5) and `n_iter` (random search, default 10). */
  searchArgs?: Record<string, unknown>;
  /** A fraction in (0, 1) or, when > 1, a row count. */
  testSize?: number;
  testSampling?: TestSampling;
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
  if (options.relationName === undefined && yColumnNames !== undefined) {
    throw new InvalidArgument('yColumnName needs relationName: a new snapshot is taken only when relationName is given');
  }
  const preprocess = plainObject(options.preprocess ?? {}, 'preprocess');
  if (options.relationName === undefined && Object.keys(preprocess).length > 0) {
    throw new InvalidArgument('preprocess applies when snapshotting: pass relationName (and yColumnName) with it');
  }
  const algorithm = options.algorithm ?? 'linear';
  if (typeof algorithm !== 'string' || algorithm.length === 0) throw new InvalidArgument('algorithm must be non-empty text');
  const search = options.search ?? undefined;
  if (search !== undefined && !SEARCHES.includes(search)) {
    throw new InvalidArgument(`unknown search ${JSON.stringify(search)}: expected grid or random`, { search });
  }
  const searchParams = plainObject(options.searchParams ?? {}, 'searchParams') as Record<string, unknown[]>;
  const testSampling = options.testSampling ?? 'random';
  if (!TEST_SAMPLINGS.includes(testSampling)) {
    throw new InvalidArgument(`unknown testSampling ${JSON.stringify(testSampling)}: expected ${TEST_SAMPLINGS.join(', ')}`);
  }
  const testSize = options.testSize ?? 0.25;
  if (typeof testSize !== 'number' || !Number.isFinite(testSize) || testSize <= 0) {
    throw new InvalidArgument(`testSize must be a fraction in (0, 1) or a row count > 1, got ${testSize}`, { testSize });
  }
  const runtime = options.runtime ?? 'auto';
  if (!['auto', 'native', 'python'].includes(runtime)) {
    throw new InvalidArgument(`unknown runtime ${JSON.stringify(runtime)}: expected native, python or auto`);
  }
  return {
    task: options.task === undefined ? undefined : checkTask(options.task),
    relationName: options.relationName,
    yColumnNames,
    algorithm,
    hyperparams: plainObject(options.hyperparams ?? {}, 'hyperparams'),
    search,
    searchParams,
    searchArgs: parseSearchArgs(plainObject(options.searchArgs ?? {}, 'searchArgs')),
    testSize,
    testSampling,
    runtime,
    preprocess,
    materializeSnapshot: bool(options.materializeSnapshot ?? false, 'materializeSnapshot'),
    automaticDeploy: bool(options.automaticDeploy ?? true, 'automaticDeploy'),
  };
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
