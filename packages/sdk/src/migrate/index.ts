export { migrateV1, migrateV2, PICKLE_OPT_IN, RENAMED_V1_SCHEMA, RENAMED_V2_SCHEMA, type MigrateOptions } from './migrate.js';
export { toMarkdown, type MigrationReport, type ModelReport, type ModelStatus, type ProjectReport } from './report.js';
export { NATIVE_CONVERTERS, converterFor, type NativeConverter } from './native-converters.js';
export { EXACT, FLOAT32, MATCH_TOLERANCE, type Tolerance } from './compare.js';
