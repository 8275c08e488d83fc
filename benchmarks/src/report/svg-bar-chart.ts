// A small, dependency-free horizontal bar chart on a log axis, readable on GitHub and in a browser:
// one bar per row, coloured by group, value label at the bar's end, decade grid lines, units and a legend.
export interface Bar {
  label: string;
  value: number;
  group: string;
}

export interface BarChartOptions {
  title: string;
  unit: string;
  /** Group → colour; groups not listed get a neutral grey. */
  colors: Record<string, string>;
  /** Text under the x axis; default `<unit> (log scale, lower is faster)`. */
  axisLabel?: string;
  /** A dashed vertical line with a caption, e.g. 1× = as fast as the baseline. */
  reference?: { value: number; label: string };
  /** Appended to each bar's value label, e.g. `×`. */
  valueSuffix?: string;
}

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function formatValue(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 1) return v.toFixed(2);
  if (v >= 0.01) return v.toFixed(3);
  return v.toPrecision(2);
}

export function logBarChart(bars: readonly Bar[], { title, unit, colors, axisLabel, reference, valueSuffix = '' }: BarChartOptions): string {
  const positive = bars.filter((b) => b.value > 0 && Number.isFinite(b.value));
  if (positive.length === 0) throw new Error('logBarChart: no positive values to plot');
  // ~7.2 px per character at 13 px: wide enough for the longest label, never narrower than 300.
  const labelWidth = Math.max(300, Math.ceil(Math.max(...positive.map((b) => b.label.length)) * 7.2) + 16);
  const plotWidth = 520;
  const rowHeight = 26;
  const top = 56;
  const legendHeight = 34;
  const height = top + positive.length * rowHeight + 40 + legendHeight;
  const width = labelWidth + plotWidth + 90;
  const extremes = [...positive.map((b) => b.value), ...(reference ? [reference.value] : [])];
  const minExp = Math.floor(Math.log10(Math.min(...extremes)));
  const maxExp = Math.ceil(Math.log10(Math.max(...extremes)));
  const span = Math.max(1, maxExp - minExp);
  const x = (v: number): number => labelWidth + ((Math.log10(v) - minExp) / span) * plotWidth;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${escapeXml(title)}</text>`,
  ];
  const axisBottom = top + positive.length * rowHeight;
  for (let e = minExp; e <= maxExp; e++) {
    const gx = x(10 ** e);
    parts.push(`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${axisBottom}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${gx}" y="${axisBottom + 16}" text-anchor="middle" fill="#555">${e < 0 ? (10 ** e).toFixed(-e) : String(10 ** e)}</text>`);
  }
  parts.push(`<text x="${labelWidth + plotWidth / 2}" y="${axisBottom + 34}" text-anchor="middle" fill="#333">${escapeXml(axisLabel ?? `${unit} (log scale, lower is faster)`)}</text>`);
  positive.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const color = colors[bar.group] ?? '#9e9e9e';
    const x0 = x(10 ** minExp);
    parts.push(`<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escapeXml(bar.label)}</text>`);
    parts.push(`<rect x="${x0}" y="${y + 4}" width="${Math.max(1, x(bar.value) - x0)}" height="${rowHeight - 8}" fill="${color}" rx="2"/>`);
    parts.push(`<text x="${x(bar.value) + 6}" y="${y + 17}" fill="#222">${formatValue(bar.value)}${escapeXml(valueSuffix)}</text>`);
  });
  if (reference) {
    const rx = x(reference.value);
    parts.push(`<line x1="${rx}" y1="${top - 10}" x2="${rx}" y2="${axisBottom}" stroke="#333" stroke-width="1.5" stroke-dasharray="5 3"/>`);
    parts.push(`<text x="${rx + 4}" y="${top - 12}" fill="#333" font-size="12">${escapeXml(reference.label)}</text>`);
  }
  const groups = [...new Set(positive.map((b) => b.group))];
  let lx = labelWidth;
  const ly = height - legendHeight + 10;
  for (const group of groups) {
    parts.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${colors[group] ?? '#9e9e9e'}" rx="2"/>`);
    parts.push(`<text x="${lx + 18}" y="${ly + 11}">${escapeXml(group)}</text>`);
    lx += 30 + group.length * 7.5;
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
