// The shipped loader on a machine without a system library the .node links: a fake addon linked against a library
// that is then removed (a made-up name: this machine has the real ones) must fail with NATIVE_UNAVAILABLE naming the
// apt packages, not with a bare dlopen error.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, tempDir } from './release-sandbox.js';

const hasCompiler = spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.skipIf(!hasCompiler || process.platform !== 'linux' || process.arch !== 'x64')('native loader, missing system library', () => {
  it('says which apt packages to install', async () => {
    const dir = await tempDir('pgml-loader-');
    dirs.push(dir);
    await writeFile(join(dir, 'stub.c'), 'int pgml_stub(void) { return 0; }\n');
    await writeFile(join(dir, 'addon.c'), 'int pgml_stub(void);\nint pgml_addon(void) { return pgml_stub(); }\n');
    execFileSync('cc', ['-shared', '-fPIC', '-Wl,-soname,libpgml-missing.so.0', '-o', 'libpgml-missing.so.0', 'stub.c'], { cwd: dir });
    execFileSync('cc', ['-shared', '-fPIC', '-o', 'pgml-native.linux-x64-gnu.node', 'addon.c', './libpgml-missing.so.0'], { cwd: dir });
    await rm(join(dir, 'libpgml-missing.so.0'));
    await copyFile(join(REPO, 'packages/native/binding.js'), join(dir, 'binding.mjs'));

    const error = await import(pathToFileURL(join(dir, 'binding.mjs')).href).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string; cause?: Error },
    );
    expect(error?.code).toBe('NATIVE_UNAVAILABLE');
    expect(error?.message).toContain('cannot load the system library libpgml-missing.so.0');
    expect(error?.message).toContain('apt-get install -y libopenblas0 libxgboost0');
    expect(error?.cause?.message).toMatch(/libpgml-missing\.so\.0: cannot open shared object file/);
  });
});
