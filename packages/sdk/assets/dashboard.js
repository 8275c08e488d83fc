// pgml dashboard: draws each `[data-chart]` placeholder with Observable Plot (loaded before this file as the
// global `Plot`) from the JSON block the server rendered next to it, and asks for confirmation before a deploy.
/* global Plot */
'use strict';

const WIDTH = 640;
const diagonal = (lo, hi) => Plot.link([{ lo, hi }], { x1: 'lo', y1: 'lo', x2: 'hi', y2: 'hi', stroke: '#aaa', strokeDasharray: '4,3' });

const charts = {
  bars: (d) =>
    Plot.plot({
      width: WIDTH, marginBottom: 80, x: { label: d.x, tickRotate: -30 }, y: { label: d.y, grid: true },
      marks: [Plot.barY(d.rows.filter((r) => r.value !== null), { x: 'model', y: 'value', fill: (r) => (r.live ? '#2a7' : '#69c'), title: (r) => `${r.model}: ${r.value}` }), Plot.ruleY([0])],
    }),
  timeline: (d) =>
    Plot.plot({
      width: WIDTH, height: 160, x: { type: 'utc', label: 'deployed at' }, y: { type: 'point', label: 'model' },
      marks: [Plot.line(d.rows, { x: (r) => new Date(r.at), y: (r) => String(r.model), curve: 'step-after', stroke: '#ccc' }),
        Plot.dot(d.rows, { x: (r) => new Date(r.at), y: (r) => String(r.model), fill: (r) => (r.live ? '#2a7' : '#69c'), r: 5, title: (r) => `model ${r.model} (${r.algorithm}) by ${r.strategy}` })],
    }),
  confusion: (d) =>
    Plot.plot({
      width: Math.min(WIDTH, 120 + 40 * d.labels.length), height: Math.min(WIDTH, 80 + 40 * d.labels.length), padding: 0.05,
      x: { domain: d.labels, label: 'predicted', axis: 'top' }, y: { domain: d.labels, label: 'actual' }, color: { scheme: 'blues' },
      marks: [Plot.cell(d.cells, { x: 'predicted', y: 'actual', fill: 'count', title: (c) => `${c.actual} → ${c.predicted}: ${c.count}` }),
        Plot.text(d.cells, { x: 'predicted', y: 'actual', text: 'count', fill: (c) => (c.count > 0 ? 'black' : '#999') })],
    }),
  curve: (d) =>
    Plot.plot({
      width: 360, height: 320, x: { domain: [0, 1], label: d.x }, y: { domain: [0, 1], label: d.y }, color: { type: 'categorical', legend: new Set(d.rows.map((r) => r.label)).size > 1 },
      marks: [...(d.diagonal ? [diagonal(0, 1)] : []), Plot.line(d.rows, { x: 'x', y: 'y', stroke: 'label', z: 'label' })],
    }),
  histogram: (d) =>
    Plot.plot({
      width: 360, height: 240, x: { label: 'value' }, y: { label: 'rows', grid: true },
      marks: [Plot.rectY(d.counts.map((count, i) => ({ x1: d.edges[i], x2: d.edges[i + 1], count })), { x1: 'x1', x2: 'x2', y: 'count', fill: '#69c', inset: 0.5 }), Plot.ruleY([0])],
    }),
  scatter: (d) => {
    const values = d.rows.flatMap((r) => [r.actual, r.predicted]);
    return Plot.plot({
      width: 360, height: 320, x: { label: 'actual' }, y: { label: 'predicted' },
      marks: [diagonal(Math.min(...values), Math.max(...values)), Plot.dot(d.rows, { x: 'actual', y: 'predicted', r: 2, fill: '#69c', fillOpacity: 0.6 })],
    });
  },
  importances: (d) => {
    const outputs = [...new Set(d.rows.map((r) => r.output))];
    if (outputs.length === 1) {
      return Plot.plot({
        width: WIDTH, marginLeft: 160, height: 40 + 18 * d.order.length, y: { domain: d.order, label: null }, x: { label: outputs[0], grid: true },
        marks: [Plot.barX(d.rows, { x: 'value', y: 'feature', fill: (r) => (r.value < 0 ? '#c66' : '#69c'), title: (r) => `${r.feature}: ${r.value}` }), Plot.ruleX([0])],
      });
    }
    return Plot.plot({
      width: WIDTH, marginLeft: 160, height: 60 + 18 * d.order.length, y: { domain: d.order, label: null }, x: { domain: outputs, label: null, axis: 'top' },
      color: { type: 'diverging', scheme: 'rdbu', legend: true },
      marks: [Plot.cell(d.rows, { x: 'output', y: 'feature', fill: 'value', title: (r) => `${r.feature} → ${r.output}: ${r.value}` })],
    });
  },
  search: (d) =>
    Plot.plot({
      width: WIDTH, x: { type: 'point', label: d.param }, y: { label: 'mean test score', grid: true },
      marks: [Plot.ruleX(d.rows, { x: 'value', y1: (r) => r.score - r.std, y2: (r) => r.score + r.std, stroke: '#aaa' }), Plot.line(d.rows, { x: 'value', y: 'score', stroke: '#69c' }), Plot.dot(d.rows, { x: 'value', y: 'score', fill: '#69c' })],
    }),
  'class-counts': (d) =>
    Plot.plot({
      width: WIDTH, x: { label: 'class', type: 'band' }, y: { label: 'rows', grid: true }, color: { legend: true },
      marks: [Plot.barY(d.rows, { x: 'label', y: 'rows', fill: 'split' }), Plot.ruleY([0])],
    }),
  speedups: (d) => {
    const rows = d.rows.flatMap((r) => ['fit', 'predict'].filter((k) => r[k] !== null).map((k) => ({ algorithm: r.algorithm, kind: k, speedup: r[k], choice: r.choice })));
    return Plot.plot({
      width: WIDTH, marginLeft: 220, height: 40 + 14 * rows.length, x: { type: 'log', label: '× faster than python', grid: true }, y: { label: null }, color: { legend: true },
      marks: [Plot.barX(rows, { x: 'speedup', y: (r) => `${r.algorithm} ${r.kind}`, fill: 'kind', title: (r) => `${r.algorithm} ${r.kind}: ${r.speedup}× (auto picks ${r.choice})` }), Plot.ruleX([1])],
    });
  },
  parity: (d) => {
    const rows = d.rows.filter((r) => r.native !== null && r.python !== null);
    const values = rows.flatMap((r) => [r.native, r.python]);
    return Plot.plot({
      width: WIDTH, height: 420, x: { label: 'python' }, y: { label: 'native' },
      marks: [diagonal(Math.min(...values), Math.max(...values)), Plot.dot(rows, { x: 'python', y: 'native', stroke: 'algorithm', title: (r) => `${r.algorithm} on ${r.dataset}: native ${r.native}, python ${r.python}` })],
    });
  },
};

for (const element of document.querySelectorAll('[data-chart]')) {
  const data = JSON.parse(document.getElementById(`${element.id}-data`).textContent);
  try {
    element.append(charts[element.dataset.chart](data));
    element.dataset.rendered = 'true';
  } catch (error) {
    element.textContent = `chart failed: ${error.message}`;
    element.dataset.rendered = 'error';
  }
}

const form = document.querySelector('form[data-confirm]');
const dialog = document.getElementById('confirm-dialog');
if (form && dialog) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const choice = form.elements.choice;
    document.getElementById('confirm-text').textContent = `Deploy ${choice.options[choice.selectedIndex].text}? predict will use it at once.`;
    dialog.showModal();
  });
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'confirm') form.submit();
  });
}
