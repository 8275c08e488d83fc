/**
 * Scoring a table: `predictRelation(project, relation, { key, into })` streams the relation through binary COPY,
 * decodes it natively in batches, predicts each batch in one runtime call and writes `(key…, prediction[,
 * probabilities])` back with binary COPY FROM — all writes in one transaction, so a failure leaves no target table
 * (or, appending, no partial rows). Memory is bounded by the batch: on a pooled database the read runs on its own
 * connection and pauses while a batch is written; PGlite (one connection) reads the relation first, then writes.
 */
import type { DecodedTable, EncodedPredictions, TableColumn, TableDecoder } from '../data/table-engine.js';
import type { Db } from '../db.js';
import { canonicalName, parseQualifiedName, quoteIdent, resolveColumn, resolveRelation, type ColumnInfo, type RelationInfo } from '../db/index.js';
import { InvalidArgument, PgmlError } from '../errors.js';
import type { RuntimeRegistry } from '../registry.js';
import { classifyColumn, columnRead, type SnapshotColumn } from '../snapshot/columns.js';
import { copyRanges, type CopyHandles } from '../snapshot/parallel-copy.js';
import { decodeLabel, type Label } from '../train/labels.js';
import { deployedModel, type LoadedModel, type ModelLookupOptions } from './deployed-model.js';

export interface PredictRelationOptions extends ModelLookupOptions {
  /** Key column(s) of the relation, written next to each prediction so rows can be joined back. */
  key: string | string[];
  /** The table to create (`schema.table` or `table`); it must not exist unless `ifExists` says what to do. */
  into: string;
  /** Rows per batch (default 50,000): the unit of decoding, prediction and writing, and of memory. */
  batchRows?: number;
  /** Also write the class probabilities (`probabilities double precision[]`, in the order of the model's labels). */
  proba?: boolean;
  /** An existing target: `error` (default), `append` rows to it, or `replace` it. */
  ifExists?: 'error' | 'append' | 'replace';
  signal?: AbortSignal;
  /** Rows scored so far, after each batch. */
  onProgress?: (progress: { rows: number }) => void;
}

export interface PredictRelationResult {
  /** The target, schema-qualified (quoted only where PostgreSQL needs it). */
  into: string;
  rows: number;
  modelId: number;
  /** The target's columns as created: the keys, `prediction`, and `probabilities` with `proba`. */
  columns: Array<{ name: string; type: string }>;
  seconds: number;
}

export const DEFAULT_BATCH_ROWS = 50_000;

export async function predictRelation(
  db: Db,
  registry: RuntimeRegistry,
  projectOrModelId: string | number,
  relationName: string,
  options: PredictRelationOptions,
): Promise<PredictRelationResult> {
  const start = performance.now();
  const { batchRows = DEFAULT_BATCH_ROWS, proba = false, ifExists = 'error' } = options;
  if (!['error', 'append', 'replace'].includes(ifExists)) throw new InvalidArgument(`ifExists must be error, append or replace, got ${JSON.stringify(ifExists)}`);
  const model = await deployedModel(db, registry, projectOrModelId, options);
  const source = await resolveRelation(db, relationName);
  const keys = (Array.isArray(options.key) ? options.key : [options.key]).map((k) => resolveColumn(source, k));
  if (keys.length === 0) throw new InvalidArgument('key must name at least one column of the relation');
  const output = outputOf(model, proba);
  const targetColumns = [...keys.map((k) => ({ name: k.name, type: k.type })), ...output.columns];
  return db.transaction(async (tx) => {
    const target = await createTarget(tx, source, options.into, targetColumns, ifExists);
    const copyTarget = `${target.qualified} (${targetColumns.map((c) => quoteIdent(c.name)).join(', ')})`;
    let rows = 0;
    // A pool reads on other connections (in parallel ranges of this transaction's snapshot) while this one writes;
    // a single connection must finish reading first.
    const handles: CopyHandles = db.pooled ? { snapshot: tx, reader: db, parallel: { pool: db } } : { snapshot: tx, reader: tx };
    await scoreRelation(handles, registry, model, source, { keys, batchRows, proba, ...(options.signal ? { signal: options.signal } : {}) }, async (batch) => {
      const encoded = output.encode(batch.predictions, batch.table.rows);
      const probabilities = batch.probabilities ? { probabilities: batch.probabilities, classes: model.labels!.length } : {};
      await tx.copyIn(copyTarget, batch.table.encodePredictions({ ...encoded, ...probabilities }));
      rows += batch.table.rows;
      options.onProgress?.({ rows });
    });
    return { into: canonicalName(target), rows, modelId: model.modelId, columns: targetColumns, seconds: (performance.now() - start) / 1000 };
  });
}

export interface RelationPredictions {
  /** rows × outputs: numbers, or the class labels (as `predictBatch` gives them). */
  predictions: Float64Array | Label[];
  /** rows × classes, with `proba`. */
  probabilities?: Float64Array;
  rows: number;
  outputs: number;
  labels?: Label[];
}

/**
 * The predictions for (up to `limit`) rows of a relation, read through the native data path — what `pgml predict
 * --relation` prints. For whole tables, `predictRelation` writes them back instead of holding them.
 */
export async function predictRelationRows(
  db: Db,
  registry: RuntimeRegistry,
  projectOrModelId: string | number,
  relationName: string,
  options: ModelLookupOptions & { limit?: number; proba?: boolean; signal?: AbortSignal } = {},
): Promise<RelationPredictions> {
  const model = await deployedModel(db, registry, projectOrModelId, options);
  const source = await resolveRelation(db, relationName);
  const parts: Float64Array[] = [];
  const probabilities: Float64Array[] = [];
  let rows = 0;
  const { limit, proba, signal } = options;
  const score = { keys: [], batchRows: DEFAULT_BATCH_ROWS, ...(limit === undefined ? {} : { limit }), ...(proba ? { proba } : {}), ...(signal ? { signal } : {}) };
  await scoreRelation({ snapshot: db, reader: db }, registry, model, source, score, async (batch) => {
    parts.push(batch.predictions);
    if (batch.probabilities) probabilities.push(batch.probabilities);
    rows += batch.table.rows;
  });
  const joined = concat(parts);
  const labels = model.task === 'classification' ? model.labels : undefined;
  return {
    predictions: labels ? Array.from(joined, (i) => decodeLabel(labels, i)) : joined,
    ...(options.proba ? { probabilities: concat(probabilities) } : {}),
    rows,
    outputs: rows === 0 ? model.numOutputs : joined.length / rows,
    ...(labels ? { labels } : {}),
  };
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface ScoredBatch {
  table: DecodedTable;
  predictions: Float64Array;
  probabilities?: Float64Array;
}

interface ScoreOptions {
  keys: Array<ColumnInfo & { quoted: string }>;
  batchRows: number;
  proba?: boolean;
  limit?: number;
  signal?: AbortSignal;
}

/**
 * Streams the model's feature columns (and keys) of `source` through the decoder (one per range) and predicts them
 * batch by batch; `onBatch` gets each batch before its table is freed. A range's read pauses while `onBatch` runs.
 */
async function scoreRelation(
  handles: CopyHandles,
  registry: RuntimeRegistry,
  model: LoadedModel,
  source: RelationInfo,
  options: ScoreOptions,
  onBatch: (batch: ScoredBatch) => Promise<void>,
): Promise<void> {
  const { keys, batchRows, proba = false, limit, signal } = options;
  if (!Number.isSafeInteger(batchRows) || batchRows < 1) throw new InvalidArgument(`batchRows must be a positive integer, got ${batchRows}`);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) throw new InvalidArgument(`limit must be a non-negative integer, got ${limit}`);
  if (proba && (model.task !== 'classification' || !model.runtime.predictProba)) {
    throw new InvalidArgument(`proba needs a classification model with probabilities (this is ${model.task} ${model.algorithm})`);
  }
  const features = model.features.columns.map((column) => featureColumn(source, column));
  const reads = [...keys.map((k) => k.quoted), ...features.map((f) => columnRead(f, quoteIdent(f.name)).expression)];
  const select = `SELECT ${reads.join(', ')} FROM ${source.qualified}${limit === undefined ? '' : ` LIMIT ${limit}`}`;
  const columns = [
    ...keys.map((k): TableColumn => ({ name: k.name, role: 'key' })),
    ...features.map((f): TableColumn => {
      const read = columnRead(f, '');
      return { name: f.name, type: read.type, role: 'feature', ...(read.array ? { arrayLength: f.size } : {}) };
    }),
  ];
  const score = async (table: DecodedTable): Promise<void> => {
    try {
      if (table.rows === 0) return;
      signal?.throwIfAborted();
      const x = await table.transform(model.features.preprocessor, identity(table.rows), 0);
      const matrix = { data: x, rows: table.rows, cols: model.features.preprocessor.numFeatures };
      const predictions = await model.runtime.predict(model.fitted, matrix, signal);
      const probabilities = proba ? await model.runtime.predictProba!(model.fitted, matrix, signal) : undefined;
      await onBatch({ table, predictions, ...(probabilities ? { probabilities } : {}) });
    } finally {
      table.free();
    }
  };
  const decoders: TableDecoder[] = [];
  // LIMIT applies to the whole relation: one stream.
  const copy = limit === undefined ? handles : { snapshot: handles.snapshot, reader: handles.reader };
  const ranges = await copyRanges(copy, source.qualified, select, (range) => {
    const decoder = (decoders[range] = registry.tables.decoder(columns));
    return {
      data: async (chunk) => {
        if (decoder.push(chunk) >= batchRows) await score(decoder.take());
      },
      wire: async (chunk) => {
        const end = decoder.pushWire(chunk);
        if (decoder.rows >= batchRows) await score(decoder.take());
        return end;
      },
    };
  });
  for (const decoder of decoders.slice(0, ranges)) await score(decoder.finish());
}

function identity(rows: number): Uint32Array {
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  return order;
}

/** The relation's column for a model feature: present, of a type of the same kind as at training time. */
function featureColumn(source: RelationInfo, feature: LoadedModel['features']['columns'][number]): SnapshotColumn {
  const column = resolveColumn(source, feature.name);
  const now = classifyColumn(column, column.ordinal - 1, false);
  if (now.kind !== feature.kind) {
    throw new PgmlError('DATA_ERROR', `column ${JSON.stringify(feature.name)} is ${column.type}; the model was trained on ${feature.pg_type}`, {
      column: feature.name,
    });
  }
  return { ...now, size: feature.size };
}

interface Output {
  columns: Array<{ name: string; type: string }>;
  encode(predicted: Float64Array, rows: number): EncodedPredictions;
}

/** The prediction column's type and encoding: numbers, the user's labels (text or boolean), or arrays of outputs. */
function outputOf(model: LoadedModel, proba: boolean): Output {
  const probabilities = proba ? [{ name: 'probabilities', type: 'double precision[]' }] : [];
  const labels = model.task === 'classification' ? model.labels : undefined;
  if (labels?.some((l) => typeof l === 'string')) {
    return { columns: [{ name: 'prediction', type: 'text' }, ...probabilities], encode: (values) => ({ kind: 'text', values, labels: labels.map(String) }) };
  }
  if (labels?.some((l) => typeof l === 'boolean')) {
    return { columns: [{ name: 'prediction', type: 'boolean' }, ...probabilities], encode: (values) => ({ kind: 'bool', values }) };
  }
  if (labels) {
    return {
      columns: [{ name: 'prediction', type: 'double precision' }, ...probabilities],
      encode: (values) => ({ kind: 'number', values: values.map((i) => labels[i] as number) }),
    };
  }
  if (model.numOutputs === 1) return { columns: [{ name: 'prediction', type: 'double precision' }], encode: (values) => ({ kind: 'number', values }) };
  return {
    columns: [{ name: 'prediction', type: 'double precision[]' }],
    encode: (values) => ({ kind: 'numbers', values, width: model.numOutputs }),
  };
}

/** Creates the target (or checks an existing one to append to). */
async function createTarget(
  tx: Db,
  source: RelationInfo,
  into: string,
  columns: Array<{ name: string; type: string }>,
  ifExists: 'error' | 'append' | 'replace',
): Promise<RelationInfo> {
  const parts = parseQualifiedName(into);
  if (!parts) throw new InvalidArgument(`into must be a table name (table or schema.table), got ${JSON.stringify(into)}`);
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new InvalidArgument(`the target would have two columns named ${JSON.stringify(c.name)}: rename the key`);
    names.add(c.name);
  }
  const existing = await tx.query<{ schema: string; name: string; kind: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass($1::text)`,
    [parts.map(quoteIdent).join('.')],
  );
  const found = existing.rows[0];
  if (found && found.kind !== 'r') throw new InvalidArgument(`${found.schema}.${found.name} exists and is not a table`);
  if (found && found.schema === source.schema && found.name === source.name) {
    throw new InvalidArgument(`into must be another table than the relation being scored (${source.schema}.${source.name})`);
  }
  if (found && ifExists === 'error') {
    throw new PgmlError('CONFLICT', `${found.schema}.${found.name} already exists: pass append (--append) to add rows to it or replace (--replace) to recreate it`, {
      into: `${found.schema}.${found.name}`,
    });
  }
  if (found && ifExists === 'append') {
    const target = await resolveRelation(tx, parts.map(quoteIdent).join('.'));
    for (const c of columns) {
      const have = target.columns.find((t) => t.name === c.name);
      if (!have || have.type !== c.type) {
        throw new PgmlError('CONFLICT', `${target.schema}.${target.name} cannot take these rows: column ${JSON.stringify(c.name)} ${c.type} is ${have ? `a ${have.type}` : 'missing'}`, {
          into: `${target.schema}.${target.name}`,
        });
      }
    }
    return target;
  }
  const qualified = parts.map(quoteIdent).join('.');
  if (found) await tx.query(`DROP TABLE ${qualified}`);
  // Types come from format_type (the catalog's own spelling), identifiers are quoted: nothing user-typed is spliced raw.
  await tx.query(`CREATE TABLE ${qualified} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
  return resolveRelation(tx, qualified);
}
