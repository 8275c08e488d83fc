import { describe, expectTypeOf, it } from 'vitest';
import * as native from '../index.js';

// Compile-time checks (tsc -p tsconfig.json) that the overloads keep the element type of the first argument.
describe('index.d.ts', () => {
  it('Float32Array in → Float32Array out; Float64Array / number[] → Float64Array', () => {
    expectTypeOf(native.add(new Float32Array(1), [1])).toEqualTypeOf<Float32Array>();
    expectTypeOf(native.add(new Float64Array(1), new Float32Array(1))).toEqualTypeOf<Float64Array>();
    expectTypeOf(native.normalizeL2([1, 2])).toEqualTypeOf<Float64Array>();
    expectTypeOf(native.sum([new Float32Array(1)])).toEqualTypeOf<Float32Array>();
    expectTypeOf(native.dotProduct).returns.toEqualTypeOf<number>();
  });

  it('batch, COPY and matrix APIs', () => {
    expectTypeOf(native.topK).returns.toEqualTypeOf<native.TopKResult>();
    expectTypeOf(native.scoreRowsAsync).returns.toEqualTypeOf<Promise<Float32Array>>();
    expectTypeOf(native.NativeMatrix.fromArray).returns.toEqualTypeOf<native.NativeMatrix>();
    expectTypeOf<native.NativeMatrix['rows']>().toEqualTypeOf<number>();
    expectTypeOf(native.nativeInfo().simd).toEqualTypeOf<'avx2' | 'sse2' | 'scalar'>();
    // @ts-expect-error: metric must be one of 'dot' | 'cosine' | 'l2'
    expectTypeOf(native.scoreRows).toBeCallableWith(new Float32Array(1), new Float32Array(1), 1, 'manhattan');
  });
});
