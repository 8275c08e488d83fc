import type { DeployStrategy } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { noPositionals, oneOfFlag, requiredFlag, stringFlag } from '../flags.js';

const STRATEGIES: readonly DeployStrategy[] = ['best_score', 'most_recent', 'rollback'];

export const deployCommand: Command = {
  name: 'deploy',
  summary: "choose the model a project predicts with (pgml.deploy)",
  help: `Usage: pgml deploy --project P [--strategy S] [--algorithm A]

Deploys one of the project's models, as PostgresML's pgml.deploy:
  best_score    the model with the best key metric (r2, f1, silhouette) — the default
  most_recent   the newest model
  rollback      the model deployed before the current one
--algorithm A restricts the candidates to models of that algorithm.

With --json: {"project","strategy","algorithm","modelId","deploymentId"}.

Examples:
  pgml deploy --project 'Handwritten Digits' --strategy best_score
  pgml deploy --project 'Handwritten Digits' --strategy most_recent --algorithm svm
  pgml deploy --project 'Handwritten Digits' --strategy rollback`,
  options: { project: { type: 'string' }, strategy: { type: 'string' }, algorithm: { type: 'string' } },
  async run({ values, positionals, output, connect }) {
    noPositionals('deploy', positionals);
    const project = requiredFlag(values, 'project', 'P');
    const strategy = oneOfFlag(values, 'strategy', STRATEGIES);
    const algorithm = stringFlag(values, 'algorithm');
    const pgml = await connect();
    const result = await pgml.deploy(project, { ...(strategy ? { strategy } : {}), ...(algorithm ? { algorithm } : {}) });
    output.result(
      { ...result },
      `deployed model ${result.modelId} (${result.algorithm}) of ${JSON.stringify(result.project)} by ${result.strategy}`,
    );
    return 0;
  },
};
