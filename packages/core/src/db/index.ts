export { collectCopy, parseCopyFloatArrays, type FloatArrays } from './copy-binary.js';
export {
  canonicalName,
  MAX_IDENTIFIER_BYTES,
  parseQualifiedName,
  quoteIdent,
  resolveColumn,
  resolveRelation,
  type ColumnInfo,
  type RelationInfo,
} from './identifiers.js';
export { readVectorColumn, vectorColumnSelect, type FloatArrayParser } from './read-vectors.js';
