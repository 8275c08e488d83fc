// The release as a user gets it: the five packed tarballs installed with npm into an empty folder outside the
// repository (no workspace, no Rust, no build step), then train + predict on the native runtime from there, and the
// `pgml` bin. Every module and .node the script loads must come from that folder's node_modules.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInside, outsideEnv, packAll, REPO, run, tempDir, type PackedTarball } from './release-sandbox.js';

const RELEASE_SET = ['@pgml-ts/core', '@pgml-ts/native', '@pgml-ts/native-linux-x64-gnu', '@pgml-ts/python-compat', '@pgml-ts/sdk'];

// A one-entry table shipped as the sdk's parity.json, so `auto` visibly follows the packaged file.
const PARITY = { version: 1, entries: [{ task: 'classification', algorithm: 'linear', choice: 'native', why: 'release test table' }] };

const SCRIPT = `
import { readFileSync } from 'node:fs';
import { PostgresML } from '@pgml-ts/sdk';

const pgml = await PostgresML.connect();
await pgml.loadDataset('iris');
const trained = await pgml.train('Iris', {
  task: 'classification', relationName: 'pgml.iris', yColumnName: 'target', algorithm: 'linear', runtime: 'auto',
});
const prediction = await pgml.predict('Iris', [5.1, 3.5, 1.4, 0.2]);
const report = pgml.runtimes();
await pgml.close();

const nativeDir = new URL('.', import.meta.resolve('@pgml-ts/native')).pathname;
const platformPackage = (await import('node:module')).createRequire(nativeDir).resolve('@pgml-ts/native-linux-x64-gnu');
const loaded = readFileSync('/proc/self/maps', 'utf8').split('\\n').map((l) => l.split(/\\s+/)[5]).filter((p) => p?.endsWith('.node'));
console.log(JSON.stringify({
  trained, prediction,
  parity: report.parity,
  linear: report.algorithms.find((a) => a.task === 'classification' && a.algorithm === 'linear'),
  resolved: ['@pgml-ts/sdk', '@pgml-ts/core', '@pgml-ts/native', '@pgml-ts/python-compat'].map((m) => new URL(import.meta.resolve(m)).pathname),
  platformPackage,
  loadedNodeFiles: [...new Set(loaded)],
}));
`;

describe('packed tarballs install and run without the monorepo', () => {
  let packDir: string;
  let app: string;
  let tarballs: PackedTarball[];

  beforeAll(async () => {
    packDir = await tempDir('pgml-release-pack-');
    app = await tempDir('pgml-release-app-');
    await writeFile(join(packDir, 'parity.json'), JSON.stringify(PARITY));
    tarballs = await packAll(packDir, ['--parity', join(packDir, 'parity.json')]);
    const env = outsideEnv();
    await run('npm', ['init', '-y'], { cwd: app, env });
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((t) => t.file)], { cwd: app, env });
  }, 300_000);

  afterAll(async () => {
    await Promise.all([packDir, app].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('packs the changesets fixed group at one version, workspace: ranges rewritten', async () => {
    expect(tarballs.map((t) => t.name)).toEqual(RELEASE_SET);
    expect(new Set(tarballs.map((t) => t.version)).size).toBe(1);
    const manifest = (name: string) => run('tar', ['-xzOf', tarballs.find((t) => t.name === name)!.file, 'package/package.json'], { cwd: packDir });
    const native = JSON.parse((await manifest('@pgml-ts/native')).stdout);
    expect(native.optionalDependencies).toEqual({ '@pgml-ts/native-linux-x64-gnu': tarballs[0]!.version });
    const sdk = JSON.parse((await manifest('@pgml-ts/sdk')).stdout);
    expect(Object.values(sdk.dependencies).some((range) => String(range).startsWith('workspace:'))).toBe(false);
    const listing = (name: string) => run('tar', ['-tzf', tarballs.find((t) => t.name === name)!.file], { cwd: packDir });
    expect((await listing('@pgml-ts/native')).stdout).not.toMatch(/\.node$/m); // the binary lives in the platform package
    expect((await listing('@pgml-ts/native-linux-x64-gnu')).stdout).toMatch(/^package\/pgml-native\.linux-x64-gnu\.node$/m);
    expect((await listing('@pgml-ts/sdk')).stdout).toMatch(/^package\/parity\.json$/m);
  });

  it('trains and predicts on the native runtime from the installed packages only', async () => {
    await writeFile(join(app, 'train.mjs'), SCRIPT);
    const { stdout } = await run(process.execPath, ['train.mjs'], { cwd: app, env: outsideEnv({ PGML_DATA_DIR: join(app, '.pgml') }) });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result.trained).toMatchObject({ project: 'Iris', algorithm: 'linear', runtime: 'native', deployed: true });
    expect(result.trained.metrics.accuracy).toBeGreaterThan(0.8);
    expect([0, 1, 2]).toContain(result.prediction);
    // auto followed the parity.json shipped inside @pgml-ts/sdk
    expect(result.parity).toEqual({ source: join(app, 'node_modules/@pgml-ts/sdk/parity.json'), entries: 1 });
    expect(result.linear).toMatchObject({ runtime: 'native', reason: expect.stringMatching(/^parity table: native/) });
    const installed = join(app, 'node_modules');
    for (const path of [...result.resolved, result.platformPackage, ...result.loadedNodeFiles]) {
      expect(isInside(path, installed), `${path} is outside ${installed}`).toBe(true);
      expect(isInside(path, REPO), `${path} is inside the repository`).toBe(false);
    }
    expect(result.loadedNodeFiles).toEqual([join(installed, '@pgml-ts/native-linux-x64-gnu/pgml-native.linux-x64-gnu.node')]);
  });

  it('installs the pgml bin', async () => {
    const env = outsideEnv({ PGML_DATA_DIR: join(app, '.pgml') });
    const version = await run('npx', ['--no-install', 'pgml', '--version'], { cwd: app, env });
    expect(version.stdout.trim()).toContain(tarballs.find((t) => t.name === '@pgml-ts/sdk')!.version);
    const help = await run('npx', ['--no-install', 'pgml', '--help'], { cwd: app, env });
    expect(help.stdout).toMatch(/train/);
    expect(help.stdout).toMatch(/predict/);
  });
});
