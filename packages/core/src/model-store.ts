/**
 * Model bytes in `pgml.files(model_id, path, part, data)`, as PostgresML 2.x stores them: one path per model, split
 * into parts (concatenated by `part` on load) so no single value approaches bytea's 1 GB limit.
 * The bytes are always the checksummed envelope of `encodeModel`; reading checks it (`CorruptModel` otherwise).
 */
import type { Db } from './db.js';
import { CorruptModel } from './errors.js';
import { decodeModel, encodeModel, type DecodedModel, type EncodeModelInput } from './ml/model-format.js';

export const MODEL_FILE_PATH = 'estimator.pgmlts';
const PART_BYTES = 32 * 1024 * 1024;

export async function saveModelFile(db: Db, modelId: number, input: EncodeModelInput): Promise<number> {
  const bytes = encodeModel(input);
  for (let part = 0, at = 0; at < bytes.length || part === 0; part++, at += PART_BYTES) {
    await db.query('INSERT INTO pgml.files (model_id, path, part, data) VALUES ($1, $2, $3, $4)', [
      modelId,
      MODEL_FILE_PATH,
      part,
      bytes.subarray(at, Math.min(at + PART_BYTES, bytes.length)),
    ]);
  }
  return bytes.length;
}

export interface StoredModelFile {
  decoded: DecodedModel;
  /** Total stored bytes, the model cache's size measure. */
  bytes: number;
}

export async function loadModelFile(db: Db, modelId: number): Promise<StoredModelFile> {
  const parts = await db.query<{ data: Uint8Array }>(
    'SELECT data FROM pgml.files WHERE model_id = $1 AND path = $2 ORDER BY part',
    [modelId, MODEL_FILE_PATH],
  );
  if (parts.rows.length === 0) throw new CorruptModel(`model ${modelId} has no stored file`, { modelId });
  const chunks = parts.rows.map((r) => toBytes(r.data));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  try {
    return { decoded: decodeModel(bytes), bytes: total };
  } catch (error) {
    if (error instanceof CorruptModel) {
      throw new CorruptModel(`model ${modelId}: ${error.message.replace(/^model bytes are not a valid pgml-ts model: /, '')}`, {
        ...error.details,
        modelId,
      });
    }
    throw error;
  }
}

/** Drivers return bytea as Buffer (pg) or Uint8Array (PGlite); a hex string would mean a misconfigured driver. */
function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string' && value.startsWith('\\x')) return Uint8Array.from(Buffer.from(value.slice(2), 'hex'));
  throw new CorruptModel(`stored model part is not bytea (got ${typeof value})`);
}

export type { EncodeModelInput };
