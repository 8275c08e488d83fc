/**
 * The PostgreSQL a benchmark command runs on: the URL it was given, else a throw-away PostgreSQL 15 started for the
 * run (scripts/lib/postgres-server.mjs) that `stop()` removes.
 */
export interface BenchmarkDatabase {
  url: string;
  /** The started server's binaries; undefined for a given URL. */
  pgBin?: string;
  stop(): void;
}

export async function benchmarkDatabase(
  url: string | undefined,
  progress: ((msg: string) => void) | undefined,
  settings?: Record<string, string | number>,
): Promise<BenchmarkDatabase> {
  if (url) return { url, stop: () => undefined };
  const { startPostgres } = await import('../../scripts/lib/postgres-server.mjs');
  const server = await startPostgres({ log: (m) => progress?.(m), ...(settings ? { settings } : {}) });
  return { url: server.url, pgBin: server.pgBin, stop: () => server.stop() };
}
