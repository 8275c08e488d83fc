#!/usr/bin/env zx
// Packs every published package into installable tarballs — the exact files a release uploads:
//   node scripts/pack.mjs [--out DIR] [--no-build] [--json] [--parity FILE] [--publish [--dry-run]]   (pnpm pack:all)
// 1. builds the sdk and what it depends on (turbo; cached), unless --no-build;
// 2. copies the built .node into the napi-rs platform package packages/native/npm/linux-x64-gnu/ (an explicit copy:
//    `napi artifacts` also rewrites the package-root .node in place and `napi pre-publish` edits package.json and
//    publishes, neither of which a local pack wants);
// 3. `pnpm pack`s the changesets `fixed` group (the release set), which rewrites `workspace:*` to versions;
// 4. ships the committed parity table (benchmarks/results/parity.json) as @pgml-ts/sdk's parity.json by repacking the
//    sdk tarball with it — never written into packages/sdk, where a checkout's `auto` must not pick it up. Absent
//    table: the sdk ships without one and `auto` falls back to native wherever native implements the algorithm.
//    --parity FILE ships another table instead (the release test uses it; releases ship the committed one).
// Tarballs go to DIR (default dist-packages/, emptied of old tarballs first); the list is printed (--json: as JSON).
// --publish then uploads exactly these tarballs (`npm publish FILE`, the platform package first) and tags the release
// (`changeset tag`); --publish --dry-run only shows what npm would upload.
import { $, argv, fs, path, tmpdir } from 'zx';

$.verbose = false;
const root = path.resolve(import.meta.dirname, '..');
const outDir = path.resolve(argv.out ?? path.join(root, 'dist-packages'));
const say = (msg) => process.stderr.write(`pack: ${msg}\n`);

const NATIVE_BINARY = 'pgml-native.linux-x64-gnu.node';
const PLATFORM_DIR = path.join(root, 'packages/native/npm/linux-x64-gnu');
const PARITY_TABLE = path.resolve(argv.parity ?? path.join(root, 'benchmarks/results/parity.json'));

const releaseSet = (await fs.readJson(path.join(root, '.changeset/config.json'))).fixed.flat();

if (argv.build !== false) {
  say('building (turbo run build --filter=@pgml-ts/sdk...)');
  await $({ cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })`pnpm exec turbo run build --filter=@pgml-ts/sdk... --output-logs=errors-only`;
}

const parityTable = await checkedParityTable();
await copyPlatformBinary();
await fs.mkdirp(outDir);
for (const old of (await fs.readdir(outDir)).filter((name) => name.endsWith('.tgz'))) await fs.remove(path.join(outDir, old));

say(`packing ${releaseSet.join(', ')}`);
const filters = releaseSet.flatMap((name) => ['--filter', name]);
const packed = JSON.parse((await $({ cwd: root })`pnpm -r ${filters} pack --pack-destination ${outDir} --json`).stdout);
const tarballs = packed.map(({ name, version, filename }) => ({ name, version, file: filename }));
const missing = releaseSet.filter((name) => !tarballs.some((t) => t.name === name));
if (missing.length > 0) throw new Error(`pnpm pack produced no tarball for ${missing.join(', ')}`);

if (parityTable) await addParityTable(tarballs.find((t) => t.name === '@pgml-ts/sdk').file, parityTable);

tarballs.sort((a, b) => a.name.localeCompare(b.name));
if (argv.json) process.stdout.write(`${JSON.stringify({ outDir, tarballs })}\n`);
else for (const { file } of tarballs) process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
if (argv.publish) await publish(tarballs, { dryRun: Boolean(argv['dry-run']) });

async function copyPlatformBinary() {
  const built = path.join(root, 'packages/native', NATIVE_BINARY);
  for (const artifact of [built, ...['core', 'python-compat', 'sdk'].map((p) => path.join(root, 'packages', p, 'dist/index.js'))]) {
    if (!(await fs.pathExists(artifact))) throw new Error(`${artifact} is missing: build first (pnpm build), or drop --no-build`);
  }
  // Copy then rename: a new inode, so a process that has the old file dlopen'ed never sees it change under it.
  const target = path.join(PLATFORM_DIR, NATIVE_BINARY);
  await fs.copy(built, `${target}.tmp`);
  await fs.rename(`${target}.tmp`, target);
}

/** The table to ship, checked as the sdk will read it (core is built by now); undefined when there is none. */
async function checkedParityTable() {
  const shown = path.relative(root, PARITY_TABLE).startsWith('..') ? PARITY_TABLE : path.relative(root, PARITY_TABLE);
  if (!(await fs.pathExists(PARITY_TABLE))) {
    say(`no ${shown}: @pgml-ts/sdk ships without a parity table (auto: native where implemented)`);
    return undefined;
  }
  const { parseParityTable } = await import(path.join(root, 'packages/core/dist/index.js'));
  try {
    parseParityTable(await fs.readJson(PARITY_TABLE));
  } catch (error) {
    throw new Error(`${shown} is not a parity table the sdk can read: ${error.message}`);
  }
  return { file: PARITY_TABLE, shown };
}

async function addParityTable(sdkTarball, table) {
  const staging = tmpdir('pgml-pack-sdk');
  try {
    await $`tar -xzf ${sdkTarball} -C ${staging}`;
    await fs.copy(table.file, path.join(staging, 'package/parity.json'));
    // npm pack applies the sdk's `files` (which lists parity.json) to the already version-rewritten manifest.
    await $({ cwd: path.join(staging, 'package') })`npm pack --pack-destination ${path.dirname(sdkTarball)} --silent`;
  } finally {
    await fs.remove(staging);
  }
  say(`@pgml-ts/sdk ships ${table.shown} as parity.json`);
}

/** The platform package before @pgml-ts/native, so a user never resolves a native release without its binary. */
async function publish(tarballs, { dryRun }) {
  const order = [...tarballs].sort((a, b) => Number(b.name.endsWith('-linux-x64-gnu')) - Number(a.name.endsWith('-linux-x64-gnu')));
  for (const { name, version, file } of order) {
    say(`${dryRun ? 'dry-run publishing' : 'publishing'} ${name}@${version}`);
    await $({ cwd: root, stdio: 'inherit' })`npm publish ${file} --access public ${dryRun ? ['--dry-run'] : []}`;
  }
  if (!dryRun) await $({ cwd: root, stdio: 'inherit' })`pnpm exec changeset tag`;
}
