import { keyMetric, type ModelSummary, type Task } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { noPositionals, stringFlag } from '../flags.js';
import { formatHyperparams, formatTable, formatTimestamp } from '../format.js';

function score(model: ModelSummary, tasks: Map<string, Task>): [string, number | null] {
  const task = tasks.get(model.project);
  const name = task ? keyMetric(task) : undefined;
  const value = name ? model.metrics?.[name] : undefined;
  return [name ?? '', typeof value === 'number' ? value : null];
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list trained models with their key metric',
  help: `Usage: pgml models [--project P]

Lists the models of every project (or of one): algorithm, runtime, the hyperparameters it was fitted with (the
search's best candidate after a search), key metric (r2, f1 or silhouette) and which model is deployed.
With --json: {"models": [{"id","project","algorithm","runtime","hyperparams","metrics","searchResults","deployed",
"createdAt",…}, …]}.`,
  options: { project: { type: 'string' } },
  async run({ values, positionals, output, connect }) {
    noPositionals('models', positionals);
    const project = stringFlag(values, 'project');
    const pgml = await connect();
    const models = await pgml.models(project === undefined ? {} : { project });
    const tasks = new Map((await pgml.projects()).map((p) => [p.name, p.task]));
    const human = models.length
      ? formatTable(
          ['id', 'project', 'algorithm', 'runtime', 'hyperparams', 'metric', 'score', 'deployed', 'created'],
          models.map((m) => [
            m.id,
            m.project,
            m.algorithm,
            m.runtime,
            formatHyperparams(m.hyperparams),
            ...score(m, tasks),
            m.deployed ? 'yes' : '',
            formatTimestamp(m.createdAt),
          ]),
        )
      : project === undefined
        ? 'no models yet: pgml train --help'
        : `no models in project ${JSON.stringify(project)}`;
    output.result({ models }, human);
    return 0;
  },
};
