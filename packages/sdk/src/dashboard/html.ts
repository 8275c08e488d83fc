/**
 * HTML building blocks: every interpolated value passes through `escape`, chart data travels as JSON in a
 * non-executable `<script type="application/json">` block (with `<` escaped so no value can close it), and charts
 * are drawn in the browser by assets/dashboard.js from that data.
 */
export function escape(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A piece of trusted markup (built by these helpers), as opposed to text to escape. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** Tagged template: interpolations are escaped unless they are `Html` (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const part = (v: unknown): string => (v instanceof Html ? v.markup : Array.isArray(v) ? v.map(part).join('') : escape(v));
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? part(values[i]) : ''), ''));
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (value instanceof Date) return value.toISOString().replace('T', ' ').slice(0, 19);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function table(headers: string[], rows: unknown[][], id?: string): Html {
  return html`<table${id ? new Html(` id="${escape(id)}"`) : ''}><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map((cell) => html`<td>${cell instanceof Html ? cell : formatValue(cell)}</td>`)}</tr>`,
  )}</tbody></table>`;
}

/** A chart placeholder: dashboard.js draws `kind` from `data` (JSON) into it. */
export function chart(id: string, kind: string, data: unknown, caption: string): Html {
  return html`<figure class="chart"><figcaption>${caption}</figcaption><div id="${id}" data-chart="${kind}"></div>${jsonBlock(`${id}-data`, data)}</figure>`;
}

function jsonBlock(id: string, data: unknown): Html {
  return new Html(`<script type="application/json" id="${escape(id)}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`);
}

export function layout(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · pgml dashboard</title><link rel="stylesheet" href="/assets/dashboard.css"></head>
<body><header><a href="/" class="brand">pgml dashboard</a><nav><a href="/">Projects</a><a href="/parity">Runtime parity</a></nav></header>
<main><h1>${escape(title)}</h1>${body.markup}</main>
<script src="/assets/d3.min.js"></script><script src="/assets/plot.min.js"></script><script src="/assets/dashboard.js"></script>
</body></html>`;
}
