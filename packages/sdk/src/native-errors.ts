import { CorruptModel, DimensionMismatch, InvalidArgument, PgmlError, type PgmlErrorCode } from '@pgml-ts/core';

/** The codes `@pgml-ts/native` throws, each one of core's `PgmlErrorCode`s ('NATIVE_PANIC', a bug, is not). */
const NATIVE_CODES = new Set<PgmlErrorCode>([
  'DIMENSION_MISMATCH',
  'EMPTY_INPUT',
  'INVALID_ARGUMENT',
  'ABORTED',
  'ALGORITHM_UNAVAILABLE',
  'INVALID_HYPERPARAMETER',
  'DATA_ERROR',
  'CORRUPT_MODEL',
]);

/**
 * The one place native errors become core's typed errors. `@pgml-ts/native` throws plain `Error`s carrying a `code`
 * (the names of core's `PgmlErrorCode`); anything else (a `NATIVE_PANIC`, a bug) passes through unchanged.
 */
export function fromNativeError(error: unknown): unknown {
  if (error instanceof PgmlError || !(error instanceof Error)) return error;
  const { code, expected, got } = error as Error & { code?: unknown; expected?: unknown; got?: unknown };
  if (typeof code !== 'string' || !NATIVE_CODES.has(code as PgmlErrorCode)) return error;
  if (code === 'DIMENSION_MISMATCH' && typeof expected === 'number' && typeof got === 'number') {
    return new DimensionMismatch(expected, got);
  }
  if (code === 'INVALID_ARGUMENT') return new InvalidArgument(error.message);
  // The payload reader's own message already says what is wrong; keep it as the reason.
  if (code === 'CORRUPT_MODEL') return new CorruptModel(error.message);
  return new PgmlError(code as PgmlErrorCode, error.message);
}

/** Runs `run` for an async API: whatever it throws or rejects with is a rejection, native errors typed. */
export async function nativeAsync<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw fromNativeError(error);
  }
}

/** Wraps a function so that native errors it throws (or rejects with) become typed errors. */
export function withNativeErrors<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    let result: R;
    try {
      result = fn(...args);
    } catch (error) {
      throw fromNativeError(error);
    }
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        throw fromNativeError(error);
      }) as R;
    }
    return result;
  };
}
