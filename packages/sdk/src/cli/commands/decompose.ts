import { InvalidArgument } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { integerFlag, jsonFlag, noPositionals, stringFlag } from '../flags.js';

export const decomposeCommand: Command = {
  name: 'decompose',
  summary: "a row's components by a decomposition project's deployed model (pgml.decompose)",
  help: `Usage: pgml decompose --project P --features JSON
       pgml decompose --model ID --features JSON

Transforms one row with the project's deployed decomposition model (e.g. PCA), as PostgresML's pgml.decompose:
the features as a JSON array in column order (arrays expanded), or an object by column name.
With --json: {"components": [...]}.

Example:
  pgml decompose --project 'Handwritten Digits Reduction' --features '[0,0,5,13,9,1,0,0, …]'`,
  options: { project: { type: 'string' }, model: { type: 'string' }, features: { type: 'string' } },
  async run({ values, positionals, output, connect }) {
    noPositionals('decompose', positionals);
    const project = stringFlag(values, 'project');
    const modelId = integerFlag(values, 'model', 1);
    if ((project === undefined) === (modelId === undefined)) throw new InvalidArgument('decompose needs either --project P or --model ID');
    const features = jsonFlag(values, 'features', 'array or object');
    if (features === undefined) throw new InvalidArgument('--features JSON is required');
    const pgml = await connect();
    const components = await pgml.decompose(modelId ?? project!, features as number[]);
    output.result({ components }, JSON.stringify(components));
    return 0;
  },
};
