import { InvalidArgument, STRATEGIES } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { integerFlag, noPositionals, oneOfFlag, stringFlag } from '../flags.js';

export const deployCommand: Command = {
  name: 'deploy',
  summary: "choose the model a project predicts with (pgml.deploy)",
  help: `Usage: pgml deploy --project P [--strategy S] [--algorithm A]
       pgml deploy --model ID

Deploys one of the project's models, as PostgresML's pgml.deploy:
  best_score    the model with the best key metric (r2, f1, silhouette) — the default
  most_recent   the newest model
  rollback      the model deployed before the current one
--algorithm A restricts the candidates to models of that algorithm.
--model ID deploys that model for its project (PostgresML 2.x's pgml.deploy(model_id), recorded as strategy
specific).

With --json: {"project","strategy","algorithm","modelId","deploymentId"}.

Examples:
  pgml deploy --project 'Handwritten Digits' --strategy best_score
  pgml deploy --project 'Handwritten Digits' --strategy most_recent --algorithm svm
  pgml deploy --project 'Handwritten Digits' --strategy rollback
  pgml deploy --model 42`,
  options: { project: { type: 'string' }, strategy: { type: 'string' }, algorithm: { type: 'string' }, model: { type: 'string' } },
  async run({ values, positionals, output, connect }) {
    noPositionals('deploy', positionals);
    const project = stringFlag(values, 'project');
    const modelId = integerFlag(values, 'model', 1);
    const strategy = oneOfFlag(values, 'strategy', STRATEGIES);
    const algorithm = stringFlag(values, 'algorithm');
    if ((project === undefined) === (modelId === undefined)) {
      throw new InvalidArgument('deploy needs either --project P (with a strategy) or --model ID');
    }
    if (modelId !== undefined && (strategy || algorithm)) {
      throw new InvalidArgument('--model ID deploys that model: --strategy and --algorithm do not apply');
    }
    const pgml = await connect();
    const result =
      modelId !== undefined
        ? await pgml.deploy(modelId)
        : await pgml.deploy(project!, { ...(strategy ? { strategy } : {}), ...(algorithm ? { algorithm } : {}) });
    output.result(
      { ...result },
      `deployed model ${result.modelId} (${result.algorithm}) of ${JSON.stringify(result.project)} by ${result.strategy}`,
    );
    return 0;
  },
};
