/** What every native converter shares: its input, its result, and reading numeric fitted attributes. */
import type { Label, Task } from '@pgml-ts/core';
import type { FittedAttributes, FittedValue } from './fitted-attributes.js';

export interface ConversionInput {
  task: Task;
  numFeatures: number;
  /** Columns of predict: regression targets, else 1. */
  numOutputs: number;
  fitted: FittedAttributes;
  /** `classes_` as the python runtime reported it (the labels 1.0 fitted on, in their own type). */
  classes?: readonly Label[];
}

export type Conversion =
  | { payload: Uint8Array; /** classification: the label of each native class index */ labels?: Label[]; numClasses?: number }
  | { unsupported: string };

export interface NativeConverter {
  /** The class name without its module, e.g. `LinearRegression`. */
  estimator: string;
  package: 'sklearn' | 'xgboost';
  task: Task;
  /** Fitted attributes the conversion reads: dotted paths, `*` over lists, `@name` for fitted-attributes.ts's extractors. */
  attributes: readonly string[];
  convert(input: ConversionInput): Conversion;
}

/** Thrown inside a converter for a fitted state it cannot represent; reported as `not_convertible`. */
export class NotConvertible extends Error {}

export type NumericValue = { shape: number[]; data: Float64Array };

export function numeric(fitted: FittedAttributes, name: string): NumericValue {
  return asNumeric(fitted.attributes[name], `${fitted.className}.${name}`);
}

export function asNumeric(value: FittedValue | null | undefined, what: string): NumericValue {
  if (!value || !('data' in value)) throw new NotConvertible(`${what} is not a numeric array`);
  return value;
}

/** The numeric arrays of a `*` path (one per list item, nested lists flattened in order). */
export function items(fitted: FittedAttributes, name: string): NumericValue[] {
  const value = fitted.attributes[name];
  const flatten = (v: FittedValue | null | undefined): NumericValue[] =>
    v && 'items' in v ? v.items.flatMap(flatten) : [asNumeric(v, `${fitted.className}.${name}`)];
  if (!value || !('items' in value)) throw new NotConvertible(`${fitted.className}.${name} is not a list`);
  return flatten(value);
}

/** Classifiers: the native runtime numbers classes 0..k-1 and the stored labels map them back. */
export function numericClasses(classes: readonly Label[] | undefined): Label[] {
  if (!classes || classes.length < 2) throw new NotConvertible('a classifier without at least two classes_');
  if (classes.some((c) => typeof c === 'string')) throw new NotConvertible('text class labels');
  return [...classes];
}
