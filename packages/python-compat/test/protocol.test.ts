import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../src/protocol.js';

describe('frame encoding', () => {
  it('round-trips a header, f64 matrices and raw bytes, however the stream is chunked', () => {
    const matrix = { data: new Float64Array([1.5, -2, Number.MAX_VALUE, 1e-300, 0, Math.PI]), shape: [2, 3] };
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const header = { id: 7, method: 'predict', text: 'ünïcode ✓' };
    const stream = Buffer.concat([...encodeFrame(header, [matrix, bytes]), ...encodeFrame({ id: 8 })]);
    for (const chunkSize of [1, 3, 8, 1000]) {
      const decoder = new FrameDecoder();
      const frames = [];
      for (let i = 0; i < stream.byteLength; i += chunkSize) frames.push(...decoder.push(stream.subarray(i, i + chunkSize)));
      expect(frames).toHaveLength(2);
      expect(frames[0]!.header).toEqual(header);
      const [m, b] = frames[0]!.buffers as [{ data: Float64Array; shape: number[] }, Uint8Array];
      expect(Array.from(m.data)).toEqual(Array.from(matrix.data));
      expect(m.shape).toEqual([2, 3]);
      expect(m.data.byteOffset % 8).toBe(0);
      expect(Array.from(b)).toEqual([1, 2, 3, 4, 5]);
      expect(frames[1]!.header).toEqual({ id: 8 });
    }
  });

  it('aligns buffers to 8 bytes from the start of the body (after the u32 length)', () => {
    const [prefix] = encodeFrame({ id: 1, x: 'abc' }, [{ data: new Float64Array([1]), shape: [1] }]);
    expect((prefix!.byteLength - 4) % 8).toBe(0);
  });
});
