/** Human output of the CLI: small aligned tables and readable numbers. With --json none of this is printed. */

export type Cell = string | number | boolean | null | undefined;

/** Columns padded to their widest cell; numbers right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map(formatCell));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]!.length)));
  const line = (cells: readonly string[], raw?: readonly Cell[]): string =>
    cells
      .map((cell, i) => (typeof raw?.[i] === 'number' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...text.map((cells, r) => line(cells, rows[r]))].join('\n');
}

export function formatCell(value: Cell): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

/** Four significant decimals for metrics; integers as they are. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? value.toFixed(4) : value.toPrecision(4);
}

/** A metrics object as a two-column table; times in seconds last. */
export function formatMetrics(metrics: Record<string, number | null | undefined>): string {
  const names = Object.keys(metrics).filter(
    (k) => k !== 'fit_time' && k !== 'score_time' && (typeof metrics[k] !== 'object' || metrics[k] === null),
  );
  const rows: Cell[][] = names.map((k) => [k, metrics[k]]);
  for (const k of ['fit_time', 'score_time']) if (typeof metrics[k] === 'number') rows.push([k, `${formatNumber(metrics[k]!)} s`]);
  return formatTable(['metric', 'value'], rows);
}

/** Hyperparameters as the JSON `--hyperparams` takes (`{}` when the defaults were used), shortened past `width`. */
export function formatHyperparams(hyperparams: Record<string, unknown>, width = 48): string {
  const text = JSON.stringify(hyperparams);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** `2025-01-31 12:34:56` in UTC. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
