// In a pgml-ts checkout, `runtime: 'auto'` follows the committed benchmarks/results/parity.json (the built sdk is
// what users of the checkout run: bin/pgml.js → dist).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const COMMITTED = fileURLToPath(new URL('../../../benchmarks/results/parity.json', import.meta.url));
const DIST = new URL('../dist/runtimes/parity.js', import.meta.url);

it.skipIf(!existsSync(fileURLToPath(DIST)))('the built sdk reads the committed parity table when nothing else is given', async () => {
  expect(existsSync(COMMITTED)).toBe(true);
  const { loadParity } = (await import(DIST.href)) as typeof import('../src/runtimes/parity.js');
  const loaded = await loadParity(undefined, {});
  expect(loaded?.source).toBe(COMMITTED);
  expect(loaded?.table.entries.length).toBeGreaterThan(10);
});
