#!/usr/bin/env zx
// The main job on the embedded default database (PGlite in ./.pgml, PGML_DATA_DIR overrides): load a bundled
// dataset, then a vector-function demo — through the real `pgml` CLI, so what you see is what you can run.
import { $, chalk } from 'zx';

$.verbose = false;
const pgml = (args) => $({ stdio: ['ignore', 'inherit', 'inherit'] })`pnpm --silent exec pgml ${args}`;
const step = (title) => console.log(`\n${chalk.bold.cyan('▸')} ${chalk.bold(title)}`);

console.log(chalk.bold('pgml-ts quick start') + chalk.dim(` — embedded database in ${process.env.PGML_DATA_DIR ?? './.pgml'}`));

step('pgml load-dataset digits');
await pgml(['load-dataset', 'digits']);

step('pgml vector dot-product --a [1,2,3] --b [4,5,6]');
await pgml(['vector', 'dot-product', '--a', '[1,2,3]', '--b', '[4,5,6]']);

step('pgml vector cosine-similarity --a [1,0,1] --b [0.5,0.5,1]');
await pgml(['vector', 'cosine-similarity', '--a', '[1,0,1]', '--b', '[0.5,0.5,1]']);

step('pgml vector normalize-l2 --a [3,4]');
await pgml(['vector', 'normalize-l2', '--a', '[3,4]']);

console.log(`\n${chalk.dim('next:')} pnpm exec pgml --help`);
