#!/usr/bin/env zx
// The main job on the embedded default database (PGlite in ./.pgml, PGML_DATA_DIR overrides): load the digits
// dataset, train a classifier, predict a few real rows, one vector function — through the real `pgml` CLI, so what
// you see is what you can run. Re-running trains another model in the same project.
import { $, chalk } from 'zx';
import { PostgresML } from '@pgml-ts/sdk';

$.verbose = false;
const PROJECT = 'Handwritten Digits';
const quote = (arg) => (/^[\w.,:/=@+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
const show = (args) => `pgml ${args.map(quote).join(' ')}`;
const step = (title) => console.log(`\n${chalk.bold.cyan('▸')} ${chalk.bold(title)}`);
/** Runs the CLI; its output goes straight to the terminal (progress, if any, on stderr). */
const pgml = (args) => $({ stdio: ['ignore', 'inherit', 'inherit'] })`pnpm --silent exec pgml ${args}`;
/** Runs the CLI with --json and returns the parsed object; errors still reach the terminal on stderr. */
const pgmlJson = async (args) =>
  JSON.parse((await $({ stdio: ['ignore', 'pipe', 'inherit'] })`pnpm --silent exec pgml ${[...args, '--json']}`).stdout);

console.log(chalk.bold('pgml-ts quick start') + chalk.dim(` — embedded database in ${process.env.PGML_DATA_DIR ?? './.pgml'}`));

step('pgml load-dataset digits');
await pgml(['load-dataset', 'digits']);

const train = ['train', '--project', PROJECT, '--task', 'classification', '--relation', 'pgml.digits', '--y', 'target', '--algorithm', 'linear'];
step(show(train));
await pgml(train);

// Three real rows to predict: 8×8 images (64 pixel values) and the digit each one shows.
const client = await PostgresML.connect();
const { rows } = await client.db.query('SELECT image, target FROM pgml.digits LIMIT 3');
await client.close();
const predictions = [];
for (const row of rows) {
  const features = JSON.stringify(row.image.flat());
  const predict = ['predict', '--project', PROJECT, '--features', features];
  if (predictions.length === 0) step(show(predict));
  const { prediction } = await pgmlJson(predict);
  predictions.push({ actual: row.target, prediction });
}
console.log(chalk.dim('the first rows of pgml.digits:'));
console.log('    row  digit  predicted');
predictions.forEach(({ actual, prediction }, i) =>
  console.log(`  ${String(i + 1).padStart(5)}  ${String(actual).padStart(5)}  ${String(prediction).padStart(9)}${prediction === actual ? '' : chalk.red('  ✗')}`),
);

const vector = ['vector', 'cosine-similarity', '--a', '[1,0,1]', '--b', '[0.5,0.5,1]'];
step(show(vector));
await pgml(vector);

console.log(
  `\n${chalk.dim('next:')} pnpm exec pgml train --project '${PROJECT}' --algorithm svm ${chalk.dim('— then compare with')} pnpm exec pgml models`,
);
