import type { DeleteResult } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { noPositionals, projectOrModelFlag } from '../flags.js';

function summary(r: DeleteResult): string {
  const what = r.projectDeleted ? `project ${JSON.stringify(r.project)} with ${r.models.length} model(s)` : `model ${r.models[0]} of ${JSON.stringify(r.project)}`;
  const snapshots = r.snapshots.length ? `, snapshot(s) ${r.snapshots.join(', ')}` : '';
  const tables = r.tables.length ? ` and table(s) ${r.tables.join(', ')}` : '';
  return `deleted ${what}${snapshots}${tables}`;
}

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'delete a model, or a project with all its models and snapshots',
  help: `Usage: pgml delete --model ID [--force]
       pgml delete --project P [--force]

Deletes, in one transaction, the model (its stored file and deployments) or the whole project (every model,
deployment and the project itself), and each snapshot no remaining model was trained on, with its materialized
table pgml."snapshot_<id>". The deployed model — the one predict uses — is kept unless --force is given; deleting
it makes predict use the model deployed before it, if any.

With --json: {"project","projectDeleted","models": [ids],"snapshots": [ids],"tables": [names]}.

Examples:
  pgml delete --model 12
  pgml delete --project 'Handwritten Digits' --force`,
  options: { project: { type: 'string' }, model: { type: 'string' }, force: { type: 'boolean' } },
  async run({ values, positionals, output, connect }) {
    noPositionals('delete', positionals);
    const target = projectOrModelFlag(values);
    const pgml = await connect();
    const force = values.force === true;
    const result = typeof target === 'number' ? await pgml.deleteModel(target, { force }) : await pgml.deleteProject(target, { force });
    output.result({ ...result }, summary(result));
    return 0;
  },
};
