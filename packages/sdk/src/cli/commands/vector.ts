import { InvalidArgument } from '@pgml-ts/core';
import { loadNative, vectorFunctions } from '../../vector.js';
import type { Command } from '../command.js';

/** CLI name → API name and arity; PostgresML's pgml.<snake_case> functions, kebab-cased. */
const FUNCTIONS: Record<string, { api: string; arity: 1 | 2 }> = {
  add: { api: 'add', arity: 2 },
  subtract: { api: 'subtract', arity: 2 },
  multiply: { api: 'multiply', arity: 2 },
  divide: { api: 'divide', arity: 2 },
  'dot-product': { api: 'dotProduct', arity: 2 },
  'cosine-similarity': { api: 'cosineSimilarity', arity: 2 },
  'distance-l1': { api: 'distanceL1', arity: 2 },
  'distance-l2': { api: 'distanceL2', arity: 2 },
  'norm-l0': { api: 'normL0', arity: 1 },
  'norm-l1': { api: 'normL1', arity: 1 },
  'norm-l2': { api: 'normL2', arity: 1 },
  'norm-max': { api: 'normMax', arity: 1 },
  'normalize-l1': { api: 'normalizeL1', arity: 1 },
  'normalize-l2': { api: 'normalizeL2', arity: 1 },
  'normalize-max': { api: 'normalizeMax', arity: 1 },
  sum: { api: 'sum', arity: 1 },
  min: { api: 'min', arity: 1 },
  max: { api: 'max', arity: 1 },
  'min-abs': { api: 'minAbs', arity: 1 },
  'max-abs': { api: 'maxAbs', arity: 1 },
};

function parseVector(flag: string, text: string | boolean | undefined): Float64Array | number {
  if (typeof text !== 'string') throw new InvalidArgument(`--${flag} JSON is required`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidArgument(`--${flag} is not valid JSON: ${text}`);
  }
  if (typeof value === 'number') return value;
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'number')) {
    throw new InvalidArgument(`--${flag} must be a JSON array of numbers (or a number)`);
  }
  return Float64Array.from(value as number[]);
}

export const vectorCommand: Command = {
  name: 'vector',
  summary: 'run one vector function on JSON arrays (native kernels)',
  help: `Usage: pgml vector FUNCTION --a JSON [--b JSON]

Runs one of PostgresML's vector functions on small vectors given as JSON, in double precision.

Functions of two vectors: ${Object.keys(FUNCTIONS).filter((f) => FUNCTIONS[f]!.arity === 2).join(', ')}
Functions of one vector:  ${Object.keys(FUNCTIONS).filter((f) => FUNCTIONS[f]!.arity === 1).join(', ')}

Examples:
  pgml vector dot-product --a '[1,2,3]' --b '[4,5,6]'      # 32
  pgml vector normalize-l2 --a '[3,4]' --json              # {"function":"normalize-l2","result":[0.6,0.8]}`,
  options: { a: { type: 'string' }, b: { type: 'string' } },
  async run({ positionals, values, output }) {
    const [name, ...extra] = positionals;
    const fn = name ? FUNCTIONS[name] : undefined;
    if (!name || !fn || extra.length > 0) {
      throw new InvalidArgument(
        `${name ? `unknown vector function ${JSON.stringify(name)}` : 'a vector function is required'}; one of ${Object.keys(FUNCTIONS).join(', ')}`,
      );
    }
    const args = [parseVector('a', values.a)];
    if (fn.arity === 2) args.push(parseVector('b', values.b));
    else if (values.b !== undefined) throw new InvalidArgument(`${name} takes only --a`);
    // Pure computation: no database is opened.
    const api = vectorFunctions(await loadNative()) as unknown as Record<string, (...a: unknown[]) => unknown>;
    const raw = await api[fn.api]!(...args);
    const result = ArrayBuffer.isView(raw) ? Array.from(raw as Float64Array) : raw;
    output.result({ function: name, result }, JSON.stringify(result));
    return 0;
  },
};
