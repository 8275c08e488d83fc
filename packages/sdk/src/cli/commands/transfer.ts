import { readFile, writeFile } from 'node:fs/promises';
import { InvalidArgument, PgmlError } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { noPositionals, projectOrModelFlag, requiredFlag, stringFlag } from '../flags.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a model to a file, to import into another database',
  help: `Usage: pgml export (--project P | --model ID) --out FILE

Writes the project's deployed model (or the model ID) to FILE in the checksummed pgml-ts model format, with its
feature layout and preprocessing, hyperparameters and metrics — everything predict needs. 'pgml import FILE' stores
it in another database: train on a laptop's embedded database, serve from PostgreSQL.

With --json: {"file","bytes","project","modelId","task","algorithm","runtime"}.

Example:
  pgml export --project 'Handwritten Digits' --out digits.pgmlts
  pgml --database-url postgres://… import digits.pgmlts`,
  options: { project: { type: 'string' }, model: { type: 'string' }, out: { type: 'string' } },
  async run({ values, positionals, output, connect }) {
    noPositionals('export', positionals);
    const target = projectOrModelFlag(values);
    const file = requiredFlag(values, 'out', 'FILE');
    const pgml = await connect();
    const { bytes, ...model } = await pgml.exportModel(target);
    await writeFile(file, bytes, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      throw new PgmlError('INVALID_ARGUMENT', `cannot write ${file}: ${error.code === 'EEXIST' ? 'it exists (remove it first)' : error.message}`, { file });
    });
    output.result(
      { file, bytes: bytes.length, ...model },
      `exported model ${model.modelId} (${model.task} ${model.algorithm}, ${model.runtime}) of ${JSON.stringify(model.project)} to ${file} (${bytes.length} bytes)`,
    );
    return 0;
  },
};

export const importCommand: Command = {
  name: 'import',
  summary: 'store a model exported by pgml export in this database',
  help: `Usage: pgml import FILE [--project P] [--deploy | --no-deploy]

Stores the model of FILE (written by pgml export) in this database, in its project (created when missing) or in
--project P, after checking the file's checksum and that a runtime here loads it. It is deployed when the project
has no deployed model yet, or with --deploy; --no-deploy never deploys it. The model keeps its hyperparameters and
metrics; it has no snapshot here, so it is predicted with and deployed, not re-trained.

With --json: {"project","modelId","task","algorithm","runtime","deployed","createdProject"}.`,
  options: { project: { type: 'string' }, deploy: { type: 'boolean' }, 'no-deploy': { type: 'boolean' } },
  async run({ values, positionals, output, connect }) {
    if (positionals.length !== 1) throw new InvalidArgument('give the file to import: pgml import FILE');
    if (values.deploy === true && values['no-deploy'] === true) throw new InvalidArgument('give at most one of --deploy and --no-deploy');
    const file = positionals[0]!;
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new PgmlError('INVALID_ARGUMENT', `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, { file });
    });
    const project = stringFlag(values, 'project');
    const deploy = values.deploy === true ? true : values['no-deploy'] === true ? false : undefined;
    const pgml = await connect();
    const result = await pgml.importModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      ...(project === undefined ? {} : { project }),
      ...(deploy === undefined ? {} : { deploy }),
    });
    output.result(
      { ...result },
      `imported ${file} as model ${result.modelId} of ${JSON.stringify(result.project)}${result.createdProject ? ' (new project)' : ''}` +
        (result.deployed ? ', deployed' : ', not deployed'),
    );
    return 0;
  },
};
