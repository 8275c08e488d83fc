/**
 * Every error pgml-ts throws on purpose is a `PgmlError` with a stable `code` that callers can switch on.
 * The CLI maps `PgmlError` to exit code 1 (user error) and anything else to exit code 2 (internal).
 */
export type PgmlErrorCode =
  | 'INVALID_ARGUMENT'
  | 'DIMENSION_MISMATCH'
  | 'EMPTY_INPUT'
  | 'UNKNOWN_RELATION'
  | 'UNKNOWN_COLUMN'
  | 'UNKNOWN_DATASET'
  | 'UNKNOWN_PROJECT'
  | 'NO_DEPLOYED_MODEL'
  | 'NO_EXPLANATION'
  | 'ALGORITHM_UNAVAILABLE'
  | 'INVALID_HYPERPARAMETER'
  | 'CORRUPT_MODEL'
  | 'DATA_ERROR'
  | 'DATABASE_ERROR'
  | 'CONNECTION_FAILED'
  | 'DATABASE_LOCKED'
  | 'NATIVE_UNAVAILABLE'
  | 'PYTHON_UNAVAILABLE'
  | 'PYTHON_WORKER'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'CONFLICT'
  | 'RESOURCE_LIMIT'
  | 'MIGRATION_REQUIRED';

/**
 * How a message names what the caller typed: the SDK speaks in option names (`yColumnName`), the CLI in flags
 * (`--y`). Errors about options build their text from these words, so each front end reports in its own terms.
 */
export interface Vocabulary {
  /** An option of an SDK call, e.g. `testSize` (the CLI says `--test-size`). */
  option(name: string): string;
  /** Where the algorithm catalogue is, e.g. `pgml.algorithms('regression')` (the CLI: `pgml algorithms --task …`). */
  catalogue(task?: string): string;
}

export const SDK_VOCABULARY: Vocabulary = {
  option: (name) => name,
  catalogue: (task) => (task ? `pgml.algorithms(${JSON.stringify(task).replace(/"/g, "'")})` : 'pgml.algorithms()'),
};

/** A message, or one written in the caller's vocabulary (see `Vocabulary`). */
export type ErrorMessage = string | ((words: Vocabulary) => string);

export class PgmlError extends Error {
  readonly code: PgmlErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly #render: ((words: Vocabulary) => string) | undefined;

  constructor(code: PgmlErrorCode, message: ErrorMessage, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(typeof message === 'string' ? message : message(SDK_VOCABULARY), options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
    this.#render = typeof message === 'string' ? undefined : message;
  }

  /** The message in another front end's words (the CLI's flags); `message` is the SDK's. */
  describe(words: Vocabulary): string {
    return this.#render ? this.#render(words) : this.message;
  }

  toJSON(): { code: PgmlErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export class InvalidArgument extends PgmlError {
  constructor(message: ErrorMessage, details: Record<string, unknown> = {}) {
    super('INVALID_ARGUMENT', message, details);
  }
}

export class DimensionMismatch extends PgmlError {
  constructor(expected: number, got: number, what = 'vector') {
    super('DIMENSION_MISMATCH', `${what} dimension mismatch: expected ${expected}, got ${got}`, { expected, got });
  }
}

export class EmptyInput extends PgmlError {
  constructor(what: string) {
    super('EMPTY_INPUT', `${what} is empty`);
  }
}

export class UnknownRelation extends PgmlError {
  /** `suggestion`: the name, quoted as SQL needs it, of a relation that differs only in case. */
  constructor(relation: string, suggestion?: string) {
    const hint = suggestion
      ? `; did you mean ${suggestion}? Unquoted names fold to lower case, so pass it quoted, as SQL needs: '${suggestion}'`
      : '';
    super('UNKNOWN_RELATION', `relation ${JSON.stringify(relation)} does not exist${hint}`, {
      relation,
      ...(suggestion ? { suggestion } : {}),
    });
  }
}

export class UnknownColumn extends PgmlError {
  constructor(relation: string, column: string) {
    super('UNKNOWN_COLUMN', `column ${JSON.stringify(column)} does not exist in ${relation}`, { relation, column });
  }
}

export class AlgorithmUnavailable extends PgmlError {
  constructor(algorithm: string, reason: ErrorMessage, details: Record<string, unknown> = {}) {
    const because = typeof reason === 'string' ? () => reason : reason;
    super('ALGORITHM_UNAVAILABLE', (words) => `algorithm ${JSON.stringify(algorithm)} is unavailable: ${because(words)}`, {
      algorithm,
      ...details,
    });
  }
}

export class CorruptModel extends PgmlError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('CORRUPT_MODEL', `model bytes are not a valid pgml-ts model: ${reason}`, details);
  }
}

export class DatabaseError extends PgmlError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('DATABASE_ERROR', message, details, options);
  }
}

/** `connect` could not reach or log in to the database server (refused, unknown host, bad password, …). */
export class ConnectionFailed extends PgmlError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('CONNECTION_FAILED', message, details, options);
  }
}

/** Who holds an embedded database's data directory: the process recorded in its lock. */
export interface DataDirHolder {
  pid: number;
  /** Set when the lock was taken on another machine (a shared filesystem): its pid cannot be checked from here. */
  host?: string;
  /** When the holder took the lock (ISO 8601). */
  since?: string;
  /** The holder is the process that asks: another client of its own has the directory open. */
  thisProcess?: boolean;
}

/**
 * An embedded (PGlite) database directory that another process, or another client in this process, has open. PGlite
 * is single-process: a second writer would silently lose or mix data, so it is refused before anything is opened.
 */
export class DatabaseLocked extends PgmlError {
  constructor(dataDir: string, holder: DataDirHolder, waitedMs = 0) {
    const waited = waitedMs > 0 ? ` (waited ${waitedMs} ms)` : '';
    const message = holder.thisProcess
      ? `the embedded database at ${dataDir} is already open in this process (pid ${holder.pid}) by another client` +
        `${waited}: close that client first, or share it — a data directory can be open once at a time`
      : `the embedded database at ${dataDir} is in use by pid ${holder.pid}` +
        `${holder.host ? ` on host ${holder.host}` : ''}${holder.since ? ` since ${holder.since}` : ''}${waited}. ` +
        'The embedded database allows one process at a time: wait for it to finish, let this one wait for it ' +
        '(--lock-timeout MS, PGML_LOCK_TIMEOUT or connect({ lockTimeout })), or use PostgreSQL ' +
        '(--database-url / DATABASE_URL) to run several processes at once';
    super('DATABASE_LOCKED', message, { dataDir, ...holder, waitedMs });
  }
}

/** A request that would need more memory than the documented bound allows, refused before anything is allocated. */
export class ResourceLimit extends PgmlError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('RESOURCE_LIMIT', message, details);
  }
}

/**
 * Removes the password from anything that looks like a connection string, for errors, logs and reports. Any URL
 * scheme: a mistyped one (`postgress://`, `mysql://`) is echoed by the "not a PostgreSQL URL" error.
 */
export function maskSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@').replace(/(password=)[^\s&]+/gi, '$1***');
}
