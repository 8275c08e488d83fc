/**
 * 50 concurrent clients over one pg pool against the real PostgreSQL, with deployments and rollbacks during the
 * traffic (benchmarks/src/load is the engine; `pnpm bench load --duration 60` is the long run). Asserts
 * correctness only: zero errors, every answer from a complete model, every committed deployment served.
 */
import { describe, expect, it } from 'vitest';
import { loadSummaryLines, runLoad } from '../../benchmarks/src/load/run.js';
import { DATABASE_URL, figures, PROFILE } from './profile.js';

describe.skipIf(!DATABASE_URL)('load against PostgreSQL', () => {
  it(`holds ${PROFILE.loadClients} clients with deployments during traffic`, async () => {
    const report = await runLoad({
      databaseUrl: DATABASE_URL!,
      clients: PROFILE.loadClients,
      durationMs: PROFILE.loadDurationMs,
      deployEveryMs: 1000,
    });
    for (const line of loadSummaryLines(report)) process.stdout.write(`  ${line}\n`);
    figures('load', {
      clients: report.clients,
      durationS: report.durationS,
      calls: report.requests,
      errors: report.errors,
      callsPerS: report.throughputPerS,
      p50Ms: report.latency.all.p50Ms,
      p99Ms: report.latency.all.p99Ms,
      singleP99Ms: report.latency.single.p99Ms,
      batchP99Ms: report.latency.batch.p99Ms,
      cacheHitRate: report.cache.hitRate,
      deployments: report.deployments.length,
      maxFirstServedMs: report.maxFirstServedMs,
    });
    expect(report.errorSamples).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.requests).toBeGreaterThan(report.clients);
    expect(report.incompleteModelAnswers).toBe(0);
    expect(report.staleAfterCommit).toBe(0);
    expect(report.deployments.length).toBeGreaterThanOrEqual(2);
    // Both models answered, and every deployment but possibly the last one was served before the run ended.
    expect(Object.keys(report.answersByModel).sort()).toEqual(['linear', 'ridge']);
    expect(report.deployments.slice(0, -1).every((d) => d.firstServedMs !== null)).toBe(true);
  });
});
