import { DATASET_NAMES, InvalidArgument } from '@pgml-ts/core';
import type { Command } from '../command.js';

export const loadDatasetCommand: Command = {
  name: 'load-dataset',
  summary: 'load a scikit-learn toy dataset into pgml.<name>',
  help: `Usage: pgml load-dataset NAME

Creates (or re-creates) the table pgml.NAME with PostgresML's layout and loads the dataset into it,
like PostgresML's SELECT pgml.load_dataset('NAME').

Datasets: ${DATASET_NAMES.join(', ')}

Examples:
  pgml load-dataset digits
  pgml load-dataset iris --json      # {"table":"pgml.iris","rows":150,"columns":[…]}`,
  options: {},
  async run({ positionals, output, connect }) {
    const [name, ...extra] = positionals;
    if (!name || extra.length > 0) {
      throw new InvalidArgument(`load-dataset takes exactly one dataset name (${DATASET_NAMES.join(', ')})`);
    }
    const pgml = await connect();
    output.progress(`loading ${name}…`);
    const loaded = await pgml.loadDataset(name);
    output.result({ ...loaded }, `loaded ${loaded.table}: ${loaded.rows} rows (${loaded.columns.length} columns)`);
    return 0;
  },
};
