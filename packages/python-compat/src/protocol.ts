/**
 * Framing of the Python worker pipe (docs/architecture.md#python-worker-protocol), mirrored by
 * python/pgml_worker/protocol.py.
 *
 *   frame  = u32 LE body length | body
 *   body   = u32 LE header length | header (UTF-8 JSON, space-padded so buffers start 8-byte aligned) | buffers
 *   buffer = raw bytes zero-padded to a multiple of 8, described in header.buffers as
 *            { length, dtype: 'f64' | 'bytes', shape? }
 *
 * Matrices travel as raw little-endian float64 (row-major), never as JSON.
 */
import { endianness } from 'node:os';

export interface F64Buffer {
  data: Float64Array;
  shape: number[];
}
export type PayloadBuffer = F64Buffer | Uint8Array;
export type Header = Record<string, unknown>;

export interface Frame {
  header: Header;
  buffers: PayloadBuffer[];
}

interface BufferSpec {
  length: number;
  dtype: 'f64' | 'bytes';
  shape?: number[];
}

const pad8 = (n: number): number => (8 - (n % 8)) % 8;
const ZEROS = Buffer.alloc(8);

if (endianness() !== 'LE') {
  // Float64Array uses the platform's byte order; the protocol is little-endian.
  throw new Error('@pgml-ts/python-compat requires a little-endian platform');
}

/** The chunks of one frame, ready to write in order (payloads are not copied: do not mutate them until written). */
export function encodeFrame(header: Header, buffers: readonly PayloadBuffer[] = []): Buffer[] {
  const specs: BufferSpec[] = [];
  const payloads: Buffer[] = [];
  for (const buffer of buffers) {
    if (buffer instanceof Uint8Array) {
      specs.push({ length: buffer.byteLength, dtype: 'bytes' });
      payloads.push(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    } else {
      specs.push({ length: buffer.data.byteLength, dtype: 'f64', shape: buffer.shape });
      payloads.push(Buffer.from(buffer.data.buffer, buffer.data.byteOffset, buffer.data.byteLength));
    }
  }
  let json = JSON.stringify({ ...header, buffers: specs });
  const jsonLength = Buffer.byteLength(json);
  json += ' '.repeat(pad8(4 + jsonLength));
  const headerLength = jsonLength + pad8(4 + jsonLength);
  const bodyLength = payloads.reduce((sum, p) => sum + p.byteLength + pad8(p.byteLength), 4 + headerLength);
  if (bodyLength > 0xffffffff) throw new RangeError(`frame of ${bodyLength} bytes exceeds the 4 GiB protocol limit`);
  const prefix = Buffer.allocUnsafe(8 + headerLength);
  prefix.writeUInt32LE(bodyLength, 0);
  prefix.writeUInt32LE(headerLength, 4);
  prefix.write(json, 8, 'utf8');
  const chunks: Buffer[] = [prefix];
  for (const payload of payloads) {
    chunks.push(payload);
    if (pad8(payload.byteLength)) chunks.push(ZEROS.subarray(0, pad8(payload.byteLength)));
  }
  return chunks;
}

/** Parses one frame body (everything after the u32 length). f64 buffers are views when aligned, else copies. */
export function decodeBody(body: Buffer): Frame {
  const headerLength = body.readUInt32LE(0);
  const header = JSON.parse(body.toString('utf8', 4, 4 + headerLength)) as Header & { buffers?: BufferSpec[] };
  const specs = header.buffers ?? [];
  delete header.buffers;
  let offset = 4 + headerLength;
  offset += pad8(offset);
  const buffers: PayloadBuffer[] = [];
  for (const spec of specs) {
    if (offset + spec.length > body.byteLength) throw new RangeError('frame buffers overrun the frame');
    const bytes = body.subarray(offset, offset + spec.length);
    if (spec.dtype === 'f64') {
      const start = bytes.byteOffset;
      const data =
        start % 8 === 0
          ? new Float64Array(bytes.buffer, start, spec.length / 8)
          : new Float64Array(bytes.buffer.slice(start, start + spec.length));
      buffers.push({ data, shape: spec.shape ?? [spec.length / 8] });
    } else {
      buffers.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    offset += spec.length + pad8(spec.length);
  }
  return { header, buffers };
}

/** Incremental decoder for a byte stream of frames. Each body is copied once into its own aligned buffer. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private bodyLength = -1;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    const frames: Frame[] = [];
    for (;;) {
      if (this.bodyLength < 0) {
        if (this.buffered < 4) break;
        this.bodyLength = this.take(4).readUInt32LE(0);
      }
      if (this.buffered < this.bodyLength) break;
      const body = this.take(this.bodyLength);
      this.bodyLength = -1;
      frames.push(decodeBody(body));
    }
    return frames;
  }

  /** Removes `size` bytes from the front into a fresh (8-byte aligned, unpooled) buffer. */
  private take(size: number): Buffer {
    const out = Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const head = this.chunks[0]!;
      const n = Math.min(head.byteLength, size - filled);
      head.copy(out, filled, 0, n);
      filled += n;
      if (n === head.byteLength) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
    }
    this.buffered -= size;
    return out;
  }
}
