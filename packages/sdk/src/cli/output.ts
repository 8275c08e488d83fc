/**
 * The CLI's only writer. Human text or exactly one JSON object on stdout; errors and progress on stderr, progress
 * only on a TTY and never with --quiet: one status line that each step rewrites and the result erases. Every
 * message passes through `maskSecrets`.
 */
import { InvalidArgument, PgmlError, maskSecrets } from '@pgml-ts/core';
import { CLI_VOCABULARY } from './flags.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
}

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_INTERNAL = 2;

export class Output {
  /** A progress status line is on the terminal and must be erased before other output. */
  #status = false;

  constructor(
    readonly options: OutputOptions,
    private readonly streams: Streams = { stdout: process.stdout, stderr: process.stderr },
  ) {}

  /** The command's result: `value` as JSON with --json, else the `human` text. */
  result(value: Record<string, unknown>, human: string): void {
    this.#clearStatus();
    if (this.options.json) this.streams.stdout.write(`${JSON.stringify(value)}\n`);
    else this.streams.stdout.write(`${maskSecrets(human)}\n`);
  }

  /** Plain text to stdout (help, version); with --json wrapped in one object so stdout stays one JSON value. */
  text(text: string, key = 'text'): void {
    this.#clearStatus();
    if (this.options.json) this.streams.stdout.write(`${JSON.stringify({ [key]: text })}\n`);
    else this.streams.stdout.write(`${text}\n`);
  }

  /** Whether progress is shown at all (a terminal's stderr, not --quiet): callers skip formatting otherwise. */
  get showsProgress(): boolean {
    return !this.options.quiet && Boolean(this.streams.stderr.isTTY);
  }

  /** The current step (`fitting…`), replacing the previous one. */
  progress(message: string): void {
    if (!this.showsProgress) return;
    this.streams.stderr.write(`\r\x1b[K${maskSecrets(message)}`);
    this.#status = true;
  }

  /** A step with a counter (`cross-validation folds 3/15`). */
  progressCount(label: string, current: number, total: number): void {
    this.progress(`${label} ${current}/${total}`);
  }

  /** Work done at a rate (`scored 150,000 rows (310,000 rows/s)`), with the total when it is known. */
  progressRate(label: string, done: number, seconds: number, unit: string, total?: number): void {
    if (!this.showsProgress) return;
    const count = total ? `${done.toLocaleString('en')} / ~${total.toLocaleString('en')}` : done.toLocaleString('en');
    const rate = seconds > 0 ? ` (${Math.round(done / seconds).toLocaleString('en')} ${unit}/s)` : '';
    this.progress(`${label} ${count} ${unit}${rate}`);
  }

  #clearStatus(): void {
    if (!this.#status) return;
    this.streams.stderr.write('\r\x1b[K');
    this.#status = false;
  }

  /** Reports an error and returns the exit code: 1 for `PgmlError` (user error), 2 for anything else. */
  error(error: unknown): number {
    this.#clearStatus();
    const user = error instanceof PgmlError;
    const code = user ? error.code : 'INTERNAL';
    // Errors about options speak in flags here (`--test-size`, not `testSize`).
    const message = maskSecrets(user ? error.describe(CLI_VOCABULARY) : error instanceof Error ? error.message : String(error));
    if (this.options.json) this.streams.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    this.streams.stderr.write(user ? `pgml: ${message}\n` : `pgml: internal error: ${message}\n`);
    if (!user && process.env.PGML_DEBUG && error instanceof Error && error.stack) {
      this.streams.stderr.write(`${maskSecrets(error.stack)}\n`);
    }
    return user ? EXIT_USER_ERROR : EXIT_INTERNAL;
  }

  /** A command line that cannot run (no command): the error, then the usage on stderr; exit 1. */
  usageError(message: string, usage: string): number {
    const code = this.error(new InvalidArgument(message));
    this.streams.stderr.write(`\n${usage}\n`);
    return code;
  }
}
