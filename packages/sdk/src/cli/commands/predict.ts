import { InvalidArgument, type FeatureInput, type Label } from '@pgml-ts/core';
import type { PostgresML } from '../../client.js';
import type { Command } from '../command.js';
import { integerFlag, jsonFlag, noPositionals, projectOrModelFlag, stringFlag } from '../flags.js';
import { formatCell, formatTable } from '../format.js';
import type { Output } from '../output.js';

/** rows × width row-major → one entry per row (a bare value when width is 1). */
function byRow<T>(values: ArrayLike<T>, rows: number): Array<T | T[]> {
  const width = rows === 0 ? 0 : values.length / rows;
  const out: Array<T | T[]> = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: width }, (_, i) => values[r * width + i]!);
    out.push(width === 1 ? row[0]! : row);
  }
  return out;
}

function probabilityTable(labels: Label[], probabilities: number[]): string {
  return formatTable(['label', 'probability'], labels.map((label, i) => [String(label), probabilities[i]]));
}

async function predictRows(pgml: PostgresML, modelId: number, relation: string, limit: number | undefined, proba: boolean) {
  const result = await pgml.predictRelationRows(modelId, relation, { ...(limit === undefined ? {} : { limit }), proba });
  if (proba) {
    const labels = result.labels ?? [];
    const perRow = byRow(result.probabilities!, result.rows) as number[][];
    return { value: { probabilities: perRow, labels }, human: formatTable(labels.map(String), perRow) };
  }
  const perRow = byRow<Label>(result.predictions as ArrayLike<Label>, result.rows);
  return { value: { predictions: perRow }, human: perRow.map((p) => (Array.isArray(p) ? JSON.stringify(p) : formatCell(p))).join('\n') };
}

async function scoreInto(pgml: PostgresML, modelId: number, relation: string, values: Record<string, string | boolean | undefined>, output: Output) {
  const key = stringFlag(values, 'key');
  if (key === undefined) throw new InvalidArgument('--into needs --key COL[,COL]: the column(s) written next to each prediction');
  if (values.append === true && values.replace === true) throw new InvalidArgument('give at most one of --append and --replace');
  const batchRows = integerFlag(values, 'batch-rows', 1);
  const started = performance.now();
  const result = await pgml.predictRelation(modelId, relation, {
    key: key.split(',').map((k) => k.trim()),
    into: stringFlag(values, 'into')!,
    proba: values.proba === true,
    ifExists: values.append === true ? 'append' : values.replace === true ? 'replace' : 'error',
    ...(batchRows === undefined ? {} : { batchRows }),
    onProgress: ({ rows }) => output.progressRate('scored', rows, (performance.now() - started) / 1000, 'rows'),
  });
  output.result({ ...result }, `wrote ${result.rows} predictions of model ${result.modelId} into ${result.into} in ${result.seconds.toFixed(2)} s`);
}

export const predictCommand: Command = {
  name: 'predict',
  summary: "predict with a project's deployed model (pgml.predict)",
  help: `Usage: pgml predict --project P --features JSON [--proba]
       pgml predict --project P --relation R [--limit N] [--proba]
       pgml predict --project P --relation R --key COL --into T [--proba] [--append|--replace] [--batch-rows N]

Predicts with the project's deployed model (or, with --model ID, that model), applying the preprocessing it was
trained with. Regression gives numbers, classification the class label, joint regression one value per target.

Options:
  --project P        the project whose deployed model predicts
  --model ID         a model id instead of --project (deployed or not)
  --features JSON    one row: an array of the feature values in column order (array columns expanded), or an
                     object keyed by column name (needed for text columns)
  --relation R       every row of a table or view that has the model's feature columns (batch, one runtime call)
  --limit N          with --relation: the first N rows
  --proba            class probabilities instead of the class (classification); with --into, written beside it
  --into T           with --relation: score every row into a new table T (key…, prediction[, probabilities]),
                     streamed through binary COPY in batches, in one transaction
  --key COL[,COL]    with --into: the column(s) of R written next to each prediction
  --append           with --into: add the rows to an existing T (its columns must match)
  --replace          with --into: drop and recreate an existing T
  --batch-rows N     with --into: rows per batch (default 50000; memory grows with it)

Prints the prediction; with --json {"prediction": …}, {"predictions": […]} for --relation, or
{"probabilities": […], "labels": […]} with --proba; with --into {"into", "rows", "modelId", "columns", "seconds"}.

Examples:
  pgml predict --project iris --features '[5.1, 3.5, 1.4, 0.2]'
  pgml predict --project iris --features '{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}' --proba
  pgml predict --project 'Handwritten Digits' --relation pgml.digits --limit 5 --json
  pgml predict --project churn --relation customers --key id --into churn_scores --proba`,
  options: {
    project: { type: 'string' },
    model: { type: 'string' },
    features: { type: 'string' },
    relation: { type: 'string' },
    limit: { type: 'string' },
    proba: { type: 'boolean' },
    into: { type: 'string' },
    key: { type: 'string' },
    append: { type: 'boolean' },
    replace: { type: 'boolean' },
    'batch-rows': { type: 'string' },
  },
  async run({ values, positionals, output, connect }) {
    noPositionals('predict', positionals);
    const target = projectOrModelFlag(values);
    const features = jsonFlag(values, 'features', 'array or object');
    const relation = stringFlag(values, 'relation');
    if ((features === undefined) === (relation === undefined)) {
      throw new InvalidArgument('give one of --features JSON (one row) or --relation R (every row of a table)');
    }
    const limit = integerFlag(values, 'limit', 0);
    if (limit !== undefined && relation === undefined) throw new InvalidArgument('--limit goes with --relation');
    const into = stringFlag(values, 'into');
    if (into !== undefined && relation === undefined) throw new InvalidArgument('--into goes with --relation');
    if (into !== undefined && limit !== undefined) throw new InvalidArgument('--into scores every row: --limit does not apply');
    for (const flag of ['key', 'append', 'replace', 'batch-rows']) {
      if (values[flag] !== undefined && into === undefined) throw new InvalidArgument(`--${flag} goes with --into`);
    }
    const proba = values.proba === true;
    // The JSON's values are checked by core against the model's columns (count, types), naming what is wrong.
    const row = features as FeatureInput | undefined;

    const pgml = await connect();
    // Resolve the deployed model once, so the layout and the predictions come from the same model.
    const model = await pgml.model(target);
    if (into !== undefined) {
      await scoreInto(pgml, model.modelId, relation!, values, output);
    } else if (relation !== undefined) {
      const { value, human } = await predictRows(pgml, model.modelId, relation, limit, proba);
      output.result(value, human);
    } else if (proba) {
      const result = await pgml.predictProba(model.modelId, row!);
      output.result(result, probabilityTable(result.labels, result.probabilities));
    } else if (model.numOutputs > 1) {
      const prediction = await pgml.predictJoint(model.modelId, row!);
      output.result({ prediction }, JSON.stringify(prediction));
    } else {
      const prediction = await pgml.predict(model.modelId, row!);
      output.result({ prediction }, formatCell(prediction));
    }
    return 0;
  },
};
