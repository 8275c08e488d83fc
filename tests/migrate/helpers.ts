/** The CLI and prediction helpers shared by the migration tests. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPgDb, loadNative, predictBatch, predictProbaBatch, runtimeRegistry, type Db, type RuntimeRegistry } from '@pgml-ts/sdk';
import { PythonRuntime } from '@pgml-ts/python-compat';
import type { MigrationReport, ModelReport } from '../../packages/sdk/src/migrate/index.js';
import type { FixtureModel, V1Fixture } from './v1-database.js';

const BIN = fileURLToPath(new URL('../../packages/sdk/bin/pgml.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function pgml(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `pgml migrate … --json`: exactly one JSON object on stdout, exit 0. */
export async function migrate(args: string[]): Promise<MigrationReport> {
  const result = await pgml(['migrate', ...args, '--json']);
  if (result.code !== 0) throw new Error(`pgml migrate exited ${result.code}: ${result.stderr}${result.stdout}`);
  const lines = result.stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one JSON line on stdout, got:\n${result.stdout}`);
  return JSON.parse(lines[0]!) as MigrationReport;
}

export function modelReport(report: MigrationReport, id: number): ModelReport {
  const found = report.models.find((m) => m.modelId === id);
  if (!found) throw new Error(`model ${id} is not in the report`);
  return found;
}

let registry: RuntimeRegistry | undefined;
const python = new PythonRuntime();

export async function runtimes(): Promise<RuntimeRegistry> {
  registry ??= runtimeRegistry(await loadNative(), python);
  return registry;
}

export async function closeRuntimes(): Promise<void> {
  await python.close();
}

export function openDb(url: string): Db {
  return createPgDb(url, { max: 2 });
}

/** The snapshot rows of a fixture model as objects keyed by column name: predict must order them itself. */
export function featureObjects(fixture: V1Fixture, model: FixtureModel): Array<Record<string, unknown>> {
  const snapshot = fixture.snapshots.find((s) => s.id === model.snapshot_id)!;
  const relation = fixture.relations.find((r) => r.name === snapshot.relation)!;
  return relation.rows.map((row) =>
    Object.fromEntries(relation.columns.map(([name], i) => [name, row[i]]).filter(([name]) => !snapshot.y.includes(name as string))),
  );
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** A migrated model's predictions (and probabilities) through core's predict path, as numbers. */
export async function sdkPredictions(db: Db, fixture: V1Fixture, model: FixtureModel): Promise<{ predictions: number[]; proba?: number[] }> {
  const reg = await runtimes();
  const rows = featureObjects(fixture, model);
  const batch = await predictBatch(db, reg, model.id, rows);
  const predictions = Array.from(batch.predictions as ArrayLike<number | boolean>, Number);
  if (!model.expected?.proba) return { predictions };
  const proba = await predictProbaBatch(db, reg, model.id, rows);
  return { predictions, proba: Array.from(proba.probabilities) };
}

/** Relative to magnitude above 1, as the migration's own check: regression targets here are in the thousands. */
export function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-6): boolean {
  if (actual.length !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= tolerance * Math.max(1, Math.abs(expected[i]!)))) return false;
  }
  return true;
}
