import { keyMetric, RUNTIME_CHOICES, TEST_SAMPLINGS, type AlgorithmName, type TrainOptions, type TrainProgress, type TrainResult } from '@pgml-ts/core';
import type { Command } from '../command.js';
import { jsonFlag, noPositionals, numberFlag, oneOfFlag, requiredFlag, stringFlag } from '../flags.js';
import { formatMetrics, formatNumber } from '../format.js';
import type { Output } from '../output.js';

const TASKS = ['regression', 'classification', 'clustering', 'decomposition'] as const;

const STEP: Partial<Record<TrainProgress['stage'], string>> = {
  preprocess: 'preprocessing…',
  fit: 'fitting…',
  score: 'scoring on the test split…',
  explain: 'explaining the model (importances, curves, residuals)…',
  store: 'storing the model…',
  deploy: 'deploying…',
};

/** One status line on stderr (a terminal only): rows read per second, fit progress in the runtime's units. */
function reportProgress(output: Output): (p: TrainProgress) => void {
  let stageStart = performance.now();
  let stage: TrainProgress['stage'] | undefined;
  return (p) => {
    if (p.stage !== stage) {
      stage = p.stage;
      stageStart = performance.now();
    }
    const seconds = (performance.now() - stageStart) / 1000;
    if (p.stage === 'fold') output.progressCount('cross-validation folds', p.current ?? 0, p.total ?? 0);
    else if (p.stage === 'snapshot') output.progress(`snapshot of ${p.message}…`);
    else if (p.stage === 'read') output.progressRate('reading', p.current ?? 0, seconds, 'rows', p.total);
    else if (p.stage === 'fit' && p.current !== undefined) output.progressRate('fitting', p.current, seconds, p.unit ?? 'steps', p.total);
    else if (p.stage === 'search') output.progress(`search: ${p.message}`);
    else output.progress(STEP[p.stage] ?? `${p.stage}…`);
  };
}

function summary(r: TrainResult, automaticDeploy: boolean): string {
  const deployed = r.deployed
    ? 'deployed'
    : automaticDeploy
      ? 'not deployed (the deployed model scores at least as well)'
      : 'not deployed (--no-deploy)';
  return `trained ${JSON.stringify(r.project)}: ${r.task} ${r.algorithm} on the ${r.runtime} runtime — model ${r.modelId}, ${deployed}`;
}

/** The hyperparameters the model was fitted with and, after a search, how they won. */
function hyperparameters(r: TrainResult): string {
  const line = `hyperparameters: ${JSON.stringify(r.hyperparams)}`;
  const s = r.searchResults;
  if (!s) return line;
  const score = s.mean_test_score[s.best_index]!;
  return `${line} — best of ${s.params.length} candidates by ${s.n_splits}-fold cross-validation (mean ${keyMetric(r.task)} ${formatNumber(score)})`;
}

export const trainCommand: Command = {
  name: 'train',
  summary: "train a model (PostgresML's pgml.train)",
  help: `Usage: pgml train --project P [--task T --relation R --y COL[,COL…]] [--algorithm A] [options]

Snapshots the relation, fits the algorithm on the training split, scores it on the test split, stores the model
and deploys it unless the deployed model scores strictly better (a tie deploys, as PostgresML 2.x) — in one
transaction. Re-training an existing project may omit --task, and without --relation reuses its last snapshot.

Options (PostgresML's pgml.train arguments; defaults are PostgresML's):
  --project P               project name (created on first train)
  --task T                  regression | classification | clustering | decomposition
  --relation R              table or view to train on (schema.table)
  --y COL[,COL…]            label column(s); several → joint (multi-target) regression
  --algorithm A             default linear (logistic regression for classification; kmeans for clustering
                            and pca for decomposition, as PostgresML 2.x)
  --hyperparams JSON        scikit-learn names, e.g. '{"alpha": 0.5}'
  --search grid|random      hyperparameter search by k-fold cross-validation, best refit on the training split
  --search-params JSON      candidate values, e.g. '{"alpha": [0.1, 1, 10]}'
  --search-args JSON        '{"cv": 5, "n_iter": 10}'
  --test-size N             fraction of rows held out (default 0.25), or a row count when > 1
  --test-sampling S         ${TEST_SAMPLINGS.join(' | ')} (default stratified, as PostgresML 2.10;
                            random for tasks without classes)
  --runtime R               native | python | auto | rust (default auto: see pgml runtimes; rust is
                            PostgresML 2.x's name for native, recorded as rust)
  --preprocess JSON         per column: '{"color": {"encode": "one_hot", "impute": "mode"}, "size": {"impute": "mean", "scale": "standard"}}'
  --materialize-snapshot    copy the relation into pgml."snapshot_<id>" so re-training reads frozen data
  --no-deploy               never deploy automatically

Prints the hyperparameters the model was fitted with (after --search, the winning candidate) and the metrics; with
--json, the object train() returns:
  {"project","task","algorithm","runtime","deployed","modelId","snapshotId","metrics","fitTime","scoreTime","hyperparams",
   "searchResults" (every candidate's cross-validation scores, or null),
   "timings": {"snapshot","read","split","preprocess","fit","score","explain","store","total"}}  (seconds per stage)

Re-training without --relation uses the project's last snapshot as it is: --y, --test-size, --test-sampling,
--preprocess and --materialize-snapshot shape a new snapshot and are refused without --relation. --search-params and
--search-args need --search. 'pgml algorithms --task T' lists the algorithms and their hyperparameters.

Examples:
  pgml train --project 'Handwritten Digits' --task classification --relation pgml.digits --y target
  pgml train --project 'Handwritten Digits' --algorithm svm --runtime python --search grid --search-params '{"C": [0.1, 1, 10]}'
  pgml train --project diabetes --task regression --relation pgml.diabetes --y target --algorithm ridge --json`,
  options: {
    project: { type: 'string' },
    task: { type: 'string' },
    relation: { type: 'string' },
    y: { type: 'string' },
    algorithm: { type: 'string' },
    hyperparams: { type: 'string' },
    search: { type: 'string' },
    'search-params': { type: 'string' },
    'search-args': { type: 'string' },
    'test-size': { type: 'string' },
    'test-sampling': { type: 'string' },
    runtime: { type: 'string' },
    preprocess: { type: 'string' },
    'materialize-snapshot': { type: 'boolean' },
    'no-deploy': { type: 'boolean' },
  },
  async run({ values, positionals, output, connect }) {
    noPositionals('train', positionals);
    const project = requiredFlag(values, 'project', 'P');
    const y = stringFlag(values, 'y');
    const options: TrainOptions = {
      task: oneOfFlag(values, 'task', TASKS),
      relationName: stringFlag(values, 'relation'),
      yColumnName: y === undefined ? undefined : y.includes(',') ? y.split(',').map((c) => c.trim()) : y,
      // Any text: the registry checks it against the task's algorithms and suggests the nearest name.
      algorithm: stringFlag(values, 'algorithm') as AlgorithmName | undefined,
      hyperparams: jsonFlag(values, 'hyperparams', 'object'),
      search: oneOfFlag(values, 'search', ['grid', 'random'] as const),
      searchParams: jsonFlag(values, 'search-params', 'object') as Record<string, unknown[]> | undefined,
      searchArgs: jsonFlag(values, 'search-args', 'object'),
      testSize: numberFlag(values, 'test-size'),
      testSampling: oneOfFlag(values, 'test-sampling', TEST_SAMPLINGS),
      runtime: oneOfFlag(values, 'runtime', RUNTIME_CHOICES),
      preprocess: jsonFlag(values, 'preprocess', 'object'),
      materializeSnapshot: values['materialize-snapshot'] === true ? true : undefined,
      automaticDeploy: values['no-deploy'] === true ? false : undefined,
      onProgress: reportProgress(output),
    };
    const pgml = await connect();
    const result = await pgml.train(project, options);
    output.result(
      { ...result },
      `${summary(result, options.automaticDeploy !== false)}\n${hyperparameters(result)}\n\n${formatMetrics(result.metrics)}`,
    );
    return 0;
  },
};
