import { InvalidArgument } from '@pgml-ts/core';
import { migrateV1, migrateV2, PICKLE_OPT_IN, toMarkdown } from '../../migrate/index.js';
import type { Command } from '../command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'move a PostgresML 1.0 or (--from-v2) 2.x database to this schema, without retraining',
  help: `Usage: pgml migrate --from URL [--to URL] --allow-pickle [--dry-run] [--verify] [--convert-native]
       pgml migrate --from-v2 --from URL [--to URL] --allow-pickle [--dry-run] [--verify] [--convert-native]

Copies a PostgresML 1.0 database's projects, snapshots (and snapshot tables), models, deployments and files into
the PostgresML 2.x-compatible pgml schema, keeping ids and each project's deployed model. Models keep their
scikit-learn / XGBoost pickle and run on the python runtime. One transaction per project; re-running skips what is
already migrated (and converts or verifies it when asked).

Without --to the migration is in place: the 1.0 schema pgml is renamed to pgml_v1 (kept, untouched) and the 2.x
schema is created, like PostgresML's own 1.0 → 2.0 script. With --to the 1.0 database is only read.

--from-v2 reads a PostgresML 2.x database (the pgml extension's schema) instead, renamed to pgml_v2 in place:
python-runtime models are pickles as in 1.0; rust-runtime XGBoost models and linfa linear / logistic models become
native models (linfa's are re-expressed from their fitted parameters and kept only when they predict what linfa
did); each snapshot's preprocessing (impute, scale) is carried over from its statistics. lightgbm, catboost and
linfa SVM models are reported unsupported, with the reason.

  --from URL          the PostgresML 1.0 database (postgres://…), or 2.x's with --from-v2
  --from-v2           the source is a PostgresML 2.x database
  --to URL            the database to migrate into (default: --from, in place)
  --allow-pickle      required. ${PICKLE_OPT_IN}
  --dry-run           load and check every model and print the plan; write nothing
  --verify            predict every migrated model on its snapshot rows through the SDK and compare with the
                      1.0 pickle's own predictions (max abs diff in the report; a mismatch is not migrated)
  --convert-native    re-encode what the native runtime has (linear, ridge, lasso, elastic net, logistic,
                      decision trees, random forests, extra trees, gradient boosting, XGBoost, k-means) from the
                      fitted parameters, no retraining; a model switches to native only when its predictions
                      match the pickle's within 1e-6 (everything else, e.g. SVMs, stays python)
  --from-schema NAME  the source schema (default: the first of pgml, pgml_v1, pgml_tmp that is a 1.0 schema;
                      with --from-v2 the first of pgml, pgml_v2 that is a 2.x schema)
  --feature-order O   1.0 only. table | sorted: 1.0's feature order (default: table for the final 1.0 layout,
                      sorted by name for the early layout with projects.objective, as that 1.0 code sorted them)
  --verify-rows N     snapshot rows compared per model (default 100000)

Report: one row per model (id, project, algorithm, status, runtime after, max diff); --json prints it as JSON.
Statuses: migrated, already_migrated, would_migrate (--dry-run), refused (pickle names a global outside the
allow-list; never executed), corrupt, unsupported, mismatch, failed. The global --database-url is not used.

Examples:
  pgml migrate --from postgres://localhost/v1 --allow-pickle --dry-run
  pgml migrate --from postgres://localhost/v1 --allow-pickle --verify
  pgml migrate --from postgres://localhost/v1 --allow-pickle --convert-native --verify --json
  pgml migrate --from-v2 --from postgres://localhost/pgml2 --allow-pickle --verify`,
  options: {
    from: { type: 'string' },
    'from-v2': { type: 'boolean' },
    to: { type: 'string' },
    'allow-pickle': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    verify: { type: 'boolean' },
    'convert-native': { type: 'boolean' },
    'from-schema': { type: 'string' },
    'feature-order': { type: 'string' },
    'verify-rows': { type: 'string' },
  },
  async run({ values, positionals, output }) {
    if (positionals.length > 0) throw new InvalidArgument(`migrate takes no positional arguments (got ${positionals.join(' ')})`);
    const from = values.from as string | undefined;
    const fromV2 = values['from-v2'] === true;
    if (!from) throw new InvalidArgument(`migrate needs --from URL (the PostgresML ${fromV2 ? '2.x' : '1.0'} database)`);
    const featureOrder = values['feature-order'] as string | undefined;
    if (featureOrder !== undefined && featureOrder !== 'table' && featureOrder !== 'sorted') {
      throw new InvalidArgument(`--feature-order must be table or sorted, got ${JSON.stringify(featureOrder)}`);
    }
    const verifyRows = values['verify-rows'] === undefined ? undefined : Number(values['verify-rows']);
    if (verifyRows !== undefined && !(Number.isSafeInteger(verifyRows) && verifyRows > 0)) {
      throw new InvalidArgument('--verify-rows must be a positive integer');
    }
    const report = await (fromV2 ? migrateV2 : migrateV1)({
      from,
      ...(values.to ? { to: values.to as string } : {}),
      ...(values['from-schema'] ? { fromSchema: values['from-schema'] as string } : {}),
      ...(featureOrder ? { featureOrder } : {}),
      ...(verifyRows ? { verifyRows } : {}),
      allowPickle: Boolean(values['allow-pickle']),
      dryRun: Boolean(values['dry-run']),
      verify: Boolean(values.verify),
      convertNative: Boolean(values['convert-native']),
      onProgress: (message) => output.progress(message),
    });
    output.result({ ...report }, toMarkdown(report));
    return 0;
  },
};
