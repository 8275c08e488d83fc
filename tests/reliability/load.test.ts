/**
 * 50 concurrent clients over one pg pool against the real PostgreSQL, with deployments and rollbacks during the
 * traffic (benchmarks/src/load is the engine; `pnpm bench load --duration 60` is the long run). Asserts
 * correctness only: zero errors, every answer from a complete model, every committed deployment served — with the
 * per-call lookup and with in-process serving (also with its listening connection killed again and again).
 */
import { describe, expect, it } from 'vitest';
import { loadSummaryLines, runLoad } from '../../benchmarks/src/load/run.js';
import { DATABASE_URL, figures, PROFILE } from './profile.js';

/** In-process serving may answer from the previous model until the notification arrives: the README's documented bound ("Serving"), well above the measured p99 so that a loaded machine does not turn it into a timing test. */
const NOTIFICATION_BOUND_MS = 250;

const MODES = [
  { title: 'per-call lookup', serving: 'per-call', staleAllowanceMs: 0, killListenerEveryMs: 0 },
  { title: 'in-process serving', serving: 'auto', staleAllowanceMs: NOTIFICATION_BOUND_MS, killListenerEveryMs: 0 },
  { title: 'in-process serving, listener killed every 700 ms', serving: 'auto', staleAllowanceMs: NOTIFICATION_BOUND_MS, killListenerEveryMs: 700 },
] as const;

describe.skipIf(!DATABASE_URL)('load against PostgreSQL', () => {
  it.each(MODES)(`holds ${PROFILE.loadClients} clients with deployments during traffic: $title`, async (mode) => {
    const report = await runLoad({
      databaseUrl: DATABASE_URL!,
      clients: PROFILE.loadClients,
      durationMs: PROFILE.loadDurationMs,
      deployEveryMs: 1000,
      serving: mode.serving,
      staleAllowanceMs: mode.staleAllowanceMs,
      killListenerEveryMs: mode.killListenerEveryMs,
    });
    for (const line of loadSummaryLines(report)) process.stdout.write(`  ${line}\n`);
    figures(`load ${mode.title}`, {
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
    const serving = JSON.stringify(report.serving);
    if (mode.killListenerEveryMs > 0) {
      expect(report.serving.listenerKills, serving).toBeGreaterThan(1);
      // Re-established after every kill (the last one may fall after the run's end).
      expect(report.serving.connects, serving).toBeGreaterThanOrEqual(report.serving.listenerKills);
    } else if (mode.serving === 'auto') {
      expect(report.serving.connects, serving).toBeGreaterThanOrEqual(1);
      expect(report.serving.hits, serving).toBeGreaterThan(report.serving.lookups); // served from memory, not per call
    }
  });
});
