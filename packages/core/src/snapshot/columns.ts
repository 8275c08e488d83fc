/**
 * What a relation's columns become in a snapshot, from their catalog type (`format_type`): numbers and booleans are
 * one feature each, text is categorical (encoded by the preprocessor), and one-dimensional numeric arrays expand into
 * one feature per element, as PostgresML does. Anything else is refused up front, naming the column and type.
 */
import { InvalidArgument } from '../errors.js';
import type { WireType } from '../data/table-engine.js';
import type { ColumnInfo } from '../db/index.js';

export type ColumnKind = 'number' | 'boolean' | 'text' | 'array';

export interface SnapshotColumn {
  name: string;
  /** The catalog spelling, e.g. `real`, `integer[]`, `character varying(20)` (PostgresML's `pg_type`). */
  pg_type: string;
  kind: ColumnKind;
  /** True for the y (target) columns. */
  label: boolean;
  /** 0-based position among the relation's columns. */
  position: number;
  /** Features this column spans before encoding: the array length for arrays, else 1. */
  size: number;
}

const NUMBER_TYPES = new Set(['smallint', 'integer', 'bigint', 'real', 'double precision']);
const TEXT_TYPE = /^(text|character varying(\(\d+\))?|character(\(\d+\))?|"char"|name|citext)$/;
const NUMERIC_TYPE = /^numeric(\(\d+(,\d+)?\))?$/;

function scalarKind(type: string): 'number' | 'boolean' | 'text' | undefined {
  if (NUMBER_TYPES.has(type) || NUMERIC_TYPE.test(type)) return 'number';
  if (type === 'boolean') return 'boolean';
  if (TEXT_TYPE.test(type)) return 'text';
  return undefined;
}

export function classifyColumn(column: ColumnInfo, position: number, label: boolean): SnapshotColumn {
  const base = { name: column.name, pg_type: column.type, label, position, size: 1 };
  if (column.type.endsWith('[]')) {
    const element = scalarKind(column.type.slice(0, -2));
    if (element === 'number' || element === 'boolean') return { ...base, kind: 'array' };
  } else {
    const kind = scalarKind(column.type);
    if (kind) return { ...base, kind };
  }
  throw new InvalidArgument(
    `column ${JSON.stringify(column.name)} has type ${column.type}, which cannot be a ${label ? 'label' : 'feature'}: ` +
      'use numbers, booleans, text or one-dimensional numeric arrays',
    { column: column.name, type: column.type },
  );
}

/** How a column is selected and decoded: the SELECT expression and its wire type in the binary COPY stream. */
export interface ColumnRead {
  expression: string;
  type: WireType;
  array: boolean;
}

const WIRE: Record<string, WireType> = {
  real: 'float4',
  'double precision': 'float8',
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  boolean: 'bool',
};

/**
 * The decoder reads numbers, booleans, text and varchar as PostgreSQL sends them (no cast, so the server does no
 * more work than a plain COPY of the column); numeric is cast to float8 (correctly rounded) and the other text
 * types to text (char(n) without its padding).
 */
export function columnRead(column: SnapshotColumn, quoted: string): ColumnRead {
  const array = column.kind === 'array';
  const element = array ? column.pg_type.slice(0, -2) : column.pg_type;
  if (column.kind === 'text') {
    const plain = element === 'text' || element.startsWith('character varying');
    return { expression: plain ? quoted : `${quoted}::text`, type: 'text', array: false };
  }
  const type = WIRE[element];
  if (type) return { expression: quoted, type, array };
  // numeric / numeric(p,s): PostgreSQL's own conversion to the nearest double.
  return { expression: `${quoted}::float8${array ? '[]' : ''}`, type: 'float8', array };
}
