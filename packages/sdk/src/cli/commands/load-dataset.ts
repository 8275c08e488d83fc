import { DATASET_NAMES, InvalidArgument } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { integerFlag } from '../flags.js';

export const loadDatasetCommand: Command = {
  name: 'load-dataset',
  summary: 'load a scikit-learn toy dataset into pgml.<name>',
  help: `Usage: pgml load-dataset NAME [--limit N]

Creates (or re-creates) the table pgml.NAME with PostgresML's layout and loads the dataset into it,
like PostgresML's SELECT pgml.load_dataset('NAME'). --limit N loads the first N rows only
(pgml.load_dataset('NAME', limit => N)).

Datasets: ${DATASET_NAMES.join(', ')}

Examples:
  pgml load-dataset digits
  pgml load-dataset iris --json      # {"table":"pgml.iris","rows":150,"columns":[…]}`,
  options: { limit: { type: 'string' } },
  async run({ positionals, values, output, connect }) {
    const [name, ...extra] = positionals;
    if (!name || extra.length > 0) {
      throw new InvalidArgument(`load-dataset takes exactly one dataset name (${DATASET_NAMES.join(', ')})`);
    }
    const limit = integerFlag(values, 'limit', 0);
    const pgml = await connect();
    output.progress(`loading ${name}…`);
    const loaded = await pgml.loadDataset(name, limit === undefined ? {} : { limit });
    output.result({ ...loaded }, `loaded ${loaded.table}: ${loaded.rows} rows (${loaded.columns.length} columns)`);
    return 0;
  },
};
