// Loads the addon: the file PGML_NATIVE_LIBRARY_PATH names when set (as napi-rs's NAPI_RS_NATIVE_LIBRARY_PATH), else
// for this platform a checkout's own build first, then the npm platform package. Every failed attempt stays in the
// final error's `cause` chain.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);

// The .node links OpenBLAS and XGBoost (and, through them, libgfortran5, libgomp1, libdmlc0): system libraries that a
// minimal machine may lack. These two Debian/Ubuntu packages bring all of them.
const APT_INSTALL = 'apt-get install -y libopenblas0 libxgboost0';

/** dlopen found the .node but not a library it links: say what to install instead of a bare loader error. */
function missingLibraryError(candidate, error) {
  const missing = /([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file/.exec(String(error?.message))?.[1];
  if (missing === undefined) return error;
  const wrapped = new Error(
    `@pgml-ts/native: ${candidate} cannot load the system library ${missing}. It links OpenBLAS and XGBoost; ` +
      `on Debian/Ubuntu install them with: ${APT_INSTALL} (see "System libraries" in @pgml-ts/native's README).`,
    { cause: error },
  );
  wrapped.code = 'NATIVE_UNAVAILABLE';
  return wrapped;
}

/** The error of the last attempt, whose `cause` is the one before it, and so on (napi-rs's loader does the same). */
function chained(errors) {
  return errors.reduce((previous, error) => {
    if (previous !== undefined && error instanceof Error && error.cause === undefined) error.cause = previous;
    return error;
  }, undefined);
}

function loadOverride(path) {
  try {
    return require(resolve(path));
  } catch (error) {
    const hinted = missingLibraryError(path, error);
    if (hinted !== error) throw hinted;
    const wrapped = new Error(`@pgml-ts/native: PGML_NATIVE_LIBRARY_PATH=${path} does not load: ${error?.message}`, {
      cause: error,
    });
    wrapped.code = 'NATIVE_UNAVAILABLE';
    throw wrapped;
  }
}

function loadBinding() {
  const override = process.env.PGML_NATIVE_LIBRARY_PATH;
  if (override) return loadOverride(override);
  const { platform, arch } = process;
  // napi-rs naming: <binaryName>.<platform>-<arch>[-<abi>].node; glibc vs musl only matters on Linux.
  const abi = platform === 'linux' ? (process.report?.getReport?.().header?.glibcVersionRuntime ? '-gnu' : '-musl') : '';
  const triple = `${platform}-${arch}${abi}`;
  const candidates = [`./pgml-native.${triple}.node`, `@pgml-ts/native-${triple}`];
  const errors = [];
  // A checkout's own build first, then the platform package npm installs as an optional dependency.
  for (const candidate of candidates) {
    try {
      return require(candidate);
    } catch (error) {
      if (error?.code !== 'MODULE_NOT_FOUND' && !String(error?.message).includes('Cannot find module')) {
        throw missingLibraryError(candidate, error);
      }
      errors.push(error);
    }
  }
  const error = new Error(
    `@pgml-ts/native: no native binary for ${triple} (looked for ${candidates.join(' and ')}). ` +
      `From npm: the binary is the optional dependency @pgml-ts/native-${triple} — reinstall without ` +
      '--omit=optional / --no-optional (only linux-x64-gnu is published). In a checkout: `npm run quickstart` from ' +
      'the repository root, or `pnpm --filter @pgml-ts/native build` (needs Rust and the Debian crate sources, see ' +
      'packages/native/README.md).',
    { cause: chained(errors) },
  );
  error.code = 'NATIVE_UNAVAILABLE';
  throw error;
}

export const binding = loadBinding();
