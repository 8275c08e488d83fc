/**
 * What the dashboard's pages show, read through the client's own listings plus three parameterised queries of the
 * pgml schema (model sizes, snapshots). Nothing here builds SQL from request input: ids are bound parameters, and
 * project names are matched against the listing, never interpolated.
 */
import { keyMetric, PgmlError, type DeploymentSummary, type ModelSummary, type ProjectSummary, type StoredExplanation, type Task } from '@pgml-ts/core';
import type { PostgresML } from '../client.js';
import { loadParity } from '../runtimes/parity.js';

export interface ProjectPage {
  project: ProjectSummary;
  /** The metric that ranks models of this task (r2, f1, silhouette, …). */
  keyMetric: string;
  models: Array<ModelSummary & { bytes: number | null }>;
  deployments: DeploymentSummary[];
}

export interface ModelPage {
  model: ModelSummary;
  task: Task;
  keyMetric: string;
  bytes: number | null;
  /** Undefined for models trained before explanations were recorded (the page says so). */
  explanation?: StoredExplanation['explanation'];
}

export interface SnapshotPage {
  id: number;
  relationName: string;
  yColumnNames: string[];
  testSize: number;
  testSampling: string;
  materialized: boolean;
  columns: Array<{ name: string; type: string; kind: string; label: boolean }>;
  /** What train recorded when it read the snapshot: rows, the split, class counts, column statistics. */
  analysis: Record<string, unknown> | null;
  models: ModelSummary[];
}

export async function projectPage(pgml: PostgresML, name: string): Promise<ProjectPage | undefined> {
  const project = (await pgml.projects()).find((p) => p.name === name);
  if (!project) return undefined;
  const [models, deployments, sizes] = await Promise.all([pgml.models({ project: name }), pgml.deployments({ project: name }), modelSizes(pgml)]);
  return {
    project,
    keyMetric: keyMetric(project.task),
    models: models.map((m) => ({ ...m, bytes: sizes.get(m.id) ?? null })),
    deployments,
  };
}

export async function modelPage(pgml: PostgresML, id: number): Promise<ModelPage | undefined> {
  const model = (await pgml.models()).find((m) => m.id === id);
  if (!model) return undefined;
  const task = (await pgml.projects()).find((p) => p.id === model.projectId)!.task;
  const page: ModelPage = { model, task, keyMetric: keyMetric(task), bytes: (await modelSizes(pgml)).get(id) ?? null };
  try {
    page.explanation = (await pgml.explain(id)).explanation;
  } catch (error) {
    if (!(error instanceof PgmlError && error.code === 'NO_EXPLANATION')) throw error;
  }
  return page;
}

export async function snapshotPage(pgml: PostgresML, id: number): Promise<SnapshotPage | undefined> {
  const found = await pgml.db.query<Record<string, unknown>>(
    `SELECT id, relation_name, y_column_name, test_size, test_sampling, materialized, columns, analysis FROM pgml.snapshots WHERE id = $1`,
    [id],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
  const columns = (json(row.columns) as Array<{ name: string; pg_type: string; kind: string; label: boolean }> | null) ?? [];
  return {
    id,
    relationName: row.relation_name as string,
    yColumnNames: (row.y_column_name as string[] | null) ?? [],
    testSize: Number(row.test_size),
    testSampling: row.test_sampling as string,
    materialized: Boolean(row.materialized),
    columns: columns.map((c) => ({ name: c.name, type: c.pg_type, kind: c.kind, label: c.label })),
    analysis: (json(row.analysis) as Record<string, unknown> | null) ?? null,
    models: (await pgml.models()).filter((m) => m.snapshotId === id),
  };
}

/** The parity report the sdk routes `runtime: 'auto'` by: the shipped table, or the checkout's benchmark report. */
export async function parityPage(): Promise<{ source: string; entries: Array<Record<string, unknown>> } | undefined> {
  const loaded = await loadParity(undefined);
  return loaded && { source: loaded.source.replace(/^.*[\\/](benchmarks[\\/])/, '$1'), entries: loaded.table.entries };
}

/** Bytes of each model's stored file (pgml.files). */
async function modelSizes(pgml: PostgresML): Promise<Map<number, number>> {
  const found = await pgml.db.query<{ model_id: string | number; bytes: string | number }>(
    'SELECT model_id, sum(octet_length(data)) AS bytes FROM pgml.files GROUP BY model_id',
  );
  return new Map(found.rows.map((r) => [Number(r.model_id), Number(r.bytes)]));
}
