/** The migration report: one JSON object (`--json`) or a Markdown table, with every URL and message masked. */
import { maskSecrets, type RuntimeName } from '@pgml-ts/core';

/**
 * - migrated: copied now (python, or native when converted); already_migrated: found from an earlier run;
 *   would_migrate: --dry-run, it loads and would be copied.
 * - refused: the pickle names a global outside the allow-list (never executed); corrupt: unreadable bytes;
 *   unsupported: a model that cannot be served here (text labels, transformers, missing snapshot data, 2.x's
 *   lightgbm / catboost / linfa SVM); mismatch: --verify (or a 2.x linfa model's conversion) found different
 *   predictions (not copied); failed: anything else.
 */
export type ModelStatus =
  | 'migrated'
  | 'already_migrated'
  | 'would_migrate'
  | 'refused'
  | 'corrupt'
  | 'unsupported'
  | 'mismatch'
  | 'failed';

export type ConversionStatus = 'converted' | 'would_convert' | 'not_convertible' | 'mismatch' | 'failed';

export interface ModelReport {
  modelId: number;
  project: string;
  algorithm: string;
  status: ModelStatus;
  /** The runtime that serves the model after migration; null when it was not migrated. */
  runtimeAfter: RuntimeName | null;
  /** Max absolute difference of predictions (and probabilities) against the source model's; null when not compared. */
  maxDiff: number | null;
  /** Snapshot rows the comparison ran on. */
  rowsCompared: number;
  /** The estimator class (a pickle's, or 2.x's rust model), when it loaded. */
  estimator?: string;
  conversion?: { status: ConversionStatus; reason?: string; maxDiff?: number };
  message?: string;
}

export interface ProjectReport {
  id: number;
  name: string;
  task: string;
  status: 'migrated' | 'already_migrated' | 'would_migrate' | 'partial' | 'failed';
  /** The model 1.0 served for this project, and the one 2.x serves after migration. */
  deployedModelId: number | null;
  deployedAfter: number | null;
  notes: string[];
}

export interface MigrationReport {
  /** `layout`: 1.0's early or final layout, or `postgresml-2` (the 2.x extension's schema). */
  source: { url: string; schema: string; layout: 'early' | 'final' | 'postgresml-2'; featureOrder: 'table' | 'sorted' };
  target: { url: string; inPlace: boolean; renamedSchema: string | null };
  dryRun: boolean;
  verify: boolean;
  convertNative: boolean;
  projects: ProjectReport[];
  models: ModelReport[];
  summary: { models: number; migrated: number; alreadyMigrated: number; native: number; notMigrated: number };
}

export function summarize(models: readonly ModelReport[]): MigrationReport['summary'] {
  const count = (f: (m: ModelReport) => boolean): number => models.filter(f).length;
  return {
    models: models.length,
    migrated: count((m) => m.status === 'migrated' || m.status === 'would_migrate'),
    alreadyMigrated: count((m) => m.status === 'already_migrated'),
    native: count((m) => m.runtimeAfter === 'native'),
    notMigrated: count((m) => m.runtimeAfter === null),
  };
}

/** Every string in the report passes through `maskSecrets` (URLs, messages from drivers and the worker). */
export function masked<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? maskSecrets(v) : v))) as T;
}

function formatDiff(value: number | null): string {
  if (value === null) return '—';
  if (value === 0) return '0';
  return value.toExponential(2);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function toMarkdown(report: MigrationReport): string {
  const header = report.dryRun ? 'Migration plan (dry run: nothing was written)' : 'Migration report';
  const lines = [
    `## ${header}`,
    '',
    `From ${report.source.url} (schema ${report.source.schema}, ` +
      (report.source.layout === 'postgresml-2'
        ? 'PostgresML 2.x'
        : `PostgresML 1.0 ${report.source.layout} layout, features in ${report.source.featureOrder === 'sorted' ? 'name' : 'table'} order`) +
      `) to ${report.target.inPlace ? 'the same database' : report.target.url}` +
      (report.target.renamedSchema ? ` (source schema renamed to ${report.target.renamedSchema})` : '') +
      '.',
    '',
    '| model id | project | algorithm | status | runtime after | max diff | note |',
    '|---:|---|---|---|---|---:|---|',
    ...report.models.map((m) =>
      `| ${m.modelId} | ${cell(m.project)} | ${cell(m.algorithm)} | ${m.status} | ${m.runtimeAfter ?? '—'} | ${formatDiff(m.maxDiff)} | ${cell(note(m))} |`,
    ),
    '',
    ...report.projects.flatMap((p) => p.notes.map((n) => `- ${cell(p.name)}: ${n}`)),
    `${report.summary.models} models: ${report.summary.migrated} ${report.dryRun ? 'would be migrated' : 'migrated'}, ` +
      `${report.summary.alreadyMigrated} already migrated, ${report.summary.native} native, ${report.summary.notMigrated} not migrated.`,
  ];
  return maskSecrets(lines.join('\n'));
}

function note(m: ModelReport): string {
  const parts: string[] = [];
  if (m.message) parts.push(m.message);
  if (m.conversion && m.conversion.status !== 'converted') {
    parts.push(`native: ${m.conversion.status}${m.conversion.reason ? ` (${m.conversion.reason})` : ''}`);
  }
  if (m.rowsCompared > 0) parts.push(`${m.rowsCompared} rows compared`);
  return parts.join('; ');
}
