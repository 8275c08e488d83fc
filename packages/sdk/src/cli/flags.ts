/** Reading command flags: every bad value is an `InvalidArgument` that names the flag (exit 1, not a stack trace). */
import { InvalidArgument, type Vocabulary } from '@pgml-ts/core';

/** The flag for each SDK option an error may name; an option without a flag of its own keeps its name. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  project: '--project',
  task: '--task',
  relationName: '--relation',
  yColumnName: '--y',
  algorithm: '--algorithm',
  hyperparams: '--hyperparams',
  search: '--search',
  searchParams: '--search-params',
  searchArgs: '--search-args',
  testSize: '--test-size',
  testSampling: '--test-sampling',
  runtime: '--runtime',
  preprocess: '--preprocess',
  materializeSnapshot: '--materialize-snapshot',
  automaticDeploy: '--no-deploy',
  predictProba: '--proba',
  proba: '--proba',
  key: '--key',
  into: '--into',
  force: '--force',
  deploy: '--deploy',
};

/** How the CLI words errors: flags for options, the `pgml algorithms` command for the catalogue. */
export const CLI_VOCABULARY: Vocabulary = {
  option: (name) => FLAG_OF_OPTION[name] ?? name,
  catalogue: (task) => `pgml algorithms${task ? ` --task ${task}` : ''}`,
};

type Values = Record<string, string | boolean | undefined>;

export function stringFlag(values: Values, flag: string): string | undefined {
  const value = values[flag];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new InvalidArgument(`--${flag} needs a value`);
  return value;
}

export function requiredFlag(values: Values, flag: string, what: string): string {
  const value = stringFlag(values, flag);
  if (value === undefined) throw new InvalidArgument(`--${flag} ${what} is required`);
  return value;
}

export function oneOfFlag<T extends string>(values: Values, flag: string, allowed: readonly T[]): T | undefined {
  const value = stringFlag(values, flag);
  if (value !== undefined && !allowed.includes(value as T)) {
    throw new InvalidArgument(`--${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T | undefined;
}

export function numberFlag(values: Values, flag: string): number | undefined {
  const text = stringFlag(values, flag);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgument(`--${flag} must be a number, got ${JSON.stringify(text)}`);
  return value;
}

export function integerFlag(values: Values, flag: string, min: number): number | undefined {
  const value = numberFlag(values, flag);
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
    throw new InvalidArgument(`--${flag} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

/** A JSON flag whose value must be an object (`{…}`), an array (`[…]`), or either. */
export function jsonFlag(values: Values, flag: string, shape: 'object'): Record<string, unknown> | undefined;
export function jsonFlag(values: Values, flag: string, shape: 'array'): unknown[] | undefined;
export function jsonFlag(values: Values, flag: string, shape: 'array or object'): unknown[] | Record<string, unknown> | undefined;
export function jsonFlag(values: Values, flag: string, shape: 'object' | 'array' | 'array or object'): unknown {
  const text = stringFlag(values, flag);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgument(`--${flag} is not valid JSON (${(error as Error).message}): ${text}`, { flag });
  }
  const isArray = Array.isArray(value);
  const isObject = typeof value === 'object' && value !== null && !isArray;
  if ((shape === 'object' && !isObject) || (shape === 'array' && !isArray) || (shape === 'array or object' && !isArray && !isObject)) {
    throw new InvalidArgument(`--${flag} must be a JSON ${shape}, got ${text}`, { flag });
  }
  return value;
}

export function noPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw new InvalidArgument(`${command} takes no positional arguments, got ${positionals.join(' ')}`);
}

/** `--project P` or `--model ID`, exactly one: the project name (its deployed model) or the model id. */
export function projectOrModelFlag(values: Values): string | number {
  const project = stringFlag(values, 'project');
  const modelId = integerFlag(values, 'model', 1);
  if ((project === undefined) === (modelId === undefined)) throw new InvalidArgument('give one of --project P or --model ID');
  return modelId ?? project!;
}
