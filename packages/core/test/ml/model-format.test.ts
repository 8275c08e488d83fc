import { describe, expect, it } from 'vitest';
import { CorruptModel, PgmlError } from '../../src/errors.js';
import { decodeModel, encodeModel, MODEL_FORMAT_VERSION } from '../../src/ml/model-format.js';
import { createRng } from '../../src/ml/random.js';

const sample = () =>
  encodeModel({
    runtime: 'native',
    algorithm: 'linear',
    task: 'classification',
    payload: new Uint8Array([1, 2, 3, 4, 5, 250]),
    meta: { numFeatures: 4, numOutputs: 1, numClasses: 3, labels: ['a', 'b', 'c'] },
  });

function expectCorrupt(bytes: Uint8Array, reason?: RegExp): CorruptModel {
  try {
    decodeModel(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(CorruptModel);
    expect((error as PgmlError).code).toBe('CORRUPT_MODEL');
    if (reason) expect((error as Error).message).toMatch(reason);
    return error as CorruptModel;
  }
  throw new Error('decodeModel accepted corrupt bytes');
}

describe('model format', () => {
  it('round-trips header, meta and payload', () => {
    const bytes = sample();
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('PGMLTS');
    const decoded = decodeModel(bytes);
    expect(decoded).toEqual({
      formatVersion: MODEL_FORMAT_VERSION,
      runtime: 'native',
      algorithm: 'linear',
      task: 'classification',
      meta: { task: 'classification', numFeatures: 4, numOutputs: 1, numClasses: 3, labels: ['a', 'b', 'c'] },
      payload: new Uint8Array([1, 2, 3, 4, 5, 250]),
    });
  });

  it('round-trips python runtime, unicode algorithm names, empty and large payloads', () => {
    const payload = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
    for (const p of [new Uint8Array(), payload]) {
      const d = decodeModel(encodeModel({ runtime: 'python', algorithm: 'rändom_forest', task: 'regression', payload: p }));
      expect(d.runtime).toBe('python');
      expect(d.algorithm).toBe('rändom_forest');
      expect(Buffer.from(d.payload).equals(Buffer.from(p))).toBe(true);
    }
  });

  it('decodes from a subarray view with a non-zero byteOffset', () => {
    const bytes = sample();
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 3);
    expect(decodeModel(padded.subarray(3, 3 + bytes.length)).algorithm).toBe('linear');
  });

  it('gives precise reasons', () => {
    expectCorrupt(new Uint8Array(), /magic/);
    expectCorrupt(new Uint8Array([0x80, 0x04, 0x95]), /pickle/);
    const bytes = sample();
    expectCorrupt(bytes.subarray(0, bytes.length - 1), /truncated/);
    expectCorrupt(bytes.subarray(0, 10), /truncated/);
    const flipped = bytes.slice();
    flipped[bytes.length - 8]! ^= 0x10;
    expectCorrupt(flipped, /checksum mismatch/);
    const v2 = encodeModel({ runtime: 'native', algorithm: 'x', task: 'regression', payload: new Uint8Array(), formatVersion: 2 });
    expectCorrupt(v2, /unsupported format version 2/);
    const trailing = new Uint8Array(bytes.length + 2);
    trailing.set(bytes);
    expectCorrupt(trailing, /trailing/);
  });

  it('rejects every truncation, random bit flips and random garbage with CorruptModel only', () => {
    const bytes = sample();
    for (let n = 0; n < bytes.length; n++) expectCorrupt(bytes.subarray(0, n));
    const rng = createRng(42);
    for (let trial = 0; trial < 3000; trial++) {
      const damaged = bytes.slice();
      const flips = 1 + rng.nextInt(3);
      for (let f = 0; f < flips; f++) damaged[rng.nextInt(damaged.length)]! ^= 1 << rng.nextInt(8);
      expectCorrupt(damaged);
    }
    for (let trial = 0; trial < 2000; trial++) {
      const garbage = new Uint8Array(rng.nextInt(200)).map(() => rng.nextInt(256));
      // Half of them get a valid magic + version so the length parsing paths are exercised too.
      if (trial % 2 === 0 && garbage.length >= 8) garbage.set([0x50, 0x47, 0x4d, 0x4c, 0x54, 0x53, 1, 0]);
      expectCorrupt(garbage);
    }
  });

  it('rejects a huge declared payload length without allocating or hanging', () => {
    const bytes = sample();
    const view = new DataView(bytes.buffer);
    const algorithmLength = view.getUint16(9, true);
    const metaLength = view.getUint32(11 + algorithmLength, true);
    view.setBigUint64(15 + algorithmLength + metaLength, 0xffffffffffffffffn, true);
    expectCorrupt(bytes, /truncated: payload declares/);
  });
});
