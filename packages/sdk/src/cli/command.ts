import type { ParseArgsConfig } from 'node:util';
import type { PostgresML } from '../client.js';
import type { Output } from './output.js';

export interface GlobalOptions {
  databaseUrl?: string;
  /** `--lock-timeout MS`; undefined: `PGML_LOCK_TIMEOUT`, else 0. */
  lockTimeout?: number;
  json: boolean;
  quiet: boolean;
}

export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  /** The arguments after the command name, untouched (for commands that delegate their parsing). */
  rawArgs: string[];
  global: GlobalOptions;
  output: Output;
  /** Connects on first call (so `--help` and argument errors never open a database). */
  connect(): Promise<PostgresML>;
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text: usage line, description, options, examples. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Commands that parse their own arguments (bench) skip the strict parse. */
  passThrough?: boolean;
  run(ctx: CommandContext): Promise<number>;
}
