// The N-API boundary against hostile JavaScript, property-tested with fast-check over every raw export of the addon:
// arguments of the wrong type are TypeErrors (code INVALID_ARGUMENT); number[] arguments whose element getters
// detach, transfer or shrink the call's other typed arrays never let Rust read freed memory (the call fails with a
// typed error, or succeeds only when nothing it read was touched); views of SharedArrayBuffers, handles of another
// type and cancelled tokens are typed errors. Nothing may crash the process or surface as NATIVE_PANIC (which is
// also what `Args` reports when an export reads a JS array after borrowing a typed array).
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyStream, float8, type Field } from '../../core/test/db/copy-builder.js';
import { NativeMatrix, NativeModel, nativeAlgorithms, parseCopyFloatArraysAsync, scoreRowsAsync, topKAsync, type AsyncOptions } from '../index.js';

type Export = (...args: unknown[]) => unknown;
const raw = createRequire(import.meta.url)('../pgml-native.linux-x64-gnu.node') as Record<string, Export>;

const TYPED_ERROR_CODES = ['INVALID_ARGUMENT', 'DIMENSION_MISMATCH', 'EMPTY_INPUT', 'ABORTED', 'ALGORITHM_UNAVAILABLE', 'INVALID_HYPERPARAMETER', 'DATA_ERROR', 'CORRUPT_MODEL'];
const RUNS = 100;

// ---- valid arguments, fresh for every call (some exports consume or free their handles) ----

const rows = 6;
const cols = 2;
const f64 = (n: number, seed = 1) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.7 + seed));
const f32 = (n: number, seed = 1) => Float32Array.from(f64(n, seed));
const token = () => raw.createCancelToken!();
const model = () => (raw.mlFit!('regression', 'ridge', '{}', f64(rows * cols), f64(rows, 2), [rows, cols, 1, 0]) as { model: object }).model;
const classifier = () =>
  (raw.mlFit!('classification', 'linear', '{}', f64(rows * cols), Float64Array.from({ length: rows }, (_, i) => i % 2), [rows, cols, 1, 2]) as { model: object }).model;
const matrix = () => raw.matrixFromArray!(f32(8), 2);
const columnsJson = JSON.stringify([
  { name: 'id', role: 'key' },
  { name: 'x', type: 'float8', role: 'feature' },
  { name: 'y', type: 'float8', role: 'label' },
]);
const copyBytes = () => copyStream(Array.from({ length: 4 }, (_, i): Field[] => [float8(i), float8(i / 2), float8(i % 2)]));
const decoder = () => raw.tableDecoderNew!(columnsJson, 0);
function fedDecoder(): object {
  const d = decoder() as object;
  raw.tableDecoderPush!(d, copyBytes());
  return d;
}
const table = () => raw.tableDecoderFinish!(fedDecoder()) as object;
const preprocessOptions = JSON.stringify([{ encode: 'native', impute: 'mean', scale: 'standard' }]);
const state = (await raw.tableFitPreprocessor!(table(), preprocessOptions, Uint32Array.of(0, 1, 2, 3), undefined)) as string;
const preprocessor = () => raw.preprocessorNew!(state);
const vectorCopy = () => {
  // A binary COPY of one float4[] column: rows of 2 floats.
  const float4Array = (values: number[]) => {
    const header = new DataView(new ArrayBuffer(20 + 8 * values.length));
    [1, 0, 700, values.length, 1].forEach((v, i) => header.setInt32(i * 4, v));
    values.forEach((v, i) => {
      header.setInt32(20 + 8 * i, 4);
      header.setFloat32(24 + 8 * i, v);
    });
    return new Uint8Array(header.buffer);
  };
  return copyStream([[float4Array([1, 2])], [float4Array([3, 4])]]);
};

/** What an argument position takes; `optional` ones also take undefined and null. */
type Kind = 'vec' | 'vecOrNumber' | 'vecs' | 'f32' | 'f64' | 'u8' | 'u32' | 'count' | 'str' | 'metric' | 'token' | 'handle';
interface Param {
  kind: Kind;
  optional?: boolean;
  valid: () => unknown;
}
const p = (kind: Kind, valid: () => unknown, optional = false): Param => ({ kind, valid, optional });
const vec = (n = 4, seed = 1) => p('vec', () => f64(n, seed));
/** The allocation-free `…Into` paths take Float64Arrays only (an input, or the output of exactly n elements). */
const float64 = (n: number, seed = 1) => p('f64', () => f64(n, seed));
const count = (n: number) => p('count', () => n);
const str = (s: string) => p('str', () => s);
const optToken = p('token', () => undefined, true);
const handle = (make: () => unknown) => p('handle', make);
const fitParams = [str('regression'), str('ridge'), str('{}'), vec(rows * cols), p('vec', () => f64(rows, 2), true), p('vec', () => [rows, cols, 1, 0])];

const SIGNATURES: Record<string, Param[]> = {
  ...Object.fromEntries(['add', 'subtract', 'multiply', 'divide'].map((n) => [n, [vec(), p('vecOrNumber', () => f64(4, 2))]])),
  ...Object.fromEntries(['normL0', 'normL1', 'normL2', 'normMax', 'normalizeL1', 'normalizeL2', 'normalizeMax'].map((n) => [n, [vec()]])),
  ...Object.fromEntries(['distanceL1', 'distanceL2', 'dotProduct', 'cosineSimilarity'].map((n) => [n, [vec(), vec(4, 2)]])),
  ...Object.fromEntries(['sum', 'min', 'max', 'minAbs', 'maxAbs'].map((n) => [n, [p('vecs', () => [f64(3), f64(3, 2)])]])),
  scoreRows: [vec(2), p('f32', () => f32(8)), count(2), p('metric', () => 'cosine', true)],
  topK: [vec(2), p('f32', () => f32(8)), count(2), count(2), p('metric', () => 'l2', true)],
  scoreRowsAsync: [vec(2), p('f32', () => f32(8)), count(2), p('metric', () => 'dot', true), optToken],
  topKAsync: [vec(2), p('f32', () => f32(8)), count(2), count(2), p('metric', () => 'dot', true), optToken],
  parseCopyFloatArrays: [p('u8', vectorCopy)],
  parseCopyFloatArraysAsync: [p('u8', vectorCopy), optToken],
  blasSgemv: [p('f32', () => f32(8)), count(2), vec(2)],
  blasSdot: [vec(), vec(4, 2)],
  nativeInfo: [],
  createCancelToken: [],
  cancel: [optToken],
  workProgress: [optToken],
  matrixFromCopy: [p('u8', vectorCopy)],
  matrixFromArray: [p('f32', () => f32(8)), count(2)],
  matrixShape: [handle(matrix)],
  matrixFree: [handle(matrix)],
  matrixScores: [handle(matrix), vec(2), p('metric', () => 'dot', true)],
  matrixTopK: [handle(matrix), vec(2), count(1), p('metric', () => 'dot', true)],
  matrixScoresAsync: [handle(matrix), vec(2), p('metric', () => 'dot', true), optToken],
  matrixTopKAsync: [handle(matrix), vec(2), count(1), p('metric', () => 'dot', true), optToken],
  mlAlgorithms: [],
  mlValidate: [str('regression'), str('ridge'), str('{"alpha":0.5}')],
  mlFit: fitParams,
  mlFitAsync: [...fitParams, optToken],
  mlModelInfo: [handle(model)],
  mlPredict: [handle(model), vec(rows * cols), count(rows)],
  mlPredictAsync: [handle(model), vec(rows * cols), count(rows), optToken],
  mlPredictProba: [handle(classifier), vec(rows * cols), count(rows)],
  mlPredictProbaAsync: [handle(classifier), vec(rows * cols), count(rows), optToken],
  mlPredictInto: [handle(model), float64(rows * cols), count(rows), float64(rows)],
  mlPredictProbaInto: [handle(classifier), float64(rows * cols), count(rows), float64(rows * 2)],
  mlFeatureImportances: [handle(model)],
  mlSerialize: [handle(model)],
  mlDeserialize: [p('u8', () => raw.mlSerialize!(model()))],
  xgboostToUbjson: [p('u8', () => new Uint8Array(4))],
  tableDecoderNew: [str(columnsJson), count(0)],
  tableDecoderPush: [handle(decoder), p('u8', copyBytes)],
  tableDecoderPushWire: [handle(decoder), p('u8', () => new Uint8Array(0))],
  tableDecoderWireCarry: [handle(decoder)],
  tableDecoderRows: [handle(decoder)],
  tableDecoderTake: [handle(decoder)],
  tableDecoderFinish: [handle(fedDecoder)],
  tableInfo: [handle(table)],
  tableLabel: [handle(table), count(0)],
  tableFitPreprocessor: [handle(table), str(preprocessOptions), p('u32', () => Uint32Array.of(0, 1, 2)), p('vec', () => f64(3), true)],
  tableTransform: [handle(table), str(state), p('u32', () => Uint32Array.of(0, 1, 2, 3)), count(3)],
  tableEncodePredictions: [handle(table), str('number'), vec(4), count(1), p('str', () => undefined, true), p('vec', () => undefined, true), count(0)],
  tableAppend: [handle(table), handle(table)],
  tableFree: [handle(table)],
  preprocessorNew: [str(state)],
  preprocessorApply: [handle(preprocessor), vec(3), count(3)],
  preprocessorApplyInto: [handle(preprocessor), float64(3), count(3), float64(3)],
};

const validArgs = (name: string) => SIGNATURES[name]!.map((param) => param.valid());

/** Calls an export; a promise is awaited. Returns what it threw/rejected with, or undefined on success. */
async function outcome(name: string, args: unknown[]): Promise<{ error?: unknown; value?: unknown }> {
  try {
    return { value: await raw[name]!(...args) };
  } catch (error) {
    return { error };
  }
}

function expectTypedError(error: unknown): asserts error is Error & { code: string } {
  expect(error).toBeInstanceOf(Error);
  const code = (error as { code?: unknown }).code;
  expect(TYPED_ERROR_CODES, `${String(error)}`).toContain(code);
}

// ---- wrong-type values per kind ----

const foreignHandles = () => [token(), matrix(), model(), decoder(), preprocessor()];
const proxyArray = () => new Proxy([1, 2, 3], {});
const notVectors = () => ['1,2', true, {}, 1n, Symbol('v'), new Int32Array(4), new Uint8Array(4), proxyArray(), () => 1];
const WRONG: Record<Kind, () => unknown[]> = {
  vec: () => [...notVectors(), 3],
  vecOrNumber: notVectors,
  vecs: () => ['x', 3, {}, f64(3), 1n],
  f32: () => [f64(8), [1, 2, 3], new Uint8Array(8), 'x', {}],
  f64: () => [f32(8), [1, 2, 3], new Uint8Array(8), 'x', {}],
  u8: () => [f32(4), [1, 2], 'x', 7, {}],
  u32: () => [f64(3), [0, 1], new Int32Array(3), 'x'],
  count: () => ['2', {}, [2], true, 2n],
  str: () => [1, {}, ['a'], true],
  metric: () => [1, {}, ['dot'], true],
  token: () => [{}, 1, 'token', matrix(), model()],
  handle: () => [{}, 1, 'x', null, ...foreignHandles()],
};

describe('hostile JavaScript at the N-API boundary', () => {
  it('every export is covered by the signature table', () => {
    expect(Object.keys(raw).sort()).toEqual(Object.keys(SIGNATURES).sort());
  });

  it('every export succeeds on its valid arguments (the fixtures are right)', async () => {
    for (const name of Object.keys(SIGNATURES)) {
      const result = await outcome(name, validArgs(name));
      // xgboostToUbjson's four zero bytes are no model; everything else must work.
      if (name === 'xgboostToUbjson') expect(result.error).toMatchObject({ code: 'CORRUPT_MODEL' });
      else expect(result.error, name).toBeUndefined();
    }
  });

  it('an argument of the wrong type is a TypeError with code INVALID_ARGUMENT', async () => {
    const positions = Object.entries(SIGNATURES).flatMap(([name, params]) => params.map((param, at) => ({ name, at, param })));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...positions).chain((position) => fc.tuple(fc.constant(position), fc.nat({ max: WRONG[position.param.kind]().length - 1 }))),
        async ([{ name, at, param }, pick]) => {
          const args = validArgs(name);
          const wrong = WRONG[param.kind]()[pick];
          // Same-kind handles are not wrong (a model for a model); the table lists all kinds of handles.
          fc.pre(!(param.kind === 'handle' && typeof wrong === 'object' && wrong !== null && sameHandleKind(name, at, wrong)));
          args[at] = wrong;
          const { error } = await outcome(name, args);
          expect(error, `${name} argument ${at} = ${show(wrong)}`).toBeInstanceOf(TypeError);
          expect((error as { code?: string }).code).toBe('INVALID_ARGUMENT');
        },
      ),
      { numRuns: RUNS * 4 },
    );
  });

  it('views of SharedArrayBuffers are refused, views of detached buffers too', async () => {
    const typedPositions = Object.entries(SIGNATURES).flatMap(([name, params]) =>
      params.flatMap((param, at) => (['vec', 'vecOrNumber', 'f32', 'f64', 'u8', 'u32'].includes(param.kind) && param.valid() !== undefined ? [{ name, at }] : [])),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...typedPositions), fc.boolean(), async ({ name, at }, shared) => {
        const args = validArgs(name);
        const original = args[at] as Float64Array | number[];
        const view = ArrayBuffer.isView(original) ? original : Float64Array.from(original);
        const Ctor = view.constructor as new (buffer: ArrayBufferLike) => Float64Array;
        let bad: Float64Array;
        if (shared) {
          bad = new Ctor(new SharedArrayBuffer(view.byteLength));
          bad.set(view);
        } else {
          bad = view.slice();
          structuredClone(bad.buffer, { transfer: [bad.buffer as ArrayBuffer] });
        }
        args[at] = bad;
        const { error } = await outcome(name, args);
        expectTypedError(error);
        expect(error.code).toBe('INVALID_ARGUMENT');
        expect(error.message).toContain(shared ? 'SharedArrayBuffer' : 'detached');
      }),
      { numRuns: RUNS },
    );
  });

  it('number[] getters that detach, transfer or shrink the other typed arrays of the call never reach freed memory', async () => {
    // Positions that take a number[] in calls that also take typed arrays.
    const targets = Object.entries(SIGNATURES).flatMap(([name, params]) =>
      params.flatMap((param, at) => ((param.kind === 'vec' || param.kind === 'vecs') && param.valid() !== undefined ? [{ name, at, kind: param.kind }] : [])),
    );
    const attacks = ['transfer', 'structuredClone', 'resize'] as const;
    let strikes = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.constantFrom(...attacks), fc.nat({ max: 3 }), async ({ name, at, kind }, attack, when) => {
        const args = validArgs(name).map((arg, i) => (i !== at && arg instanceof Float64Array ? resizableCopy(arg) : arg));
        const victims = args.filter((arg, i): arg is Float64Array | Float32Array => i !== at && (arg instanceof Float64Array || arg instanceof Float32Array));
        let attacked = false;
        const valid = args[at] as Float64Array | Float64Array[];
        // An accessor on the array element itself: napi_get_element runs it.
        const withGetter = (values: ArrayLike<number>) => {
          const array = Array.from(values);
          const slot = Math.min(when, array.length - 1);
          const value = array[slot]!;
          Object.defineProperty(array, slot, {
            get() {
              attacked = true;
              strikes += victims.length;
              for (const victim of victims) strike(victim, attack);
              return value;
            },
          });
          return array;
        };
        args[at] = kind === 'vecs' ? (valid as Float64Array[]).map((v, i) => (i === 0 ? withGetter(v) : v)) : withGetter(valid as Float64Array);
        const before = victims.map((v) => v.byteLength);
        const result = await outcome(name, args);
        if (result.error !== undefined) {
          expectTypedError(result.error);
        } else if (attacked && attack !== 'resize') {
          // A success after a victim was detached would mean Rust read it: only calls that ignore it may succeed.
          expect(victims.every((v, i) => v.byteLength === before[i]), `${name} read a typed array detached by a getter`).toBe(true);
        }
      }),
      { numRuns: RUNS * 2 },
    );
    expect(strikes, 'the getters ran and found typed arrays to strike').toBeGreaterThan(0);
  });

  it('a cancelled token stops every algorithm, closed-form fits included', async () => {
    const x = f64(40 * 3);
    const targets = { regression: f64(40, 5), classification: Float64Array.from({ length: 40 }, (_, i) => i % 2) };
    for (const { task, algorithm } of nativeAlgorithms()) {
      const cancelled = token();
      raw.cancel!(cancelled);
      const y = task === 'regression' || task === 'classification' ? targets[task] : undefined;
      const { error } = await outcome('mlFitAsync', [task, algorithm, '{}', x, y, [40, 3, 1, task === 'classification' ? 2 : 0], cancelled]);
      expect(error, `${task} ${algorithm}`).toMatchObject({ code: 'ABORTED', name: 'AbortError' });
    }
  });
});

describe('AbortSignal on every async function of the public API', () => {
  const x = f64(rows * cols);
  const calls: Record<string, (options: AsyncOptions) => Promise<unknown>> = {
    scoreRowsAsync: (o) => scoreRowsAsync(f32(2), f32(8), 2, 'dot', o),
    topKAsync: (o) => topKAsync(f32(2), f32(8), 2, 1, 'dot', o),
    parseCopyFloatArraysAsync: (o) => parseCopyFloatArraysAsync(vectorCopy(), o),
    'NativeMatrix.scoresAsync': (o) => NativeMatrix.fromArray(f32(8), 2).scoresAsync(f32(2), 'dot', o),
    'NativeMatrix.topKAsync': (o) => NativeMatrix.fromArray(f32(8), 2).topKAsync(f32(2), 1, 'dot', o),
    'NativeModel.fitAsync': (o) => NativeModel.fitAsync({ task: 'regression', algorithm: 'ridge', x, rows, cols, y: f64(rows, 2) }, o),
    'NativeModel.fitAsync onProgress': (o) =>
      NativeModel.fitAsync({ task: 'regression', algorithm: 'lasso', x, rows, cols, y: f64(rows, 2) }, { ...o, onProgress: () => undefined }),
    'NativeModel.predictAsync': (o) => NativeModel.fit({ task: 'regression', algorithm: 'ridge', x, rows, cols, y: f64(rows, 2) }).model.predictAsync(x, rows, o),
    'NativeModel.predictProbaAsync': (o) =>
      NativeModel.fit({ task: 'classification', algorithm: 'linear', x, rows, cols, y: Float64Array.from({ length: rows }, (_, i) => i % 2), numClasses: 2 }).model.predictProbaAsync(x, rows, o),
  };

  it('an already aborted signal rejects with AbortError, an abort in flight rejects or lets the result through', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(calls)), fc.constantFrom('before', 'sync', 'microtask', 'timer', 'never'), async (name, when) => {
        const controller = new AbortController();
        if (when === 'before') controller.abort(new Error('stop'));
        const promise = calls[name]!({ signal: controller.signal });
        if (when === 'sync') controller.abort();
        if (when === 'microtask') queueMicrotask(() => controller.abort());
        if (when === 'timer') setTimeout(() => controller.abort(), 0);
        const settled = await promise.then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        if (when === 'before' || when === 'sync' || 'error' in settled) {
          expect('error' in settled && settled.error, name).toMatchObject({ name: 'AbortError', code: 'ABORTED' });
        }
      }),
      { numRuns: RUNS },
    );
    expect(raw.dotProduct!([1, 2], [3, 4])).toBe(11);
  });
});

function sameHandleKind(name: string, at: number, value: object): boolean {
  const args = validArgs(name);
  args[at] = value;
  // A handle of the right kind makes the call valid (or a non-type error): probe once without fast-check.
  try {
    const result = raw[name]!(...args);
    if (result instanceof Promise) result.catch(() => undefined);
    return true;
  } catch (error) {
    return !(error instanceof TypeError);
  }
}

function show(value: unknown): string {
  if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : JSON.stringify(value) ?? String(value);
}

function resizableCopy(values: Float64Array): Float64Array {
  const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
  const copy = new Float64Array(new Resizable(values.byteLength, { maxByteLength: 2 * values.byteLength }));
  copy.set(values);
  return copy;
}

function strike(victim: Float64Array | Float32Array, attack: 'transfer' | 'structuredClone' | 'resize'): void {
  const buffer = victim.buffer as ArrayBuffer & { resizable?: boolean; resize?(n: number): void; transfer?(): ArrayBuffer };
  if (buffer.byteLength === 0) return;
  if (attack === 'resize' && buffer.resizable) buffer.resize!(0);
  else if (attack === 'transfer' && buffer.transfer) buffer.transfer();
  else structuredClone(buffer, { transfer: [buffer] });
}
