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
  | 'ALGORITHM_UNAVAILABLE'
  | 'INVALID_HYPERPARAMETER'
  | 'CORRUPT_MODEL'
  | 'DATA_ERROR'
  | 'DATABASE_ERROR'
  | 'NATIVE_UNAVAILABLE'
  | 'PYTHON_UNAVAILABLE'
  | 'PYTHON_WORKER'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'CONFLICT'
  | 'RESOURCE_LIMIT';

export class PgmlError extends Error {
  readonly code: PgmlErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: PgmlErrorCode, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: PgmlErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export class InvalidArgument extends PgmlError {
  constructor(message: string, details: Record<string, unknown> = {}) {
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
  constructor(relation: string) {
    super('UNKNOWN_RELATION', `relation ${JSON.stringify(relation)} does not exist`, { relation });
  }
}

export class UnknownColumn extends PgmlError {
  constructor(relation: string, column: string) {
    super('UNKNOWN_COLUMN', `column ${JSON.stringify(column)} does not exist in ${relation}`, { relation, column });
  }
}

export class AlgorithmUnavailable extends PgmlError {
  constructor(algorithm: string, reason: string, details: Record<string, unknown> = {}) {
    super('ALGORITHM_UNAVAILABLE', `algorithm ${JSON.stringify(algorithm)} is unavailable: ${reason}`, {
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
