import { InvalidArgument } from '@pgml-ts/core';
import { loadNative, vectorFunctions } from '../../vector.js';
import type { Command } from '../command.js';

/**
 * CLI name → API name and what it takes: PostgresML's pgml.<snake_case> functions, kebab-cased. `pair` functions
 * take two vectors (the arithmetic ones also a number as --b, PostgresML's scalar overloads), `one` one vector,
 * `rows` (the aggregates pgml.sum, pgml.min, …) a JSON array of vectors, NULL rows skipped as SQL does.
 */
const FUNCTIONS: Record<string, { api: string; takes: 'pair' | 'scalar-or-pair' | 'one' | 'rows' }> = {
  add: { api: 'add', takes: 'scalar-or-pair' },
  subtract: { api: 'subtract', takes: 'scalar-or-pair' },
  multiply: { api: 'multiply', takes: 'scalar-or-pair' },
  divide: { api: 'divide', takes: 'scalar-or-pair' },
  'dot-product': { api: 'dotProduct', takes: 'pair' },
  'cosine-similarity': { api: 'cosineSimilarity', takes: 'pair' },
  'distance-l1': { api: 'distanceL1', takes: 'pair' },
  'distance-l2': { api: 'distanceL2', takes: 'pair' },
  'norm-l0': { api: 'normL0', takes: 'one' },
  'norm-l1': { api: 'normL1', takes: 'one' },
  'norm-l2': { api: 'normL2', takes: 'one' },
  'norm-max': { api: 'normMax', takes: 'one' },
  'normalize-l1': { api: 'normalizeL1', takes: 'one' },
  'normalize-l2': { api: 'normalizeL2', takes: 'one' },
  'normalize-max': { api: 'normalizeMax', takes: 'one' },
  sum: { api: 'sum', takes: 'rows' },
  min: { api: 'min', takes: 'rows' },
  max: { api: 'max', takes: 'rows' },
  'min-abs': { api: 'minAbs', takes: 'rows' },
  'max-abs': { api: 'maxAbs', takes: 'rows' },
};

/** `dot_product` (PostgresML's SQL name), `dot-product` and `pgml.dot_product` all name one function. */
function canonicalName(name: string): string {
  return name.replace(/^pgml\./, '').replaceAll('_', '-');
}

function parseJson(flag: string, text: string | boolean | undefined): unknown {
  if (typeof text !== 'string') throw new InvalidArgument(`--${flag} JSON is required`);
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidArgument(`--${flag} is not valid JSON: ${text}`);
  }
}

function vector(flag: string, value: unknown, what = `--${flag}`): Float64Array {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'number')) {
    throw new InvalidArgument(`${what} must be a JSON array of numbers`);
  }
  return Float64Array.from(value as number[]);
}

function argumentsFor(name: string, takes: (typeof FUNCTIONS)[string]['takes'], values: Record<string, string | boolean | undefined>): unknown[] {
  const a = parseJson('a', values.a);
  if (takes === 'one' || takes === 'rows') {
    if (values.b !== undefined) throw new InvalidArgument(`${name} takes only --a`);
    if (takes === 'one') return [vector('a', a)];
    if (!Array.isArray(a)) throw new InvalidArgument(`--a must be a JSON array of vectors (rows), e.g. '[[1,2],[3,4]]'`);
    return [a.map((row, i) => (row === null ? null : vector('a', row, `--a[${i}]`)))];
  }
  const b = parseJson('b', values.b);
  if (takes === 'scalar-or-pair' && typeof b === 'number') return [vector('a', a), b];
  return [vector('a', a), vector('b', b, takes === 'scalar-or-pair' ? '--b must be a number or a JSON array of numbers; --b' : '--b')];
}

const byTakes = (takes: string) =>
  Object.keys(FUNCTIONS)
    .filter((f) => FUNCTIONS[f]!.takes === takes)
    .join(', ');

export const vectorCommand: Command = {
  name: 'vector',
  summary: 'run one vector function on JSON arrays (native kernels)',
  help: `Usage: pgml vector FUNCTION --a JSON [--b JSON]

Runs one of PostgresML's vector functions on small vectors given as JSON, in double precision. FUNCTION is the
kebab-case name below or PostgresML's SQL name (dot_product, pgml.cosine_similarity, …).

Two vectors, or a vector and a number:  ${byTakes('scalar-or-pair')}
Two vectors:                            ${byTakes('pair')}
One vector:                             ${byTakes('one')}
Aggregates over rows (--a [[…],[…]]):   ${byTakes('rows')}  (null rows are skipped, as SQL does)

Examples:
  pgml vector dot-product --a '[1,2,3]' --b '[4,5,6]'      # 32
  pgml vector add --a '[1,2,3]' --b 3                      # [4,5,6]
  pgml vector max_abs --a '[[-2,1],[1,-3],null]'           # [2,3]
  pgml vector normalize-l2 --a '[3,4]' --json              # {"function":"normalize-l2","result":[0.6,0.8]}`,
  options: { a: { type: 'string' }, b: { type: 'string' } },
  async run({ positionals, values, output }) {
    const [given, ...extra] = positionals;
    const name = given === undefined ? undefined : canonicalName(given);
    const fn = name ? FUNCTIONS[name] : undefined;
    if (!name || !fn || extra.length > 0) {
      throw new InvalidArgument(
        `${given ? `unknown vector function ${JSON.stringify(given)}` : 'a vector function is required'}; one of ${Object.keys(FUNCTIONS).join(', ')}`,
      );
    }
    const args = argumentsFor(name, fn.takes, values);
    // Pure computation: no database is opened.
    const api = vectorFunctions(await loadNative()) as unknown as Record<string, (...a: unknown[]) => unknown>;
    const raw = await api[fn.api]!(...args);
    const result = ArrayBuffer.isView(raw) ? Array.from(raw as Float64Array) : raw;
    output.result({ function: name, result }, JSON.stringify(result));
    return 0;
  },
};
