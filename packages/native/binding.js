// Loads the addon for this platform (a checkout's own build first, then the npm platform package).
import { createRequire } from 'node:module';

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

function loadBinding() {
  const { platform, arch } = process;
  // napi-rs naming: <binaryName>.<platform>-<arch>[-<abi>].node; glibc vs musl only matters on Linux.
  const abi = platform === 'linux' ? (process.report?.getReport?.().header?.glibcVersionRuntime ? '-gnu' : '-musl') : '';
  const triple = `${platform}-${arch}${abi}`;
  const errors = [];
  // A checkout's own build first, then the platform package npm installs as an optional dependency.
  for (const candidate of [`./pgml-native.${triple}.node`, `@pgml-ts/native-${triple}`]) {
    try {
      return require(candidate);
    } catch (error) {
      if (error?.code !== 'MODULE_NOT_FOUND' && !String(error?.message).includes('Cannot find module')) {
        throw missingLibraryError(candidate, error);
      }
      errors.push(candidate);
    }
  }
  const error = new Error(
    `@pgml-ts/native: no native binary for ${triple} (looked for ${errors.join(' and ')}). ` +
      `From npm: the binary is the optional dependency @pgml-ts/native-${triple} — reinstall without ` +
      '--omit=optional / --no-optional (only linux-x64-gnu is published). In a checkout: `npm run quickstart` from ' +
      'the repository root, or `pnpm --filter @pgml-ts/native build` (needs Rust and the Debian crate sources, see ' +
      'packages/native/README.md).',
  );
  error.code = 'NATIVE_UNAVAILABLE';
  throw error;
}

export const binding = loadBinding();
