import { describeAccepts, type HyperparamSpec } from '@pgml-ts/core';
import { catalogueEntry, TASKS, type AlgorithmEntry, type RuntimeAlgorithm } from '../../catalogue/catalogue.js';
import { ClientRuntimes } from '../../runtimes/client-runtimes.js';
import { loadParity } from '../../runtimes/parity.js';
import { loadNative } from '../../vector.js';
import type { Command } from '../command.js';
import { noPositionals, oneOfFlag, stringFlag } from '../flags.js';
import { formatTable } from '../format.js';

function overview(entries: readonly AlgorithmEntry[]): string {
  const has = (runtime: RuntimeAlgorithm | undefined): string => (runtime ? 'yes' : '');
  return `${formatTable(
    ['task', 'algorithm', 'native', 'python', 'auto trains with'],
    entries.map((e) => [e.task, e.algorithm, has(e.native), has(e.python), e.auto ?? `– (${e.unavailable ?? 'no runtime'})`]),
  )}\n\n'pgml algorithms --algorithm NAME' shows its hyperparameters (type, default, allowed values) per runtime.`;
}

function defaultOf(spec: HyperparamSpec): string {
  return spec.defaultText ?? JSON.stringify(spec.default);
}

function details(entries: readonly AlgorithmEntry[]): string {
  return entries
    .flatMap((e) => {
      const head = `${e.task} ${e.algorithm} — auto trains with ${e.auto ?? 'nothing here'}`;
      if (e.unavailable) return [`${head}: ${e.unavailable}`];
      const runtimes = (['native', 'python'] as const).flatMap((name) => {
        const runtime = e[name];
        if (!runtime) return [];
        const facts = [runtime.predictProba ? 'predict_proba' : '', runtime.multiTarget ? 'multi-target' : ''].filter(Boolean);
        const table = formatTable(
          ['hyperparameter', 'default', 'accepts'],
          runtime.hyperparams.map((p) => [p.name, defaultOf(p), describeAccepts(p.accepts)]),
        );
        return [`${name} runtime: ${runtime.estimator}${facts.length ? ` (${facts.join(', ')})` : ''}\n${table}`];
      });
      return [`${head}\n\n${runtimes.join('\n\n')}`];
    })
    .join('\n\n');
}

export const algorithmsCommand: Command = {
  name: 'algorithms',
  summary: 'the algorithm catalogue: runtimes and hyperparameters of every algorithm',
  help: `Usage: pgml algorithms [--task T] [--algorithm A]

Every algorithm train accepts, per task: which runtimes have it (native Rust, python scikit-learn), which one
--runtime auto trains with, and for each runtime every hyperparameter with its default and the values it accepts —
read from the tables the runtimes validate with. Opens no database and starts no Python.

Options:
  --task T        only this task (${TASKS.join(', ')})
  --algorithm A   only this algorithm, with its hyperparameters

With --json: {"algorithms": [{"task","algorithm","auto","native"?,"python"?,"unavailable"?}, …]}, where native and
python are {"estimator","predictProba","multiTarget","hyperparams": [{"name","default","defaultText"?,"accepts"?}]}
and accepts lists the kinds of value allowed: {"type": "number"|"integer", "min"?, "minExclusive"?, "max"?,
"maxExclusive"?}, {"type": "string", "choices"?}, {"type": "boolean"|"null"|"array"|"object"}.

Examples:
  pgml algorithms --task classification
  pgml algorithms --algorithm random_forest
  pgml algorithms --task regression --json`,
  options: { task: { type: 'string' }, algorithm: { type: 'string' } },
  async run({ values, positionals, output }) {
    noPositionals('algorithms', positionals);
    const task = oneOfFlag(values, 'task', TASKS);
    const algorithm = stringFlag(values, 'algorithm');
    const runtimes = new ClientRuntimes(await loadNative().catch((error: Error) => error), await loadParity(undefined));
    try {
      const all = runtimes.catalogue(task);
      const entries = algorithm === undefined ? all : catalogueEntry(all, algorithm);
      output.result({ algorithms: entries }, algorithm === undefined ? overview(entries) : details(entries));
    } finally {
      await runtimes.close();
    }
    return 0;
  },
};
