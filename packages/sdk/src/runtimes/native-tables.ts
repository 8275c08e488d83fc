/**
 * Core's data path (`TableEngine`) over `@pgml-ts/native`'s decoder, table and preprocessor, with native errors
 * turned into core's typed ones. The state JSON the native preprocessor fits and reads is core's `PreprocessorState`
 * (crates/table/src/preprocess/state.rs writes it).
 */
import type { DecodedTable, FeatureTransform, PreprocessorState, TableEngine } from '@pgml-ts/core';
import type { NativeTable } from '@pgml-ts/native';
import { fromNativeError, withNativeErrors } from '../native-errors.js';
import type { NativeModule } from '../vector.js';

/** The native table behind each `DecodedTable` this engine made (to append one to another). */
const nativeOf = new WeakMap<DecodedTable, NativeTable>();

function decoded(table: NativeTable): DecodedTable {
  const wrapped: DecodedTable = {
    get rows() {
      return table.rows;
    },
    get width() {
      return table.width;
    },
    takeLabel: withNativeErrors((index: number) => table.takeLabel(index)),
    fitPreprocessor: withNativeErrors(
      async (...args: Parameters<DecodedTable['fitPreprocessor']>) => (await table.fitPreprocessor(...args)) as unknown as PreprocessorState,
    ),
    transform: withNativeErrors((...args: Parameters<DecodedTable['transform']>) => table.transform(...args)),
    encodePredictions: withNativeErrors((...args: Parameters<DecodedTable['encodePredictions']>) => table.encodePredictions(...args)),
    append: withNativeErrors((other: DecodedTable) => {
      const native = nativeOf.get(other);
      if (!native) throw new TypeError('append takes a table decoded by the same engine');
      table.append(native);
    }),
    free: () => table.free(),
  };
  nativeOf.set(wrapped, table);
  return wrapped;
}

export function nativeTableEngine(native: NativeModule): TableEngine {
  return {
    decoder: withNativeErrors((...args: Parameters<TableEngine['decoder']>) => {
      const decoder = new native.TableDecoder(...args);
      return {
        push: withNativeErrors((chunk: Uint8Array) => decoder.push(chunk)),
        pushWire: withNativeErrors((chunk: Uint8Array) => decoder.pushWire(chunk)),
        get rows() {
          return decoder.rows;
        },
        take: withNativeErrors(() => decoded(decoder.take())),
        finish: withNativeErrors(() => decoded(decoder.finish())),
      };
    }),
    preprocessor: withNativeErrors((state: PreprocessorState): FeatureTransform => {
      const preprocessor = new native.FeaturePreprocessor(state);
      return {
        apply: withNativeErrors((raw: Float64Array, rows: number) => preprocessor.apply(raw, rows)),
        // Plain try/catch: the single-row path allocates nothing, and `withNativeErrors`' rest parameters would.
        applyInto(raw: Float64Array, rows: number, out: Float64Array): void {
          try {
            preprocessor.applyInto(raw, rows, out);
          } catch (error) {
            throw fromNativeError(error);
          }
        },
      };
    }),
  };
}
