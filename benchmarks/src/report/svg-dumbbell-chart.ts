// A dependency-free dumbbell chart: one row per item, two markers on a shared linear axis (e.g. native's and
// python's key metric), joined by a line; rows flagged `bad` are drawn in red. Readable on GitHub and in a browser.
import { escapeXml } from './svg-bar-chart.js';

export interface DumbbellRow {
  label: string;
  /** Filled marker. */
  a: number | undefined;
  /** Hollow marker. */
  b: number | undefined;
  bad?: boolean;
  /** Rows sharing a section are grouped under its heading. */
  section: string;
}

export interface DumbbellOptions {
  title: string;
  axisLabel: string;
  aLabel: string;
  bLabel: string;
  badLabel: string;
}

const AXIS_FLOOR = -1;

export function dumbbellChart(rows: readonly DumbbellRow[], options: DumbbellOptions): string {
  const values = rows.flatMap((r) => [r.a, r.b]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (values.length === 0) throw new Error('dumbbellChart: nothing to plot');
  // Scores far below zero (a useless r2 on a 5-row test set) would squash everything else: the axis stops at
  // AXIS_FLOOR and such values sit on it, labelled with their value.
  const lo = Math.max(AXIS_FLOOR, Math.min(0, Math.floor(Math.min(...values) * 10) / 10));
  const hi = Math.max(1, Math.ceil(Math.max(...values) * 10) / 10);
  const step = hi - lo > 1.2 ? 0.2 : 0.1;
  const labelWidth = 330;
  const plotWidth = 480;
  const rowHeight = 20;
  const sectionHeight = 24;
  const top = 76;
  const sections = [...new Set(rows.map((r) => r.section))];
  const height = top + rows.length * rowHeight + sections.length * sectionHeight + 70;
  const width = labelWidth + plotWidth + 40;
  const x = (v: number): number => labelWidth + ((Math.max(v, lo) - lo) / (hi - lo)) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${escapeXml(options.title)}</text>`,
  ];
  // legend
  const ly = 42;
  parts.push(`<circle cx="${labelWidth + 6}" cy="${ly}" r="5" fill="#2e6fbd"/>`, `<text x="${labelWidth + 16}" y="${ly + 4}">${escapeXml(options.aLabel)}</text>`);
  parts.push(`<circle cx="${labelWidth + 126}" cy="${ly}" r="5" fill="#fff" stroke="#e08a1e" stroke-width="2"/>`, `<text x="${labelWidth + 136}" y="${ly + 4}">${escapeXml(options.bLabel)}</text>`);
  parts.push(`<rect x="${labelWidth + 246}" y="${ly - 6}" width="12" height="12" fill="#fde2e2"/>`, `<text x="${labelWidth + 264}" y="${ly + 4}">${escapeXml(options.badLabel)}</text>`);

  const bodyBottom = height - 60;
  const ticks = Math.round((hi - lo) / step);
  for (let i = 0; i <= ticks; i++) {
    const t = lo + i * step;
    const gx = x(t);
    parts.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${bodyBottom}" stroke="${Math.abs(t) < 1e-9 || Math.abs(t - 1) < 1e-9 ? '#bbbbbb' : '#eeeeee'}"/>`);
    // Tick labels top and bottom: the chart is tall.
    parts.push(`<text x="${gx}" y="${top - 8}" text-anchor="middle" fill="#555" font-size="11">${t.toFixed(1)}</text>`);
    parts.push(`<text x="${gx}" y="${bodyBottom + 16}" text-anchor="middle" fill="#555">${t.toFixed(1)}</text>`);
  }
  parts.push(`<text x="${labelWidth + plotWidth / 2}" y="${bodyBottom + 36}" text-anchor="middle" fill="#333">${escapeXml(options.axisLabel)}</text>`);
  let y = top;
  for (const section of sections) {
    parts.push(`<text x="8" y="${y + 16}" font-weight="600">${escapeXml(section)}</text>`);
    y += sectionHeight;
    for (const row of rows.filter((r) => r.section === section)) {
      if (row.bad) parts.push(`<rect x="0" y="${y}" width="${width}" height="${rowHeight}" fill="#fde2e2"/>`);
      parts.push(`<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeXml(row.label)}</text>`);
      const cy = y + rowHeight / 2;
      if (row.a !== undefined && row.b !== undefined) {
        parts.push(`<line x1="${x(row.a)}" y1="${cy}" x2="${x(row.b)}" y2="${cy}" stroke="#999" stroke-width="2"/>`);
      }
      if (row.b !== undefined) parts.push(`<circle cx="${x(row.b)}" cy="${cy}" r="5.5" fill="#fff" stroke="#e08a1e" stroke-width="2"/>`);
      if (row.a !== undefined) parts.push(`<circle cx="${x(row.a)}" cy="${cy}" r="4" fill="#2e6fbd"/>`);
      const offAxis = [row.a, row.b].filter((v): v is number => v !== undefined && v < lo);
      if (offAxis.length) {
        parts.push(`<text x="${x(lo) + 10}" y="${y + 14}" fill="#777" font-size="11">◂ ${offAxis.map((v) => v.toFixed(2)).join(' / ')} (off axis)</text>`);
      }
      y += rowHeight;
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
