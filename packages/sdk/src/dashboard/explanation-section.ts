/** A stored explanation (core's ModelExplanation) as the model page's charts: one chart per measured picture. */
import type { FeatureImportances, ModelExplanation } from '@pgml-ts/core';
import { chart, html, Html, table } from './html.js';

/** Features shown in the importance chart; the table below it lists every one. */
const TOP_FEATURES = 20;

export function explanationSections(e: ModelExplanation): Html {
  return html`${taskSection(e)}${importanceSection(e.importances, e.features)}`;
}

function taskSection(e: ModelExplanation): Html {
  if (e.classification) {
    const { labels, confusion, curves } = e.classification;
    const cells = confusion.flatMap((row, t) => row.map((count, p) => ({ actual: labels[t], predicted: labels[p], count })));
    const curveRows = (key: 'roc' | 'precisionRecall') => curves?.flatMap((c) => c[key].x.map((x, i) => ({ label: c.label, x, y: c[key].y[i] }))) ?? [];
    return html`<section><h2>Classification on the ${e.testRows} test rows</h2>
${chart('chart-confusion', 'confusion', { labels, cells }, 'confusion matrix (rows: actual, columns: predicted)')}
${curves ? html`<div class="pair">${chart('chart-roc', 'curve', { x: 'false positive rate', y: 'true positive rate', diagonal: true, rows: curveRows('roc') }, 'ROC curve (one-vs-rest)')}
${chart('chart-pr', 'curve', { x: 'recall', y: 'precision', diagonal: false, rows: curveRows('precisionRecall') }, 'precision–recall curve')}</div>
${table(['class', 'test rows', 'ROC AUC', 'average precision'], curves.map((c) => [c.label, c.positives, c.rocAuc, c.averagePrecision]), 'curves')}` : html`<p>The model has no probabilities or decision function: no curves.</p>`}
</section>`;
  }
  if (e.regression) {
    return html`<section><h2>Regression on the ${e.testRows} test rows</h2>
${table(['target', 'mean residual', 'std', 'mean |residual|', 'p05', 'median', 'p95'], e.regression.targets.map(({ name, residuals: r }) => [name, r.mean, r.std, r.meanAbsolute, r.quantiles.p05, r.quantiles.p50, r.quantiles.p95]), 'residuals')}
${e.regression.targets.map(
  (t, i) => html`<div class="pair">${chart(`chart-residuals-${i}`, 'histogram', t.residuals.histogram, `${t.name}: residuals (actual − predicted)`)}
${chart(`chart-scatter-${i}`, 'scatter', { rows: t.sample.actual.map((actual, j) => ({ actual, predicted: t.sample.predicted[j] })) }, `${t.name}: actual against predicted (${t.sample.actual.length} sampled test rows)`)}</div>`,
)}</section>`;
  }
  if (e.clustering) {
    return html`<section><h2>Clusters of the ${e.testRows} test rows</h2>${chart('chart-clusters', 'bars', { x: 'cluster', y: 'rows', rows: e.clustering.clusterSizes.map((c) => ({ model: String(c.cluster), value: c.rows })) }, 'test rows per cluster')}</section>`;
  }
  if (e.decomposition) {
    return html`<section><h2>Components on the ${e.testRows} test rows</h2>${chart('chart-variance', 'bars', { x: 'component', y: 'explained variance ratio', rows: e.decomposition.explainedVarianceRatio.map((v, i) => ({ model: String(i + 1), value: v })) }, 'explained variance per component')}</section>`;
  }
  return html``;
}

const METHOD: Record<FeatureImportances['method'], string> = {
  coefficients: "the model's coefficients",
  impurity: 'mean decrease in impurity (scikit-learn)',
  gain: "XGBoost's average split gain",
  permutation: 'permutation importance on the test split',
};

function importanceSection(importances: FeatureImportances | null, features: string[]): Html {
  if (!importances) return html`<section><h2>Feature importances</h2><p>None: no test rows to measure them on.</p></section>`;
  const magnitude = features.map((_, f) => Math.max(...importances.rows.map((r) => Math.abs(r.values[f] ?? 0))));
  const top = features.map((_, f) => f).sort((a, b) => magnitude[b]! - magnitude[a]!).slice(0, TOP_FEATURES);
  const rows = importances.rows.flatMap((r) => top.map((f) => ({ feature: features[f], output: r.output ?? importances.method, value: r.values[f] ?? 0 })));
  const how = importances.permutation
    ? ` (drop in ${importances.permutation.scoring}, ${importances.permutation.repeats} shuffles of ${importances.permutation.rows} test rows)`
    : '';
  return html`<section><h2>Feature importances: ${METHOD[importances.method]}${how}</h2>
${chart('chart-importances', 'importances', { rows, order: top.map((f) => features[f]) }, `the ${top.length} features that matter most`)}
${table(['feature', ...importances.rows.map((r) => r.output ?? importances.method)], features.map((name, f) => [name, ...importances.rows.map((r) => r.values[f] ?? null)]), 'importances')}</section>`;
}
