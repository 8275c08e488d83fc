import { DatabaseError, PgmlError, maskSecrets } from '@pgml-ts/core';

/** What every call on a closed `Db` handle fails with, on both drivers. */
export const CLOSED_MESSAGE = 'the database handle is closed';

/**
 * Wraps a driver error into core's `DatabaseError`, keeping the SQLSTATE and masking any connection string.
 * PgmlErrors (ours, thrown inside a transaction callback) pass through untouched.
 */
export function toDatabaseError(error: unknown, context: string): Error {
  if (error instanceof PgmlError) return error;
  const e = error as { message?: unknown; code?: unknown; detail?: unknown; hint?: unknown; position?: unknown };
  const message = maskSecrets(typeof e?.message === 'string' ? e.message : String(error));
  const details: Record<string, unknown> = {};
  // SQLSTATE codes are five characters; node's own errors (ECONNREFUSED…) are kept under a separate key.
  if (typeof e?.code === 'string') details[/^[0-9A-Z]{5}$/.test(e.code) ? 'sqlstate' : 'errno'] = e.code;
  if (typeof e?.detail === 'string') details.detail = maskSecrets(e.detail);
  if (typeof e?.hint === 'string') details.hint = e.hint;
  return new DatabaseError(`${context}: ${message}`, details);
}
