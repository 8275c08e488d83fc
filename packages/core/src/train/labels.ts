/**
 * Targets as runtimes see them. Classification labels (numbers, booleans or text) map to class indices 0..k-1 in
 * sorted order, as scikit-learn's LabelEncoder does; the label list is stored with the model so predictions come back
 * in the user's type. Regression targets are numbers, one column per y column (joint regression for several).
 */
import { InvalidArgument, PgmlError } from '../errors.js';
import type { Matrix, Task } from '../runtime.js';
import type { SnapshotColumn } from '../snapshot/columns.js';
import type { RawValues } from '../snapshot/read.js';

export type Label = string | number | boolean;

export interface Targets {
  y: Matrix;
  /** Classification only: the user's label for each class index. */
  labels?: Label[];
}

export function encodeTargets(task: Task, columns: readonly SnapshotColumn[], values: readonly RawValues[], rows: number): Targets {
  if (task === 'classification') {
    if (columns.length !== 1) {
      throw new InvalidArgument(`classification takes one y column, got ${columns.length}`, {
        yColumnName: columns.map((c) => c.name),
      });
    }
    return encodeClasses(columns[0]!, values[0]!, rows);
  }
  const y = new Float64Array(rows * columns.length);
  columns.forEach((column, j) => {
    const raw = values[j]!;
    if (column.kind === 'text' || column.kind === 'array' || raw.kind !== 'numbers') {
      throw new InvalidArgument(`y column ${JSON.stringify(column.name)} (${column.pg_type}) must be numeric for ${task}`, {
        column: column.name,
      });
    }
    for (let r = 0; r < rows; r++) {
      const v = raw.data[r]!;
      if (Number.isNaN(v)) throw nullTarget(column.name, r);
      y[r * columns.length + j] = v;
    }
  });
  return { y: { data: y, rows, cols: columns.length } };
}

function encodeClasses(column: SnapshotColumn, raw: RawValues, rows: number): Targets {
  if (column.kind === 'array') {
    throw new InvalidArgument(`y column ${JSON.stringify(column.name)} is an array; classification needs one label per row`);
  }
  const keys: Array<string | number> = [];
  if (raw.kind === 'text') {
    raw.data.forEach((v, r) => {
      if (v === null) throw nullTarget(column.name, r);
      keys.push(v);
    });
  } else {
    for (let r = 0; r < rows; r++) {
      const v = raw.data[r]!;
      if (Number.isNaN(v)) throw nullTarget(column.name, r);
      keys.push(v);
    }
  }
  const distinct = [...new Set(keys)].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
  if (distinct.length < 2) {
    throw new PgmlError('DATA_ERROR', `classification needs at least two classes; y column ${JSON.stringify(column.name)} has ${distinct.length}`, {
      column: column.name,
      classes: distinct,
    });
  }
  const index = new Map(distinct.map((k, i) => [k, i]));
  const y = new Float64Array(rows);
  keys.forEach((k, r) => (y[r] = index.get(k)!));
  const labels: Label[] = column.kind === 'boolean' ? distinct.map((k) => k === 1) : distinct;
  return { y: { data: y, rows, cols: 1 }, labels };
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
