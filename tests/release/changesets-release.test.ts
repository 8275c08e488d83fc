// `pnpm release` (changeset version, then scripts/pack.mjs) end to end on a copy of the repository — the checkout
// itself is never versioned: the fixed group moves together, CHANGELOGs are written from the pending changesets,
// and the tarballs carry the new version everywhere, the native binary's optional dependency included.
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, run, tempDir, type PackedTarball } from './release-sandbox.js';

const NOT_COPIED = new Set(['node_modules', 'target', '.git', '.turbo', 'dist-packages', '.pgml', '.pgml-test', 'coverage']);
const TEST_CHANGESET = 'release-test.md';

interface Manifest {
  name: string;
  version: string;
  optionalDependencies?: Record<string, string>;
}

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

describe('changeset version + pack on a copy of the repository', () => {
  let copy: string;
  let fixedGroup: string[];
  let packageDirs: Map<string, string>;
  let before: Map<string, string>;
  let pending: string[];
  let tarballs: PackedTarball[];

  beforeAll(async () => {
    copy = await tempDir('pgml-release-copy-');
    await cp(REPO, copy, { recursive: true, filter: (source) => !NOT_COPIED.has(basename(source)) });
    // A changeset of our own, so the check works whether or not the repository has pending ones right now.
    await writeFile(join(copy, '.changeset', TEST_CHANGESET), '---\n"@pgml-ts/sdk": patch\n---\n\nRelease test: a patch to the sdk alone.\n');
    pending = (await readdir(join(copy, '.changeset'))).filter((name) => name.endsWith('.md') && name !== 'README.md');
    fixedGroup = (await readJson<{ fixed: string[][] }>(join(copy, '.changeset/config.json'))).fixed.flat();
    packageDirs = new Map();
    for (const dir of ['packages/core', 'packages/native', 'packages/native/npm/linux-x64-gnu', 'packages/python-compat', 'packages/sdk']) {
      packageDirs.set((await readJson<Manifest>(join(copy, dir, 'package.json'))).name, join(copy, dir));
    }
    before = new Map(await Promise.all(fixedGroup.map(async (name) => [name, await version(name)] as const)));

    await run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile', '--ignore-scripts', '--reporter=silent'], { cwd: copy, env: process.env });
    const { stdout } = await run('pnpm', ['--silent', 'run', 'release', '--no-build', '--json', '--out', join(copy, 'dist-packages')], {
      cwd: copy,
      env: process.env,
    });
    tarballs = (JSON.parse(stdout.trim().split('\n').at(-1)!) as { tarballs: PackedTarball[] }).tarballs;
  }, 300_000);

  afterAll(async () => {
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  async function version(name: string): Promise<string> {
    return (await readJson<Manifest>(join(packageDirs.get(name)!, 'package.json'))).version;
  }

  it('covers every published package in the fixed group', () => {
    expect([...packageDirs.keys()].sort()).toEqual([...fixedGroup].sort());
  });

  it('bumps the whole fixed group to one new version, even for a changeset that names one package', async () => {
    const after = await Promise.all(fixedGroup.map(version));
    expect(new Set(after).size).toBe(1);
    expect(new Set(before.values()).size).toBe(1);
    expect(after[0]).not.toBe([...before.values()][0]);
  });

  it('writes a CHANGELOG.md per package from the pending changesets and consumes them', async () => {
    const newVersion = await version('@pgml-ts/sdk');
    for (const name of fixedGroup) {
      const changelog = await readFile(join(packageDirs.get(name)!, 'CHANGELOG.md'), 'utf8');
      expect(changelog).toMatch(new RegExp(`^# ${name}\\n\\n## ${newVersion.replaceAll('.', '\\.')}\\n`));
    }
    const sdkChangelog = await readFile(join(packageDirs.get('@pgml-ts/sdk')!, 'CHANGELOG.md'), 'utf8');
    expect(sdkChangelog).toContain('Release test: a patch to the sdk alone.');
    expect(pending.length).toBeGreaterThan(0);
    const left = (await readdir(join(copy, '.changeset'))).filter((name) => pending.includes(name));
    expect(left).toEqual([]);
  });

  it('packs installable tarballs at the new version, workspace: ranges and the optional binary rewritten', async () => {
    const newVersion = await version('@pgml-ts/sdk');
    expect(tarballs.map((t) => [t.name, t.version])).toEqual([...fixedGroup].sort().map((name) => [name, newVersion]));
    const native = tarballs.find((t) => t.name === '@pgml-ts/native')!;
    const manifest = JSON.parse((await run('tar', ['-xzOf', native.file, 'package/package.json'], { cwd: copy })).stdout) as Manifest;
    expect(manifest.optionalDependencies).toEqual({ '@pgml-ts/native-linux-x64-gnu': newVersion });
  });

  it('leaves the checkout alone', async () => {
    for (const [name, dir] of packageDirs) {
      const original = await readJson<Manifest>(join(REPO, dir.slice(copy.length), 'package.json'));
      expect(original.version, name).toBe(before.get(name));
    }
    expect(await readdir(join(REPO, '.changeset'))).not.toContain(TEST_CHANGESET);
  });
});
