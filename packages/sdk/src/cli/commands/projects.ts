import type { Command } from '../command.js';
import { noPositionals } from '../flags.js';
import { formatTable } from '../format.js';

export const projectsCommand: Command = {
  name: 'projects',
  summary: 'list projects, their task and deployed model',
  help: `Usage: pgml projects

Lists every project: its task, how many models it has and which one is deployed.
With --json: {"projects": [{"id","name","task","createdAt","deployedModelId","models"}, …]}.`,
  options: {},
  async run({ positionals, output, connect }) {
    noPositionals('projects', positionals);
    const projects = await (await connect()).projects();
    const human = projects.length
      ? formatTable(
          ['project', 'task', 'models', 'deployed model'],
          projects.map((p) => [p.name, p.task, p.models, p.deployedModelId]),
        )
      : 'no projects yet: pgml train --help';
    output.result({ projects }, human);
    return 0;
  },
};
