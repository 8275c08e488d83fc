import { TEST_SAMPLINGS } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { jsonFlag, noPositionals, numberFlag, oneOfFlag, requiredFlag } from '../flags.js';

export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: 'record a relation as a snapshot without training (pgml.snapshot)',
  help: `Usage: pgml snapshot --relation R --y COL[,COL…] [--test-size N] [--test-sampling S] [--preprocess JSON] [--no-materialize]

Records a table or view as a snapshot with its split settings, as PostgresML's pgml.snapshot: by default its rows
are copied into pgml."snapshot_<id>" (materialized), so later trains read frozen data.

Options:
  --relation R              table or view (schema.table)
  --y COL[,COL…]            label column(s)
  --test-size N             fraction held out (default 0.25), or a row count when > 1
  --test-sampling S         ${TEST_SAMPLINGS.join(' | ')} (default stratified, as PostgresML 2.10)
  --preprocess JSON         per column: '{"col": {"scale": "standard"}}'
  --no-materialize          record the snapshot over the live relation instead of copying it

With --json: {"id","relationName","yColumnNames","testSize","testSampling","materialized","rows","trainRows","testRows",…}.

Example:
  pgml snapshot --relation pgml.iris --y target --test-size 0.2`,
  options: {
    relation: { type: 'string' },
    y: { type: 'string' },
    'test-size': { type: 'string' },
    'test-sampling': { type: 'string' },
    preprocess: { type: 'string' },
    'no-materialize': { type: 'boolean' },
  },
  async run({ values, positionals, output, connect }) {
    noPositionals('snapshot', positionals);
    const relationName = requiredFlag(values, 'relation', 'R');
    const yColumnName = requiredFlag(values, 'y', 'COL').split(',').map((c) => c.trim());
    const testSize = numberFlag(values, 'test-size');
    const testSampling = oneOfFlag(values, 'test-sampling', TEST_SAMPLINGS);
    const preprocess = jsonFlag(values, 'preprocess', 'object');
    const pgml = await connect();
    const snapshot = await pgml.snapshot({
      relationName,
      yColumnName,
      ...(testSize === undefined ? {} : { testSize }),
      ...(testSampling === undefined ? {} : { testSampling }),
      ...(preprocess === undefined ? {} : { preprocess }),
      materialize: values['no-materialize'] !== true,
    });
    output.result(
      { ...snapshot },
      `snapshot ${snapshot.id} of ${snapshot.relationName}: ${snapshot.rows} rows (${snapshot.trainRows} train, ${snapshot.testRows} test, ${snapshot.testSampling})` +
        (snapshot.materialized ? ` in pgml."snapshot_${snapshot.id}"` : ''),
    );
    return 0;
  },
};
