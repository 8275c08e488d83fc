import type { Command } from '../command.js';
import { noPositionals, stringFlag } from '../flags.js';
import { formatTable, formatTimestamp } from '../format.js';

export const deploymentsCommand: Command = {
  name: 'deployments',
  summary: 'list deployments, newest first, and which one is live',
  help: `Usage: pgml deployments [--project P]

Lists every deployment (pgml.deployments) of every project, or of one: model, algorithm, strategy (best_score,
most_recent, rollback, new_score for train's automatic deployment, specific for deploy --model) and which
deployment predict uses now (the latest of its project).
With --json: {"deployments": [{"id","project","modelId","algorithm","strategy","createdAt","live"}, …]}.`,
  options: { project: { type: 'string' } },
  async run({ values, positionals, output, connect }) {
    noPositionals('deployments', positionals);
    const project = stringFlag(values, 'project');
    const pgml = await connect();
    const deployments = await pgml.deployments(project === undefined ? {} : { project });
    const human = deployments.length
      ? formatTable(
          ['id', 'project', 'model', 'algorithm', 'strategy', 'live', 'created'],
          deployments.map((d) => [d.id, d.project, d.modelId, d.algorithm, d.strategy, d.live ? 'yes' : '', formatTimestamp(d.createdAt)]),
        )
      : 'no deployments yet: pgml train deploys the first model of a project';
    output.result({ deployments }, human);
    return 0;
  },
};
