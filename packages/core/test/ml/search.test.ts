import { describe, expect, it } from 'vitest';
import { PgmlError } from '../../src/errors.js';
import { parameterGrid, parseSearchArgs, runSearch, searchCandidates, type SearchProgress } from '../../src/ml/search.js';
import { kFold } from '../../src/ml/split.js';
import { references } from './references.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as PgmlError).code;
  }
  return 'none';
};

describe('parameterGrid', () => {
  for (const c of references.parameterGrid) {
    it(`matches sklearn ParameterGrid order for ${Object.keys(c.searchParams).join(', ')}`, () => {
      expect(parameterGrid(c.searchParams)).toEqual(c.order);
    });
  }
  it('rejects empty or non-array value lists', () => {
    expect(code(() => parameterGrid({ a: [] }))).toBe('INVALID_ARGUMENT');
    expect(code(() => parameterGrid({ a: 3 }))).toBe('INVALID_ARGUMENT');
  });
});

describe('searchArgs and candidates', () => {
  it('defaults and validation follow PostgresML', () => {
    expect(parseSearchArgs()).toEqual({ n_iter: 10, cv: 5 });
    expect(parseSearchArgs({ cv: 3 })).toEqual({ n_iter: 10, cv: 3 });
    expect(code(() => parseSearchArgs({ folds: 3 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => parseSearchArgs({ cv: 1 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => parseSearchArgs({ n_iter: 2.5 }))).toBe('INVALID_ARGUMENT');
  });

  it('no search: only the fixed hyperparameters', () => {
    expect(searchCandidates({ hyperparams: { alpha: 1 } })).toEqual([{ alpha: 1 }]);
    expect(code(() => searchCandidates({ searchParams: { a: [1] } }))).toBe('INVALID_ARGUMENT');
  });

  it('grid: fixed hyperparameters merged into every grid point; a key in both is an error', () => {
    const got = searchCandidates({ search: 'grid', hyperparams: { fit_intercept: true }, searchParams: { alpha: [1, 2] } });
    expect(got).toEqual([
      { fit_intercept: true, alpha: 1 },
      { fit_intercept: true, alpha: 2 },
    ]);
    expect(code(() => searchCandidates({ search: 'grid', hyperparams: { a: 1 }, searchParams: { a: [1] } }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(code(() => searchCandidates({ search: 'bayes' as 'grid', searchParams: { a: [1] } }))).toBe('INVALID_ARGUMENT');
  });

  it('random: n_iter distinct grid points, deterministic per seed, capped at the grid size', () => {
    const searchParams = { a: [1, 2, 3, 4], b: ['x', 'y', 'z'], c: [true, false] };
    const grid = parameterGrid(searchParams).map((p) => JSON.stringify(p));
    const pick = (seed: number, n_iter = 10) =>
      searchCandidates({ search: 'random', searchParams, searchArgs: { n_iter, cv: 5 }, seed }).map((p) => JSON.stringify(p));
    const a = pick(1);
    expect(a).toHaveLength(10);
    expect(new Set(a).size).toBe(10);
    for (const p of a) expect(grid).toContain(p);
    expect(pick(1)).toEqual(a);
    expect(pick(2)).not.toEqual(a);
    expect(new Set(pick(1, 100))).toEqual(new Set(grid));
  });
});

describe('runSearch', () => {
  it('cross-validates every candidate, reports progress, ranks like sklearn', async () => {
    const folds = kFold(20, 4, 3);
    const candidates = [{ alpha: 0.1 }, { alpha: 1 }, { alpha: 10 }, { alpha: 1 }];
    const progress: SearchProgress[] = [];
    const seen: string[] = [];
    const outcome = await runSearch({
      candidates,
      folds,
      fitAndScore: async (params, train, valid) => {
        expect(train.length + valid.length).toBe(20);
        seen.push(`${params.alpha}:${valid[0]}`);
        // Score peaks at alpha = 1; fold adds noise so std is non-zero.
        return { score: -Math.abs(Math.log10(params.alpha as number)) + valid[0]! / 100, fitTime: 0.5, scoreTime: 0.25 };
      },
      onProgress: (p) => progress.push(p),
    });
    expect(seen).toHaveLength(16);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === 16)).toBe(true);
    expect(outcome.bestIndex).toBe(1); // tie with candidate 3: the first one wins
    expect(outcome.bestParams).toEqual({ alpha: 1 });
    const r = outcome.results;
    expect(r.rank_test_score).toEqual([3, 1, 3, 1]);
    expect(r.n_splits).toBe(4);
    expect(r.best_index).toBe(1);
    expect(r.param_alpha).toEqual([0.1, 1, 10, 1]);
    expect(r.mean_fit_time).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(r.std_fit_time).toEqual([0, 0, 0, 0]);
    const split0 = r.split0_test_score as number[];
    expect(split0).toHaveLength(4);
    const perFold = [0, 1, 2, 3].map((f) => (r[`split${f}_test_score`] as number[])[1]!);
    expect(r.mean_test_score[1]).toBeCloseTo(perFold.reduce((a, b) => a + b) / 4, 14);
    const m = r.mean_test_score[1]!;
    expect(r.std_test_score[1]).toBeCloseTo(Math.sqrt(perFold.reduce((a, s) => a + (s - m) ** 2, 0) / 4), 14);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('ranks NaN scores last and omits timings when fitAndScore gives bare numbers', async () => {
    const outcome = await runSearch({
      candidates: [{ a: 1 }, { a: 2 }],
      folds: kFold(6, 2),
      fitAndScore: async (p) => (p.a === 1 ? Number.NaN : 0.3),
    });
    expect(outcome.bestIndex).toBe(1);
    expect(outcome.results.rank_test_score).toEqual([2, 1]);
    expect(outcome.results.mean_fit_time).toBeUndefined();
  });

  it('stops on abort with a typed error', async () => {
    const controller = new AbortController();
    const run = runSearch({
      candidates: [{ a: 1 }, { a: 2 }],
      folds: kFold(6, 3),
      signal: controller.signal,
      fitAndScore: async () => {
        controller.abort();
        return 1;
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
