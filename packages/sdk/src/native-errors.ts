import { DimensionMismatch, InvalidArgument, PgmlError } from '@pgml-ts/core';

const NATIVE_CODES = new Set(['DIMENSION_MISMATCH', 'EMPTY_INPUT', 'INVALID_ARGUMENT', 'ABORTED']);

/**
 * The one place native errors become core's typed errors. `@pgml-ts/native` throws plain `Error`s carrying a `code`
 * ('DIMENSION_MISMATCH' | 'EMPTY_INPUT' | 'INVALID_ARGUMENT' | 'ABORTED'); anything else is a bug and passes through.
 */
export function fromNativeError(error: unknown): unknown {
  if (error instanceof PgmlError || !(error instanceof Error)) return error;
  const { code, expected, got } = error as Error & { code?: unknown; expected?: unknown; got?: unknown };
  if (typeof code !== 'string' || !NATIVE_CODES.has(code)) return error;
  if (code === 'DIMENSION_MISMATCH' && typeof expected === 'number' && typeof got === 'number') {
    return new DimensionMismatch(expected, got);
  }
  if (code === 'INVALID_ARGUMENT') return new InvalidArgument(error.message);
  return new PgmlError(code as 'DIMENSION_MISMATCH' | 'EMPTY_INPUT' | 'ABORTED', error.message);
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
