import type { FeatureImportances, ModelExplanation, StoredExplanation } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { integerFlag, noPositionals, projectOrModelFlag } from '../flags.js';
import { formatNumber, formatTable } from '../format.js';

const DEFAULT_TOP = 10;

/** The features that matter most, by the largest absolute value over the importance rows. */
function importanceTable(importances: FeatureImportances, features: string[], top: number): string {
  const magnitude = features.map((_, f) => Math.max(...importances.rows.map((r) => Math.abs(r.values[f] ?? 0))));
  const order = features.map((_, f) => f).sort((a, b) => magnitude[b]! - magnitude[a]!).slice(0, top);
  const columns = importances.rows.map((r) => r.output ?? importances.method);
  const how = importances.permutation
    ? ` (drop in ${importances.permutation.scoring} over ${importances.permutation.repeats} shuffles of ${importances.permutation.rows} test rows)`
    : '';
  return `feature importances: ${importances.method}${how}\n${formatTable(['feature', ...columns], order.map((f) => [features[f]!, ...importances.rows.map((r) => r.values[f])]))}`;
}

function taskSections(e: ModelExplanation): string[] {
  if (e.classification) {
    const { labels, confusion, curves } = e.classification;
    const sections = [`confusion matrix (rows: true, columns: predicted; ${e.testRows} test rows)\n${formatTable(['true \\ predicted', ...labels], confusion.map((row, t) => [labels[t]!, ...row]))}`];
    if (curves) {
      sections.push(formatTable(['class', 'test rows', 'roc_auc', 'average_precision'], curves.map((c) => [c.label, c.positives, c.rocAuc, c.averagePrecision])));
    }
    return sections;
  }
  if (e.regression) {
    return [
      `residuals (actual − predicted) on ${e.testRows} test rows\n` +
        formatTable(
          ['target', 'mean', 'std', 'mean |r|', 'p05', 'median', 'p95'],
          e.regression.targets.map(({ name, residuals: r }) => [name, r.mean, r.std, r.meanAbsolute, r.quantiles.p05, r.quantiles.p50, r.quantiles.p95]),
        ),
    ];
  }
  if (e.clustering) return [`test rows per cluster\n${formatTable(['cluster', 'rows'], e.clustering.clusterSizes.map((c) => [c.cluster, c.rows]))}`];
  if (e.decomposition) {
    return [`explained variance on the test rows\n${formatTable(['component', 'ratio'], e.decomposition.explainedVarianceRatio.map((v, i) => [i + 1, v]))}`];
  }
  return [];
}

export function formatExplanation(stored: StoredExplanation, top: number): string {
  const e = stored.explanation;
  const head = `model ${stored.modelId} of ${stored.project}: ${stored.algorithm} (${stored.runtime}), ${e.task}`;
  const importances = e.importances ? [importanceTable(e.importances, e.features, top)] : ['feature importances: none (no test rows)'];
  return [head, ...taskSections(e), ...importances].join('\n\n').replace(/\bNaN\b/g, formatNumber(Number.NaN));
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'why a model is good: confusion matrix, curves, residuals, feature importances',
  help: `Usage: pgml explain (--project P | --model ID) [--top N]

Shows what was measured on the test split when the model was trained (nothing is refitted): for classification
the confusion matrix and per-class ROC AUC / average precision, for regression the residuals, cluster sizes or
explained variance, and the features that matter most — the model's coefficients, impurity or gain importances,
or permutation importance for models without them.

Options:
  --project P   the project's deployed model
  --model ID    a model id instead (deployed or not)
  --top N       features shown (default ${DEFAULT_TOP}); --json always has all of them

With --json: {"modelId","project","task","algorithm","runtime","explanation":{…}} — the stored explanation, with
the ROC / precision–recall curve points, the residual histogram and the actual-vs-predicted sample.

Examples:
  pgml explain --project 'Handwritten Digits'
  pgml explain --model 3 --json`,
  options: { project: { type: 'string' }, model: { type: 'string' }, top: { type: 'string' } },
  async run({ values, positionals, output, connect }) {
    noPositionals('explain', positionals);
    const target = projectOrModelFlag(values);
    const top = integerFlag(values, 'top', 1) ?? DEFAULT_TOP;
    const pgml = await connect();
    const stored = await pgml.explain(target);
    output.result({ ...stored }, formatExplanation(stored, top));
    return 0;
  },
};
