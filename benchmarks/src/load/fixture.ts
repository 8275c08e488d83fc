/**
 * The load run's project: a small regression table and two models of it whose outputs differ on every input
 * (ordinary least squares and a heavily regularised ridge), plus each model's own predictions for a fixed set of
 * inputs, single-row and in fixed batches. A prediction under load is "from a complete model" when it equals one of
 * the two — and for a batch, when every row of it equals the SAME model's.
 */
import { randomBytes } from 'node:crypto';
import { createRng } from '@pgml-ts/core';
import type { AlgorithmName, PostgresML } from '@pgml-ts/sdk';

export const FEATURES = 4;

export interface ModelOutputs {
  modelId: number;
  algorithm: string;
  /** `single[i]`: the model's prediction for `inputs[i]` alone. */
  single: number[];
  /** `batches[b][r]`: the model's prediction for row r of batch b. */
  batches: number[][];
}

/** One of the fixture's two models. */
export interface ModelSpec {
  /** How reports name it (distinct from the other's). */
  name: string;
  algorithm: AlgorithmName<'regression'>;
  hyperparams?: Record<string, unknown>;
}

/** The load run's pair: ordinary least squares and a heavily regularised ridge. */
export const LINEAR_PAIR: [ModelSpec, ModelSpec] = [
  { name: 'linear', algorithm: 'linear' },
  { name: 'ridge', algorithm: 'ridge', hyperparams: { alpha: 5000 } },
];

export interface LoadFixture {
  project: string;
  table: string;
  inputs: number[][];
  batches: number[][][];
  models: [ModelOutputs, ModelOutputs];
  drop(): Promise<void>;
}

export async function createLoadFixture(
  pgml: PostgresML,
  options: { trainRows?: number; inputs?: number; batchRows?: number; models?: [ModelSpec, ModelSpec] } = {},
): Promise<LoadFixture> {
  const suffix = randomBytes(4).toString('hex');
  const table = `public.load_${suffix}`;
  const project = `load ${suffix}`;
  // Seeded, so every run trains the same models.
  const random = createRng(42).next;
  const trainRows = options.trainRows ?? 400;
  const columns = Array.from({ length: FEATURES }, (_, i) => `x${i}`);
  await pgml.db.query(`CREATE TABLE ${table} (${columns.map((c) => `${c} float8`).join(', ')}, y float8)`);
  const values: number[] = [];
  for (let r = 0; r < trainRows; r++) {
    const x = columns.map(() => random() * 10 - 5);
    values.push(...x, 3 * x[0]! - 2 * x[1]! + 0.5 * x[2]! + x[3]! + 7 + random());
  }
  const width = FEATURES + 1;
  const tuples = Array.from({ length: trainRows }, (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
  await pgml.db.query(`INSERT INTO ${table} VALUES ${tuples.join(', ')}`, values);

  const [first, second] = options.models ?? LINEAR_PAIR;
  const a = await pgml.train(project, {
    task: 'regression',
    relationName: table,
    yColumnName: 'y',
    algorithm: first.algorithm,
    hyperparams: first.hyperparams ?? {},
    runtime: 'native',
  });
  const b = await pgml.train(project, { algorithm: second.algorithm, hyperparams: second.hyperparams ?? {}, runtime: 'native', automaticDeploy: false });
  await pgml.deploy(a.modelId);

  const inputs = Array.from({ length: options.inputs ?? 64 }, () => columns.map(() => Math.round((random() * 10 - 5) * 1000) / 1000));
  const batchRows = options.batchRows ?? 16;
  const batches: number[][][] = [];
  for (let at = 0; at + batchRows <= inputs.length; at += batchRows) batches.push(inputs.slice(at, at + batchRows));
  const outputs = async (modelId: number, algorithm: string): Promise<ModelOutputs> => ({
    modelId,
    algorithm,
    single: await Promise.all(inputs.map(async (x) => Number(await pgml.predict(modelId, x)))),
    batches: await Promise.all(batches.map(async (rows) => Array.from((await pgml.predictBatch(modelId, rows)).predictions as Float64Array))),
  });
  const models: [ModelOutputs, ModelOutputs] = [await outputs(a.modelId, first.name), await outputs(b.modelId, second.name)];
  for (let i = 0; i < inputs.length; i++) {
    if (close(models[0].single[i]!, models[1].single[i]!)) throw new Error(`the two load models agree on input ${i}: pick other models`);
  }
  return {
    project,
    table,
    inputs,
    batches,
    models,
    drop: async () => {
      await pgml.db.query('DELETE FROM pgml.projects WHERE name = $1', [project]);
      await pgml.db.query(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}

/** Equal up to the last bits a different BLAS blocking may change. */
export function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Which of the fixture's models produced `values` (every value from the same one), or -1. */
export function whichModel(expected: Array<ArrayLike<number>>, values: ArrayLike<number>): number {
  return expected.findIndex((e) => e.length === values.length && Array.from(values).every((v, i) => close(v, e[i]!)));
}
