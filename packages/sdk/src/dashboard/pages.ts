/** The dashboard's pages as HTML (data.ts reads, html.ts escapes, assets/dashboard.js draws the charts). */
import type { ProjectSummary } from '@pgml-ts/core';
import type { ModelPage, ProjectPage, SnapshotPage } from './data.js';
import { explanationSections } from './explanation-section.js';
import { chart, formatValue, html, Html, layout, table } from './html.js';

const projectLink = (name: string): Html => html`<a href="/projects/${encodeURIComponent(name)}">${name}</a>`;
const modelLink = (id: number): Html => html`<a href="/models/${id}">${id}</a>`;

export function projectsPage(projects: ProjectSummary[]): string {
  const body = projects.length
    ? table(
        ['project', 'task', 'models', 'deployed model', 'created'],
        projects.map((p) => [projectLink(p.name), p.task, p.models, p.deployedModelId === null ? null : modelLink(p.deployedModelId), p.createdAt]),
        'projects',
      )
    : html`<p>No projects yet: <code>pgml train</code> creates one.</p>`;
  return layout('Projects', body);
}

function bytes(n: number | null): string {
  if (n === null) return '—';
  return n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`;
}

export function projectPageHtml(page: ProjectPage, csrf: string | undefined): string {
  const { project, models, deployments, keyMetric } = page;
  const live = deployments.find((d) => d.live)?.modelId;
  const metricNames = [...new Set(models.flatMap((m) => Object.keys(m.metrics ?? {})))].filter((k) => k !== 'fit_time' && k !== 'score_time');
  const modelsTable = table(
    ['model', 'algorithm', 'runtime', ...metricNames, 'fit time (s)', 'size', 'hyperparameters', 'snapshot', 'deployed'],
    models.map((m) => [
      modelLink(m.id),
      m.algorithm,
      m.runtime,
      ...metricNames.map((k) => m.metrics?.[k] ?? null),
      m.metrics?.fit_time ?? null,
      bytes(m.bytes),
      html`<code>${JSON.stringify(m.hyperparams)}</code>`,
      m.snapshotId === null ? null : html`<a href="/snapshots/${m.snapshotId}">${m.snapshotId}</a>`,
      m.id === live ? html`<strong class="live">live</strong>` : '',
    ]),
    'models',
  );
  const metricChart = chart(
    'chart-key-metric',
    'bars',
    { x: 'model', y: keyMetric, rows: models.map((m) => ({ model: `${m.id} ${m.algorithm} (${m.runtime})`, value: m.metrics?.[keyMetric] ?? null, live: m.id === live })) },
    `${keyMetric} per model (test split)`,
  );
  const timeline = chart(
    'chart-deployments',
    'timeline',
    { rows: deployments.map((d) => ({ at: d.createdAt.toISOString(), model: d.modelId, algorithm: d.algorithm, strategy: d.strategy, live: d.live })) },
    'deployments over time',
  );
  const history = table(
    ['deployed at', 'model', 'algorithm', 'strategy', 'live'],
    deployments.map((d) => [d.createdAt, modelLink(d.modelId), d.algorithm, d.strategy, d.live ? 'live' : '']),
    'deployments',
  );
  const body = html`<p class="summary">${project.task} · ${models.length} models · ${live === undefined ? 'nothing deployed' : html`model ${modelLink(live)} deployed`}</p>
<section><h2>Models</h2>${modelsTable}${metricChart}</section>
<section><h2>Deployments</h2>${timeline}${history}</section>
<section><h2>Deploy</h2>${deployForm(project.name, models.map((m) => m.id), csrf)}</section>`;
  return layout(project.name, body);
}

/** Strategies and a chosen model, behind a confirmation dialog (dashboard.js); only for holders of the token. */
function deployForm(project: string, modelIds: number[], csrf: string | undefined): Html {
  if (csrf === undefined) return html`<p>Deploying needs the dashboard token: open the URL <code>pgml dashboard</code> printed.</p>`;
  return html`<form method="post" action="/projects/${encodeURIComponent(project)}/deploy" id="deploy-form" data-confirm="deploy">
<input type="hidden" name="csrf" value="${csrf}">
<label>Deploy <select name="choice" id="deploy-choice">
<option value="best_score">best_score: the best key metric</option><option value="most_recent">most_recent: the newest model</option>
<option value="rollback">rollback: the previously deployed model</option>
${modelIds.map((id) => html`<option value="model:${id}">model ${id}</option>`)}
</select></label> <button type="submit">Deploy…</button></form>
<dialog id="confirm-dialog"><form method="dialog"><p id="confirm-text"></p><button value="cancel">Cancel</button> <button value="confirm" id="confirm-button">Confirm</button></form></dialog>`;
}

export function modelPageHtml(page: ModelPage): string {
  const { model, keyMetric } = page;
  const metrics = Object.entries(model.metrics ?? {});
  const body = html`<p class="summary">project ${projectLink(model.project)} · ${model.algorithm} (${model.runtime}) · ${model.deployed ? 'deployed' : 'not deployed'} · ${bytes(page.bytes)} · snapshot ${
    model.snapshotId === null ? '—' : html`<a href="/snapshots/${model.snapshotId}">${model.snapshotId}</a>`
  }</p>
<section><h2>Metrics</h2>${table(['metric', 'value'], metrics.map(([k, v]) => [k === keyMetric ? html`<strong>${k}</strong>` : k, v]), 'metrics')}</section>
<section><h2>Hyperparameters</h2>${table(['name', 'value'], Object.entries(model.hyperparams).map(([k, v]) => [k, formatValue(v)]), 'hyperparams')}</section>
${searchSection(page)}
${page.explanation ? explanationSections(page.explanation) : html`<section><h2>Explanation</h2><p>This model was trained before explanations were recorded: train it again to see them.</p></section>`}`;
  return layout(`Model ${model.id}`, body);
}

function searchSection({ model }: ModelPage): Html {
  const results = model.searchResults;
  if (!results) return html``;
  const params = [...new Set(results.params.flatMap((p) => Object.keys(p)))];
  const rows = results.params.map((p, i) => ({ ...p, mean: results.mean_test_score[i] ?? null, std: results.std_test_score[i] ?? null, best: i === results.best_index }));
  const searched = params.find((p) => typeof results.params[0]?.[p] === 'number') ?? params[0];
  return html`<section><h2>Hyperparameter search (${model.search})</h2>
${table([...params, 'mean test score', 'std', 'best'], rows.map((r) => [...params.map((p) => formatValue(r[p as keyof typeof r])), r.mean, r.std, r.best ? 'best' : '']), 'search')}
${searched === undefined ? html`` : chart('chart-search', 'search', { param: searched, rows: rows.map((r) => ({ value: formatValue(r[searched as keyof typeof r]), score: r.mean, std: r.std })) }, `cross-validation score over ${searched}`)}
</section>`;
}

export function snapshotPageHtml(page: SnapshotPage): string {
  const analysis = page.analysis ?? {};
  const stats = (analysis.column_statistics ?? {}) as Record<string, Record<string, unknown>>;
  const counts = analysis.class_counts as { train: Record<string, number>; test: Record<string, number> } | undefined;
  const statNames = ['count', 'missing', 'min', 'max', 'mean', 'stddev'];
  const body = html`<p class="summary">${page.relationName} · y ${page.yColumnNames.join(', ') || '—'} · test ${page.testSize} (${page.testSampling}) · ${
    page.materialized ? 'materialized' : 'reads the live relation'
  } · ${formatValue(analysis.rows)} rows (${formatValue(analysis.train_rows)} train, ${formatValue(analysis.test_rows)} test)</p>
<section><h2>Columns</h2>${table(
    ['column', 'type', 'kind', 'role', ...statNames],
    page.columns.map((c) => [c.name, c.type, c.kind, c.label ? 'label' : 'feature', ...statNames.map((s) => stats[c.name]?.[s] ?? null)]),
    'columns',
  )}</section>
${Object.keys(stats).length ? html`<section><h2>Histograms</h2>${page.columns
    // In table order (stored JSONB orders keys its own way).
    .filter((c) => stats[c.name]?.histogram)
    .map((c, i) => chart(`chart-histogram-${i}`, 'histogram', stats[c.name]!.histogram, c.name))}</section>` : html``}
${counts ? chart('chart-class-counts', 'class-counts', { rows: Object.keys(counts.train).flatMap((label) => [{ label, split: 'train', rows: counts.train[label] }, { label, split: 'test', rows: counts.test[label] ?? 0 }]) }, 'rows per class') : html``}
<section><h2>Models trained on it</h2>${table(['model', 'project', 'algorithm', 'runtime'], page.models.map((m) => [modelLink(m.id), m.project, m.algorithm, m.runtime]))}</section>`;
  return layout(`Snapshot ${page.id}`, body);
}

export function parityPageHtml(parity: { source: string; entries: Array<Record<string, unknown>> } | undefined): string {
  if (!parity) return layout('Runtime parity', html`<p>No parity report found (benchmarks/results/parity.json or the sdk's parity.json).</p>`);
  const entries = parity.entries;
  const points = entries.flatMap((e) =>
    ((e.datasets as Array<Record<string, unknown>> | undefined) ?? []).map((d) => ({ algorithm: `${e.task}/${e.algorithm}`, dataset: d.dataset, native: d.native ?? null, python: d.python ?? null })),
  );
  const body = html`<p class="summary">From ${parity.source}: which runtime <code>runtime: 'auto'</code> picks per algorithm, and why.</p>
${chart('chart-parity-speed', 'speedups', { rows: entries.map((e) => ({ algorithm: `${e.task}/${e.algorithm}`, fit: e.fitSpeedup ?? null, predict: e.predictSpeedup ?? null, choice: e.choice })) }, 'native speed-up over python (× faster, log scale)')}
${chart('chart-parity-quality', 'parity', { rows: points }, 'key metric per dataset: native against python (on the diagonal = same quality)')}
${table(['task', 'algorithm', 'choice', 'metric', 'fit ×', 'predict ×', 'why'], entries.map((e) => [e.task, e.algorithm, e.choice, e.metric ?? null, e.fitSpeedup ?? null, e.predictSpeedup ?? null, e.why ?? null]), 'parity')}`;
  return layout('Runtime parity', body);
}
