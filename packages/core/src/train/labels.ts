/**
 * Targets as runtimes see them. Classification labels (numbers, booleans or text) map to class indices 0..k-1 in
 * sorted order, as scikit-learn's LabelEncoder does; the label list is stored with the model so predictions come back
 * in the user's type. Regression targets are numbers, one column per y column (joint regression for several).
 */
import { InvalidArgument, PgmlError, type Vocabulary } from '../errors.js';
import type { Matrix, Task } from '../runtime.js';
import type { SnapshotColumn } from '../snapshot/columns.js';

export type Label = string | number | boolean;

/** A decoded label column: numbers (NaN = NULL), or for text, codes into `categories` (first-seen order). */
export interface LabelValues {
  values: Float64Array;
  categories?: string[];
}

export interface Targets {
  y: Matrix;
  /** Classification only: the user's label for each class index. */
  labels?: Label[];
}

export function encodeTargets(task: Task, columns: readonly SnapshotColumn[], values: readonly LabelValues[]): Targets {
  const rows = values[0]?.values.length ?? 0;
  if (task === 'classification') {
    if (columns.length !== 1) {
      throw new InvalidArgument(`classification takes one y column, got ${columns.length}`, {
        yColumnName: columns.map((c) => c.name),
      });
    }
    return encodeClasses(columns[0]!, values[0]!);
  }
  columns.forEach((column, j) => {
    if (column.kind === 'text' || column.kind === 'array' || values[j]!.categories) {
      throw new InvalidArgument(`y column ${JSON.stringify(column.name)} (${column.pg_type}) must be numeric for ${task}`, {
        column: column.name,
      });
    }
    const row = values[j]!.values.findIndex(Number.isNaN);
    if (row >= 0) throw nullTarget(column.name, row);
  });
  // One target column is used as decoded: no copy.
  if (columns.length === 1) return { y: { data: values[0]!.values, rows, cols: 1 } };
  const y = new Float64Array(rows * columns.length);
  values.forEach((v, j) => {
    for (let r = 0; r < rows; r++) y[r * columns.length + j] = v.values[r]!;
  });
  return { y: { data: y, rows, cols: columns.length } };
}

function encodeClasses(column: SnapshotColumn, label: LabelValues): Targets {
  if (column.kind === 'array') {
    throw new InvalidArgument(`y column ${JSON.stringify(column.name)} is an array; classification needs one label per row`);
  }
  const { values, categories } = label;
  const row = values.findIndex(Number.isNaN);
  if (row >= 0) throw nullTarget(column.name, row);
  // Distinct values (text: the codes present), sorted the way LabelEncoder sorts the labels themselves.
  const distinct = [...new Set(values)];
  const sorted: Label[] = categories
    ? distinct.map((code) => categories[code]!).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    : distinct.sort((a, b) => a - b);
  if (sorted.length < 2) {
    throw new PgmlError('DATA_ERROR', `classification needs at least two classes; y column ${JSON.stringify(column.name)} has ${sorted.length}`, {
      column: column.name,
      classes: sorted,
    });
  }
  checkClassesAreClasses(column, values, categories, sorted.length);
  const codeOf = categories && new Map(categories.map((text, code) => [text, code]));
  const classOf = new Map<number, number>(sorted.map((label, i) => [codeOf ? codeOf.get(label as string)! : (label as number), i]));
  const y = new Float64Array(values.length);
  for (let r = 0; r < values.length; r++) y[r] = classOf.get(values[r]!)!;
  const labels: Label[] = column.kind === 'boolean' ? sorted.map((k) => k === 1) : sorted;
  return { y: { data: y, rows: values.length, cols: 1 }, labels };
}

/**
 * Below this many rows per class on average (with more than `FEW_CLASSES` classes) a "classification" target is
 * almost surely a measurement: most classes would have one or two rows, and none in the test split.
 */
const MIN_ROWS_PER_CLASS = 5;
const FEW_CLASSES = 10;

/**
 * Refuses a target that is not made of classes: numbers with a fractional part, or so many distinct values that the
 * model could not learn or be scored on them (pgml.diabetes' target has 214 values in 442 rows). Training it anyway
 * would deploy a model with f1 ≈ 0 and no word of why.
 */
function checkClassesAreClasses(column: SnapshotColumn, values: Float64Array, categories: string[] | undefined, classes: number): void {
  const regression = (w: Vocabulary): string => `train it with ${w.option('task')} regression`;
  if (!categories && column.kind !== 'boolean') {
    const fractional = values.find((v) => !Number.isInteger(v));
    if (fractional !== undefined) {
      throw new PgmlError(
        'DATA_ERROR',
        (w) =>
          `classification target ${JSON.stringify(column.name)} (${column.pg_type}) holds non-integer values such as ` +
          `${fractional}: that is a regression target, not classes; ${regression(w)}, or bin it into classes first`,
        { column: column.name, value: fractional },
      );
    }
  }
  const rows = values.length;
  if (classes > FEW_CLASSES && rows < classes * MIN_ROWS_PER_CLASS) {
    throw new PgmlError(
      'DATA_ERROR',
      (w) =>
        `classification target ${JSON.stringify(column.name)} has ${classes} distinct values in ${rows} rows ` +
        `(${(rows / classes).toFixed(1)} rows per class): too few rows per class to learn or score them — it looks like ` +
        `a regression target; ${regression(w)}, or bin it into fewer classes (classification needs at least ` +
        `${MIN_ROWS_PER_CLASS} rows per class on average once it has more than ${FEW_CLASSES} classes)`,
      { column: column.name, classes, rows },
    );
  }
}

function nullTarget(column: string, row: number): PgmlError {
  return new PgmlError('DATA_ERROR', `y column ${JSON.stringify(column)} is NULL (or NaN) in row ${row}; labels cannot be imputed`, {
    column,
    row,
  });
}

/** The user's label for a predicted class index. */
export function decodeLabel(labels: readonly Label[] | undefined, index: number): Label {
  if (!labels) return index;
  const label = labels[index];
  if (label === undefined) throw new PgmlError('DATA_ERROR', `model predicted class ${index}, outside its ${labels.length} classes`);
  return label;
}
