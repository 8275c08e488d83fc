/**
 * Hyperparameter search as PostgresML exposes it (`search`, `search_params`, `search_args`), done properly:
 * every candidate is scored by k-fold cross-validation and train then refits the best one on the whole training
 * split. `search_results` keeps PostgresML's keys (plus sklearn's `rank_test_score`).
 */
import { InvalidArgument, PgmlError } from '../errors.js';
import { createRng } from './random.js';
import type { Fold } from './split.js';

export type SearchKind = 'grid' | 'random';
export type Hyperparams = Record<string, unknown>;

export interface SearchArgs {
  /** Candidates sampled by `random` search. Default 10. */
  n_iter: number;
  /** Cross-validation folds. Default 5. */
  cv: number;
}

/** Validates `searchArgs` like PostgresML (unknown keys are errors) and fills the defaults. */
export function parseSearchArgs(raw: Record<string, unknown> = {}): SearchArgs {
  const args: SearchArgs = { n_iter: 10, cv: 5 };
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'n_iter' && key !== 'cv') {
      throw new InvalidArgument(`unknown searchArgs key ${JSON.stringify(key)}; expected n_iter or cv`, { key });
    }
    const min = key === 'cv' ? 2 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new InvalidArgument(`searchArgs.${key} must be an integer >= ${min}, got ${JSON.stringify(value)}`, { key });
    }
    args[key] = value;
  }
  return args;
}

/**
 * All combinations in sklearn `ParameterGrid` order: keys sorted, the last key varying fastest.
 * Every value list must be a non-empty array.
 */
export function parameterGrid(searchParams: Record<string, unknown>): Hyperparams[] {
  const keys = Object.keys(searchParams).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lists = keys.map((key) => {
    const values = searchParams[key];
    if (!Array.isArray(values) || values.length === 0) {
      throw new InvalidArgument(`searchParams.${key} must be a non-empty array of values`, { key });
    }
    return values as unknown[];
  });
  let combos: Hyperparams[] = [{}];
  keys.forEach((key, k) => {
    combos = combos.flatMap((combo) => lists[k]!.map((value) => ({ ...combo, [key]: value })));
  });
  return combos;
}

export interface CandidateOptions {
  search?: SearchKind;
  /** Fixed hyperparameters, included in every candidate. */
  hyperparams?: Hyperparams;
  searchParams?: Record<string, unknown>;
  searchArgs?: SearchArgs;
  seed?: number;
}

/**
 * The hyperparameter sets to evaluate. Without `search` that is the fixed hyperparameters alone. `random` draws
 * `n_iter` distinct grid points without replacement (all of them when the grid is smaller), like sklearn's
 * `ParameterSampler` over lists, from the seeded PRNG.
 */
export function searchCandidates(options: CandidateOptions): Hyperparams[] {
  const { search, hyperparams = {}, searchParams = {}, seed = 0 } = options;
  if (search === undefined) {
    if (Object.keys(searchParams).length > 0) {
      throw new InvalidArgument('searchParams were given without search; pass search: "grid" or "random"');
    }
    return [{ ...hyperparams }];
  }
  if (search !== 'grid' && search !== 'random') {
    throw new InvalidArgument(`unknown search ${JSON.stringify(search)}; expected grid or random`);
  }
  for (const key of Object.keys(searchParams)) {
    if (Object.hasOwn(hyperparams, key)) {
      throw new InvalidArgument(`${JSON.stringify(key)} cannot be in both hyperparams and searchParams`, { key });
    }
  }
  let grid = parameterGrid(searchParams);
  if (search === 'random') {
    const nIter = (options.searchArgs ?? parseSearchArgs()).n_iter;
    const rng = createRng(seed);
    // Partial Fisher–Yates over grid positions: the first nIter draws, in draw order.
    const positions = grid.map((_, i) => i);
    const take = Math.min(nIter, grid.length);
    for (let i = 0; i < take; i++) {
      const j = i + rng.nextInt(positions.length - i);
      [positions[i], positions[j]] = [positions[j]!, positions[i]!];
    }
    grid = positions.slice(0, take).map((i) => grid[i]!);
  }
  return grid.map((combo) => ({ ...hyperparams, ...combo }));
}

/** What `fitAndScore` returns: the validation score (higher is better), optionally with its timings in seconds. */
export type FoldScore = number | { score: number; fitTime?: number; scoreTime?: number };

export interface SearchProgress {
  /** Fits finished so far, of `total` = candidates × folds. */
  done: number;
  total: number;
  candidate: number;
  fold: number;
  score: number;
}

export interface RunSearchOptions {
  candidates: Hyperparams[];
  folds: Fold[];
  fitAndScore(params: Hyperparams, trainIdx: Uint32Array, validIdx: Uint32Array): Promise<FoldScore>;
  onProgress?(progress: SearchProgress): void;
  signal?: AbortSignal;
}

/** PostgresML's `search_results` object (stored under metrics.search_results). */
export interface SearchResults {
  params: Hyperparams[];
  n_splits: number;
  best_index: number;
  mean_test_score: number[];
  std_test_score: number[];
  rank_test_score: number[];
  mean_fit_time?: number[];
  std_fit_time?: number[];
  mean_score_time?: number[];
  std_score_time?: number[];
  /** `split{k}_test_score` and `param_{name}` columns, as sklearn's cv_results_. */
  [column: string]: unknown;
}

export interface SearchOutcome {
  bestIndex: number;
  bestParams: Hyperparams;
  bestScore: number;
  results: SearchResults;
}

/**
 * Scores every candidate on every fold (candidate-major, sequential so progress is meaningful), then ranks by mean
 * validation score. NaN means rank last; ties share the lower rank and the first candidate wins, as sklearn.
 */
export async function runSearch(options: RunSearchOptions): Promise<SearchOutcome> {
  const { candidates, folds, fitAndScore, onProgress, signal } = options;
  if (candidates.length === 0) throw new InvalidArgument('search has no candidates');
  if (folds.length < 2) throw new InvalidArgument(`cross-validation needs at least 2 folds, got ${folds.length}`);
  const k = folds.length;
  const scores = candidates.map(() => new Array<number>(k).fill(Number.NaN));
  const fitTimes = candidates.map(() => new Array<number>(k).fill(Number.NaN));
  const scoreTimes = candidates.map(() => new Array<number>(k).fill(Number.NaN));
  let timed = true;
  let done = 0;
  for (let c = 0; c < candidates.length; c++) {
    for (let f = 0; f < k; f++) {
      if (signal?.aborted) throw new PgmlError('ABORTED', 'hyperparameter search was aborted', {}, { cause: signal.reason });
      const result = await fitAndScore(candidates[c]!, folds[f]!.train, folds[f]!.valid);
      const score = typeof result === 'number' ? result : result.score;
      if (typeof result === 'number' || result.fitTime === undefined || result.scoreTime === undefined) timed = false;
      else {
        fitTimes[c]![f] = result.fitTime;
        scoreTimes[c]![f] = result.scoreTime;
      }
      scores[c]![f] = score;
      onProgress?.({ done: ++done, total: candidates.length * k, candidate: c, fold: f, score });
    }
  }
  const means = scores.map(mean);
  const ranks = rankDescending(means);
  const bestIndex = ranks.indexOf(1);
  const results: SearchResults = {
    params: candidates,
    n_splits: k,
    best_index: bestIndex,
    mean_test_score: means,
    std_test_score: scores.map(populationStd),
    rank_test_score: ranks,
  };
  if (timed) {
    results.mean_fit_time = fitTimes.map(mean);
    results.std_fit_time = fitTimes.map(populationStd);
    results.mean_score_time = scoreTimes.map(mean);
    results.std_score_time = scoreTimes.map(populationStd);
  }
  for (let f = 0; f < k; f++) results[`split${f}_test_score`] = scores.map((s) => s[f]);
  const names = [...new Set(candidates.flatMap((p) => Object.keys(p)))];
  for (const name of names) results[`param_${name}`] = candidates.map((p) => (Object.hasOwn(p, name) ? p[name] : null));
  return { bestIndex, bestParams: candidates[bestIndex]!, bestScore: means[bestIndex]!, results };
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** np.std with ddof = 0, as sklearn's cv_results_. */
function populationStd(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) * (v - m), 0) / values.length);
}

/** scipy rankdata(−x, method='min') with NaN ranked after every number (sklearn's handling of failed fits). */
function rankDescending(values: number[]): number[] {
  return values.map((v) => {
    if (Number.isNaN(v)) return 1 + values.filter((o) => !Number.isNaN(o)).length;
    return 1 + values.filter((o) => o > v).length;
  });
}
