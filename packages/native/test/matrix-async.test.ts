import { describe, expect, it } from 'vitest';
import * as native from '../index.js';
import { NativeMatrix } from '../index.js';
import { buildCopy, randomArray, thrown } from './helpers.js';

const DIM = 32;
const data = new Float32Array(randomArray(500 * DIM, 3));
const query = new Float32Array(randomArray(DIM, 4));

describe('NativeMatrix', () => {
  it('fromArray and fromCopy hold the same rows and score like scoreRows', () => {
    const rows = Array.from({ length: 500 }, (_, r) => Array.from(data.subarray(r * DIM, (r + 1) * DIM)));
    for (const m of [NativeMatrix.fromArray(data, DIM), NativeMatrix.fromCopy(buildCopy(rows))]) {
      expect([m.rows, m.dim]).toEqual([500, DIM]);
      expect(m.scores(query, 'cosine')).toEqual(native.scoreRows(query, data, DIM, 'cosine'));
      expect(m.topK(query, 5, 'l2')).toEqual(native.topK(query, data, DIM, 5, 'l2'));
      expect(m.scores(query)).toEqual(native.scoreRows(query, data, DIM, 'dot'));
      m.free();
    }
  });

  it('free() is idempotent and use after free is a clear error', () => {
    const m = NativeMatrix.fromArray(data, DIM);
    m.free();
    m.free();
    const error = thrown(() => m.topK(query, 1, 'dot'));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/freed/);
  });

  it('rejects bad shapes', () => {
    expect(thrown(() => NativeMatrix.fromArray(data, DIM + 1)).code).toBe('DIMENSION_MISMATCH');
    expect(thrown(() => NativeMatrix.fromArray(data, 0)).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => NativeMatrix.fromCopy(buildCopy([]))).code).toBe('EMPTY_INPUT');
    expect(thrown(() => NativeMatrix.fromArray(data, DIM).scores([1, 2], 'dot')).code).toBe('DIMENSION_MISMATCH');
  });

  it('an async query keeps the matrix alive even if free() is called meanwhile', async () => {
    const m = NativeMatrix.fromArray(data, DIM);
    const pending = m.topKAsync(query, 3, 'dot');
    m.free();
    expect(await pending).toEqual(native.topK(query, data, DIM, 3, 'dot'));
  });
});

describe('async twins', () => {
  it('resolve with the same results as the sync functions', async () => {
    expect(await native.scoreRowsAsync(query, data, DIM, 'l2')).toEqual(native.scoreRows(query, data, DIM, 'l2'));
    expect(await native.topKAsync(query, data, DIM, 7, 'cosine')).toEqual(native.topK(query, data, DIM, 7, 'cosine'));
    const copy = buildCopy([[1, 2], [3, 4]]);
    expect(await native.parseCopyFloatArraysAsync(copy)).toEqual(native.parseCopyFloatArrays(copy));
    const m = NativeMatrix.fromArray(data, DIM);
    expect(await m.scoresAsync(query, 'dot')).toEqual(m.scores(query, 'dot'));
    m.free();
  });

  it('inputs are copied: mutating them after the call does not change the result', async () => {
    const mine = data.slice();
    const pending = native.scoreRowsAsync(query, mine, DIM, 'dot');
    mine.fill(0);
    expect(await pending).toEqual(native.scoreRows(query, data, DIM, 'dot'));
  });

  it('every error, argument errors included, is a rejection with a code', async () => {
    await expect(native.parseCopyFloatArraysAsync(new Uint8Array(3))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(native.scoreRowsAsync(query, data, DIM + 1, 'dot')).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    const signal = new AbortController().signal;
    await expect(native.topKAsync(query, data, DIM, -1, 'dot', { signal })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('an already-aborted signal rejects at once with AbortError / ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const options = { signal: controller.signal };
    for (const pending of [
      native.scoreRowsAsync(query, data, DIM, 'dot', options),
      native.topKAsync(query, data, DIM, 1, 'dot', options),
      native.parseCopyFloatArraysAsync(new Uint8Array(0), options),
      NativeMatrix.fromArray(data, DIM).topKAsync(query, 1, 'dot', options),
    ]) {
      await expect(pending).rejects.toMatchObject({ name: 'AbortError', code: 'ABORTED' });
    }
  });

  it('aborting during the work rejects promptly', async () => {
    const big = new Float32Array(4_000_000);
    const controller = new AbortController();
    const pending = native.scoreRowsAsync(new Float32Array(4), big, 4, 'dot', { signal: controller.signal });
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', code: 'ABORTED', message: /user gave up/ });
  });
});
