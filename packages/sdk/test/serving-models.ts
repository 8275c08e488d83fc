/**
 * The serving suites' fixture: project `project` with two native regression models that answer differently (linear,
 * and a heavily regularised ridge), the first one deployed, and each model's answer to every input.
 */
import type { PostgresML } from '../src/client.js';

export const SERVING_INPUTS = [
  [0.1, 0.9, 0.4],
  [0.7, 0.2, 0.5],
  [0.3, 0.3, 0.8],
];

export interface ServingModels {
  /** [linear, ridge] model ids. */
  models: [number, number];
  /** Each model's answers to SERVING_INPUTS, in order. */
  answers: Map<number, number[]>;
}

export async function trainServingModels(writer: PostgresML, project: string, table: string): Promise<ServingModels> {
  await writer.db.query(`CREATE TABLE ${table} (a float8, b float8, c float8, y float8)`);
  await writer.db.query(
    `INSERT INTO ${table} SELECT (i % 7) / 7.0, (i % 11) / 11.0, (i % 5) / 5.0, (i % 7) * 3.0 - (i % 11) + (i % 5) * 0.5 FROM generate_series(1, 200) i`,
  );
  const a = await writer.train(project, { task: 'regression', relationName: table, yColumnName: 'y', algorithm: 'linear', runtime: 'native' });
  const b = await writer.train(project, { algorithm: 'ridge', hyperparams: { alpha: 500 }, runtime: 'native', automaticDeploy: false });
  const models: [number, number] = [a.modelId, b.modelId];
  const answers = new Map<number, number[]>();
  for (const id of models) answers.set(id, await Promise.all(SERVING_INPUTS.map(async (x) => (await writer.predict(id, x)) as number)));
  await writer.deploy(a.modelId);
  return { models, answers };
}
