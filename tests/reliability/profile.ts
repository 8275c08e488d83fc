/**
 * How hard the reliability suite pushes: `quick` (what `npm test` runs, bounded to a few seconds per test) or `full`
 * (`PGML_RELIABILITY=full`, the run the README's figures come from). Every test prints its figures through
 * `figures()`, one `[reliability]` line each, so a run's output is its report.
 */
export const FULL = process.env.PGML_RELIABILITY === 'full';

export const PROFILE = {
  loadClients: 50,
  loadDurationMs: FULL ? 60_000 : 10_000,
  /** fast-check runs per property. */
  runs: (quick: number): number => (FULL ? quick * 5 : quick),
};

export function figures(test: string, values: Record<string, unknown>): void {
  const text = Object.entries(values)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  process.stdout.write(`[reliability] ${test}: ${text}\n`);
}

export const DATABASE_URL = process.env.DATABASE_URL;
