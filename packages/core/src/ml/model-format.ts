/**
 * The envelope around every stored model (docs/architecture.md#model-format). A runtime's payload is opaque here; the
 * header makes foreign, truncated or damaged bytes fail loudly as `CorruptModel` before any runtime tries to interpret
 * them.
 *
 * Layout (all integers little-endian):
 *
 * | offset   | size | field                                                                  |
 * |----------|------|------------------------------------------------------------------------|
 * | 0        | 6    | magic, ASCII `PGMLTS`                                                  |
 * | 6        | 2    | u16 format version (currently 1)                                       |
 * | 8        | 1    | u8 runtime: 1 = native, 2 = python                                     |
 * | 9        | 2    | u16 A = byte length of the algorithm name                              |
 * | 11       | A    | algorithm name, UTF-8 (non-empty)                                      |
 * | 11+A     | 4    | u32 M = byte length of the meta JSON                                   |
 * | 15+A     | M    | meta JSON object, UTF-8: { task, numFeatures, numOutputs, numClasses?, labels?, … } |
 * | 15+A+M   | 8    | u64 P = payload byte length                                            |
 * | 23+A+M   | P    | runtime payload                                                        |
 * | 23+A+M+P | 4    | u32 CRC-32 (IEEE 802.3, as zlib) of every byte before it               |
 */
import { crc32 } from 'node:zlib';
import { CorruptModel, InvalidArgument } from '../errors.js';
import type { RuntimeName, Task } from '../runtime.js';

export const MODEL_MAGIC = 'PGMLTS';
export const MODEL_FORMAT_VERSION = 1;

const RUNTIME_CODES: Record<RuntimeName, number> = { native: 1, python: 2 };
const TASKS: readonly Task[] = ['regression', 'classification', 'clustering', 'decomposition'];
const MAGIC_BYTES = new TextEncoder().encode(MODEL_MAGIC);
const FIXED_OVERHEAD = 6 + 2 + 1 + 2 + 4 + 8 + 4;

export interface ModelMeta {
  task: Task;
  numFeatures?: number;
  numOutputs?: number;
  numClasses?: number;
  /** The user's class labels in class-index order (classification). */
  labels?: Array<string | number | boolean>;
  [key: string]: unknown;
}

export interface EncodeModelInput {
  runtime: RuntimeName;
  algorithm: string;
  task: Task;
  /** Only for tests that need bytes of another version; readers accept `MODEL_FORMAT_VERSION` only. */
  formatVersion?: number;
  payload: Uint8Array;
  meta?: Omit<ModelMeta, 'task'>;
}

export interface DecodedModel {
  formatVersion: number;
  runtime: RuntimeName;
  algorithm: string;
  task: Task;
  meta: ModelMeta;
  payload: Uint8Array;
}

export function encodeModel(input: EncodeModelInput): Uint8Array {
  const version = input.formatVersion ?? MODEL_FORMAT_VERSION;
  if (!Number.isInteger(version) || version < 0 || version > 0xffff) {
    throw new InvalidArgument(`formatVersion must be a u16, got ${version}`);
  }
  const runtimeCode = RUNTIME_CODES[input.runtime];
  if (runtimeCode === undefined) throw new InvalidArgument(`unknown runtime ${JSON.stringify(input.runtime)}`);
  if (!TASKS.includes(input.task)) throw new InvalidArgument(`unknown task ${JSON.stringify(input.task)}`);
  const algorithm = new TextEncoder().encode(input.algorithm);
  if (algorithm.length === 0 || algorithm.length > 0xffff) {
    throw new InvalidArgument('algorithm name must be 1..65535 UTF-8 bytes');
  }
  const meta = new TextEncoder().encode(JSON.stringify({ ...input.meta, task: input.task }));
  const payload = input.payload;
  const total = FIXED_OVERHEAD + algorithm.length + meta.length + payload.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  out.set(MAGIC_BYTES, at);
  at += 6;
  view.setUint16(at, version, true);
  at += 2;
  view.setUint8(at, runtimeCode);
  at += 1;
  view.setUint16(at, algorithm.length, true);
  at += 2;
  out.set(algorithm, at);
  at += algorithm.length;
  view.setUint32(at, meta.length, true);
  at += 4;
  out.set(meta, at);
  at += meta.length;
  view.setBigUint64(at, BigInt(payload.length), true);
  at += 8;
  out.set(payload, at);
  at += payload.length;
  view.setUint32(at, crc32(out.subarray(0, at)), true);
  return out;
}

/** Reads bytes written by `encodeModel`; anything else throws `CorruptModel` with the first problem found. */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  if (!(bytes instanceof Uint8Array)) throw new CorruptModel('expected a Uint8Array');
  if (bytes.length < 6 || !MAGIC_BYTES.every((b, i) => bytes[i] === b)) {
    // A PostgresML 1.0 model is a bare pickle (protocol 2+ starts with 0x80): say so, it needs `pgml migrate`.
    const hint = bytes[0] === 0x80 ? ' (looks like a raw Python pickle, e.g. a PostgresML 1.0 model: run `pgml migrate`)' : '';
    throw new CorruptModel(`missing ${MODEL_MAGIC} magic${hint}`, { length: bytes.length });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (at: number, size: number, what: string): void => {
    if (at + size > bytes.length) {
      throw new CorruptModel(`truncated: ${what} needs ${size} bytes at offset ${at}, only ${bytes.length - at} remain`, {
        length: bytes.length,
      });
    }
  };
  let at = 6;
  need(at, 2, 'format version');
  const formatVersion = view.getUint16(at, true);
  at += 2;
  if (formatVersion !== MODEL_FORMAT_VERSION) {
    throw new CorruptModel(`unsupported format version ${formatVersion} (this build reads ${MODEL_FORMAT_VERSION})`, {
      formatVersion,
    });
  }
  need(at, 1, 'runtime');
  const runtimeCode = view.getUint8(at);
  at += 1;
  need(at, 2, 'algorithm length');
  const algorithmLength = view.getUint16(at, true);
  at += 2;
  need(at, algorithmLength, 'algorithm name');
  const algorithmStart = at;
  at += algorithmLength;
  need(at, 4, 'meta length');
  const metaLength = view.getUint32(at, true);
  at += 4;
  need(at, metaLength, 'meta JSON');
  const metaStart = at;
  at += metaLength;
  need(at, 8, 'payload length');
  const payloadLength = view.getBigUint64(at, true);
  at += 8;
  if (payloadLength > BigInt(bytes.length - at)) {
    throw new CorruptModel(`truncated: payload declares ${payloadLength} bytes, only ${bytes.length - at} remain`);
  }
  const payloadStart = at;
  at += Number(payloadLength);
  need(at, 4, 'checksum');
  if (at + 4 !== bytes.length) {
    throw new CorruptModel(`${bytes.length - at - 4} unexpected trailing bytes after the checksum`);
  }
  const expected = view.getUint32(at, true);
  const actual = crc32(bytes.subarray(0, at));
  if (expected !== actual) {
    throw new CorruptModel(`checksum mismatch (stored ${hex(expected)}, computed ${hex(actual)})`);
  }
  // Past the checksum the bytes are what the writer wrote, so failures below are writer bugs, still reported as corrupt.
  const runtime = (Object.keys(RUNTIME_CODES) as RuntimeName[]).find((name) => RUNTIME_CODES[name] === runtimeCode);
  if (runtime === undefined) throw new CorruptModel(`unknown runtime code ${runtimeCode}`);
  const algorithm = decodeUtf8(bytes.subarray(algorithmStart, algorithmStart + algorithmLength), 'algorithm name');
  if (algorithm.length === 0) throw new CorruptModel('empty algorithm name');
  const meta = parseMeta(decodeUtf8(bytes.subarray(metaStart, metaStart + metaLength), 'meta JSON'));
  return {
    formatVersion,
    runtime,
    algorithm,
    task: meta.task,
    meta,
    payload: bytes.slice(payloadStart, payloadStart + Number(payloadLength)),
  };
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CorruptModel(`${what} is not valid UTF-8`);
  }
}

function parseMeta(text: string): ModelMeta {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CorruptModel('meta is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CorruptModel('meta is not a JSON object');
  const task = (value as { task?: unknown }).task;
  if (typeof task !== 'string' || !TASKS.includes(task as Task)) {
    throw new CorruptModel(`meta has no valid task (got ${JSON.stringify(task)})`);
  }
  return value as ModelMeta;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
