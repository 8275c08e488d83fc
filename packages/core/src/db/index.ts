export { parseCopyFloatArrays, type FloatArrays } from './copy-binary.js';
export { copyNumericType, readCopyColumns, type CopyColumns, type CopyNumericType } from './copy-columns.js';
export {
  MAX_IDENTIFIER_BYTES,
  parseQualifiedName,
  quoteIdent,
  resolveColumn,
  resolveRelation,
  type ColumnInfo,
  type RelationInfo,
} from './identifiers.js';
export { readVectorColumn, vectorColumnSelect, type FloatArrayParser } from './read-vectors.js';
