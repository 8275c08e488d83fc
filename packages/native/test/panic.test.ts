// Panic safety of the N-API boundary: a Rust panic on the JS thread, the libuv threadpool or a thread of its own
// surfaces as a NATIVE_PANIC error and the process keeps working. The `_testPanic*` exports exist only in addons
// built with `--features test-exports`, so this test builds one (a debug build; `cargo test` shares its artifacts)
// and loads it next to the production addon, which must not have them.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDir = path.resolve(import.meta.dirname, '..');
const BUILD_TIMEOUT_MS = 15 * 60_000;

interface PanicExports {
  _testPanic(): never;
  _testPanicAsync(): Promise<never>;
  _testPanicThread(): Promise<never>;
  dotProduct(a: number[], b: number[]): number;
  createCancelToken(): object;
  workProgress(token: object): unknown;
}

let testAddon: PanicExports;

beforeAll(() => {
  execFileSync('cargo', ['build', '--offline', '--quiet', '--lib', '--features', 'test-exports'], {
    cwd: packageDir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const module = { exports: {} as PanicExports };
  process.dlopen(module, path.join(packageDir, 'target/debug/libpgml_native.so'));
  testAddon = module.exports;
}, BUILD_TIMEOUT_MS);

describe('panic safety', () => {
  it('the production addon has no test exports', () => {
    const production = Object.keys(createRequire(import.meta.url)('../pgml-native.linux-x64-gnu.node'));
    expect(production).toContain('dotProduct');
    expect(production.filter((name) => name.startsWith('_'))).toEqual([]);
    expect(Object.keys(testAddon).filter((name) => name.startsWith('_'))).toEqual(['_testPanic', '_testPanicAsync', '_testPanicThread']);
  });

  it('a Rust panic becomes a thrown or rejected NATIVE_PANIC, and the process keeps working', async () => {
    let error: unknown;
    try {
      testAddon._testPanic();
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'NATIVE_PANIC' });
    expect((error as Error).message).toContain('deliberate panic');
    await expect(testAddon._testPanicAsync()).rejects.toMatchObject({ code: 'NATIVE_PANIC' });
    await expect(testAddon._testPanicThread()).rejects.toMatchObject({ code: 'NATIVE_PANIC' });
    expect(testAddon.dotProduct([1, 2], [3, 4])).toBe(11);
  });

  it("two copies of the addon in one process refuse each other's handles", () => {
    const production = createRequire(import.meta.url)('../pgml-native.linux-x64-gnu.node') as PanicExports;
    const theirs = testAddon.createCancelToken();
    expect(() => production.workProgress(theirs)).toThrow(TypeError);
    expect(() => testAddon.workProgress(production.createCancelToken())).toThrow(TypeError);
    expect(testAddon.workProgress(theirs)).toEqual({ done: 0, total: 0, unit: '' });
  });
});
