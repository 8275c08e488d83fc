#!/usr/bin/env node
// Writes packages/core/src/algorithms.generated.ts from the runtimes' algorithm tables (see
// src/catalogue/algorithm-names.ts). Needs a build (`pnpm exec turbo run build`): it reads the built sdk and the
// native addon. `--check` exits 1 when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as native from '@pgml-ts/native';
import { renderAlgorithmNames } from '../dist/catalogue/algorithm-names.js';

const target = fileURLToPath(new URL('../../core/src/algorithms.generated.ts', import.meta.url));
const text = renderAlgorithmNames(native);
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error(`${target} is stale: run node packages/sdk/scripts/generate-algorithm-names.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
