import { parseParityTable } from '@pgml-ts/core';
import { describe, expect, it } from 'vitest';
import { checkQualityRegressions } from '../src/parity/check.js';
import type { CellStats, ParityRun } from '../src/parity/run.js';
import { compare, decide, fmtX, geometricMean, parityTable, targetChecks, verdicts } from '../src/parity/verdict.js';
import { parityMarkdown, qualitySvg, speedupSvg } from '../src/report/parity-report.js';

const cell = (runner: string, quality: number, fitMs: number, batchPredictMs: number, singleRowP50Ms = 0.05): CellStats => ({
  runner,
  status: 'ok',
  reps: 3,
  quality,
  fitMs,
  batchPredictMs,
  predictRowsPerSec: 1000 / batchPredictMs,
  singleRowP50Ms,
  singleRowP99Ms: singleRowP50Ms * 2,
  modelBytes: 100,
  peakRssBytes: 1e8,
  fitExtraBytes: 1e6,
});

function fakeRun(nativeQuality: number, nativeFitMs = 1, pythonQuality = 0.5): ParityRun {
  const split = { sampling: 'random' as const, seed: 42, testSize: 0.25, trainRows: 75, testRows: 25, testIndexHash: '00' };
  return {
    suite: 'parity',
    profile: 'quick',
    createdAt: '2025-01-01T00:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'test', memoryGiB: 1, node: 'v20', native: {}, loadAverage: { start: 0, end: 0 } },
    runners: [{ id: 'native', kind: 'runtime', description: 'native' }],
    datasets: [
      { id: 'diabetes', task: 'regression', rows: 100, features: 10, trainXBytes: 6000, split },
      { id: 'synthetic_regression_1m', task: 'regression', rows: 1e6, features: 20, trainXBytes: 1.2e8, split },
    ],
    algorithms: [
      {
        task: 'regression',
        algorithm: 'ridge',
        estimator: 'Ridge',
        aliases: ['ridge_alias'],
        hyperparams: {},
        datasets: [
          {
            dataset: 'diabetes',
            cells: [cell('native', nativeQuality, nativeFitMs, 0.01), cell('python', pythonQuality, 4, 0.1, 0.1), cell('sklearn-inprocess', 0.5, 2, 0.05)],
          },
          {
            dataset: 'synthetic_regression_1m',
            cells: [{ ...cell('native', 0.8, 100, 10), fitExtraBytes: 0.5e8 }, cell('python', 0.8, 400, 40), { runner: 'ml-x', status: 'skipped', reason: 'budget' }],
          },
        ],
      },
    ],
    durationSeconds: 1,
  };
}

describe('ratios and verdicts', () => {
  it('computes speed-ups as python time over native time', () => {
    const c = compare('d', [cell('native', 0.9, 1, 2, 0.001), cell('python', 0.905, 3, 8, 0.1), cell('sklearn-inprocess', 0.905, 2, 4)]);
    expect(c.fitSpeedup).toBeCloseTo(3);
    expect(c.predictSpeedup).toBeCloseTo(4);
    expect(c.singleRowSpeedup).toBeCloseTo(100);
    expect(c.fitSpeedupVsSklearn).toBeCloseTo(2);
    expect(c.predictSpeedupVsSklearn).toBeCloseTo(2);
    expect(c.deltaQuality).toBeCloseTo(-0.005);
    expect(c.parity).toBe(true);
  });

  it('parity fails just beyond the 0.01 tolerance and never on better quality', () => {
    expect(compare('d', [cell('native', 0.889, 1, 1), cell('python', 0.9, 1, 1)]).parity).toBe(false);
    expect(compare('d', [cell('native', 0.891, 1, 1), cell('python', 0.9, 1, 1)]).parity).toBe(true);
    expect(compare('d', [cell('native', 0.99, 1, 1), cell('python', 0.9, 1, 1)]).parity).toBe(true);
  });

  it('leaves ratios out when a side did not run', () => {
    const c = compare('d', [cell('native', 0.9, 1, 1), { runner: 'python', status: 'timeout', reason: 'slow' }]);
    expect(c.fitSpeedup).toBeUndefined();
    expect(c.parity).toBeUndefined();
  });

  it('geometric mean ignores missing values', () => {
    expect(geometricMean([2, 8, undefined])).toBeCloseTo(4);
    expect(geometricMean([undefined])).toBeUndefined();
  });

  it('chooses native only with quality parity and faster fit and predict', () => {
    expect(decide(true, true, [], 2, 3).choice).toBe('native');
    expect(decide(false, true, ['iris'], 2, 3)).toMatchObject({ choice: 'python', why: expect.stringContaining('iris') });
    expect(decide(true, false, [], 0.5, 3)).toMatchObject({ choice: 'python', why: expect.stringContaining('fit 1/2.00×') });
    expect(decide(undefined, undefined, []).choice).toBe('python');
  });

  it('formats speed-ups both ways', () => {
    expect(fmtX(3)).toBe('3.00×');
    expect(fmtX(0.25)).toBe('1/4.00×');
    expect(fmtX(150)).toBe('150×');
  });
});

describe('parity.json', () => {
  it('parses with core parseParityTable, aliases included', () => {
    const run = fakeRun(0.5);
    const table = parseParityTable(JSON.parse(JSON.stringify(parityTable(run, verdicts(run)))));
    expect(table.entries.map((e) => [e.algorithm, e.choice])).toEqual([
      ['ridge', 'native'],
      ['ridge_alias', 'native'],
    ]);
  });

  it('picks python when native loses quality parity', () => {
    const run = fakeRun(0.4);
    expect(parityTable(run, verdicts(run)).entries[0]!.choice).toBe('python');
  });
});

describe('targets', () => {
  it('checks the memory target on the 1M set as (data + fit extra) / data', () => {
    const run = fakeRun(0.5);
    const memory = targetChecks(run, verdicts(run)).find((t) => t.target.startsWith('fit peak'));
    expect(memory).toMatchObject({ dataset: 'synthetic_regression_1m', met: true });
    expect(memory!.measured).toBeCloseTo(1 + 0.5e8 / 1.2e8);
  });
});

describe('CI quality gate', () => {
  const baselineOf = (run: ParityRun) => JSON.parse(JSON.stringify(parityTable(run, verdicts(run))));

  it('passes when quality reproduces and fails on any change of native quality', () => {
    const baseline = baselineOf(fakeRun(0.5));
    expect(checkQualityRegressions(verdicts(fakeRun(0.5 + 1e-12)), baseline).failures).toEqual([]);
    for (const changed of [0.45, 0.5 + 1e-7, 0.6]) {
      const failures = checkQualityRegressions(verdicts(fakeRun(changed)), baseline).failures;
      expect(failures).toHaveLength(1);
      expect(failures[0]).toContain('native quality changed');
    }
  });

  it('fails where native was identical to python and no longer is', () => {
    const baseline = baselineOf(fakeRun(0.5));
    const failures = checkQualityRegressions(verdicts(fakeRun(0.5, 1, 0.5 + 1e-6)), baseline).failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('no longer identical to python');
    // Not identical in the report: python moving is no native regression.
    expect(checkQualityRegressions(verdicts(fakeRun(0.5, 1, 0.501)), baselineOf(fakeRun(0.5, 1, 0.502))).failures).toEqual([]);
  });

  it('fails when parity is lost', () => {
    const baseline = { entries: [{ task: 'regression', algorithm: 'ridge', datasets: [{ dataset: 'diabetes', native: null, python: 0.5, parity: true }] }] };
    const failures = checkQualityRegressions(verdicts(fakeRun(0.45)), baseline).failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('lost quality parity');
  });

  it('ignores speed entirely', () => {
    const baseline = baselineOf(fakeRun(0.5, 1));
    expect(checkQualityRegressions(verdicts(fakeRun(0.5, 1000)), baseline).failures).toEqual([]);
  });

  it('checks new algorithms for parity on their own', () => {
    expect(checkQualityRegressions(verdicts(fakeRun(0.45)), { entries: [] }).failures[0]).toContain('(new)');
    expect(checkQualityRegressions(verdicts(fakeRun(0.5)), undefined).failures).toEqual([]);
  });
});

describe('reports', () => {
  const run = fakeRun(0.5);
  const all = verdicts(run);

  it('renders a Markdown table per task with verdict marks', () => {
    const md = parityMarkdown(run, all, targetChecks(run, all));
    expect(md).toContain('## regression (r2)');
    expect(md).toMatch(/\| `ridge` \/ `ridge_alias` \|.*\| ✓ \| ✓ \| native \|/);
    expect(md).toContain('ml-x | skipped: budget');
  });

  it('renders both SVGs with a legend', () => {
    expect(speedupSvg(run, all)).toContain('1× = same speed');
    const quality = qualitySvg(run, all);
    expect(quality).toContain('native (Rust)');
    expect(quality).toContain('python (sklearn)');
  });
});
