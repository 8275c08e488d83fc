/**
 * `--convert-native`: one entry per estimator class the native runtime can represent, each turning FITTED parameters
 * (never a refit) into a native payload. Adding an algorithm is one entry: which attributes to read from the pickle
 * (dotted paths, `*` over lists) and how to lay them out (native-payload.ts, tree-payload.ts). Whatever has no
 * entry, or is refused by its entry, stays on the python runtime; a payload is only used after its predictions
 * matched the pickle's.
 */
import type { Task } from '@pgml-ts/core';
import { NotConvertible, type Conversion, type ConversionInput, type NativeConverter } from './converter-kit.js';
import { LINEAR_CONVERTERS } from './linear-converters.js';
import { TREE_CONVERTERS } from './tree-converters.js';

export type { Conversion, ConversionInput, NativeConverter } from './converter-kit.js';

export const NATIVE_CONVERTERS: readonly NativeConverter[] = [...LINEAR_CONVERTERS, ...TREE_CONVERTERS];

/** The converter for a pickled class name (`sklearn.linear_model._base.LinearRegression`) and task, if any. */
export function converterFor(className: string, task: Task): NativeConverter | undefined {
  const [root] = className.split('.');
  return NATIVE_CONVERTERS.find((c) => c.task === task && c.package === root && className.endsWith(`.${c.estimator}`));
}

/** Runs a converter; a fitted state it cannot represent comes back as `{ unsupported }`, never as a throw. */
export function convertToNative(converter: NativeConverter, input: ConversionInput): Conversion {
  try {
    return converter.convert(input);
  } catch (error) {
    if (error instanceof NotConvertible) return { unsupported: error.message };
    throw error;
  }
}
