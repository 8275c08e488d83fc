/**
 * The registry every entry point builds the same way: the python runtime, and — when `@pgml-ts/native` loaded — the
 * native runtime and the native data path (reading relations, preprocessing), which training and predicting need
 * whatever the runtime.
 */
import { RuntimeRegistry, type ParityTable, type Runtime, type RuntimeName } from '@pgml-ts/core';
import type { NativeModule } from '../vector.js';
import { NativeRuntime } from './native.js';
import { nativeTableEngine } from './native-tables.js';

export interface RegistryOptions {
  parity?: ParityTable;
  /** The runtimes to register (default both); the data path is registered either way. */
  runtimes?: readonly RuntimeName[];
}

export function runtimeRegistry(native: NativeModule | Error, python: Runtime, options: RegistryOptions = {}): RuntimeRegistry {
  const wanted = options.runtimes ?? ['native', 'python'];
  const runtimes: Runtime[] = [];
  if (wanted.includes('native') && !(native instanceof Error)) runtimes.push(new NativeRuntime(native));
  if (wanted.includes('python')) runtimes.push(python);
  return new RuntimeRegistry({
    runtimes,
    ...(options.parity ? { parity: options.parity } : {}),
    ...(native instanceof Error ? { tablesUnavailable: native.message } : { tables: nativeTableEngine(native) }),
  });
}
