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
export { readVectorColumn, vectorColumnSelect, vectorQueries, type FloatArrayParser, type VectorQueries } from './read-vectors.js';
