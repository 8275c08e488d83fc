/**
 * Where `runtime: 'auto'` gets its parity table (docs/architecture.md#runtimes): the benchmarks measure every algorithm
 * on both runtimes and commit `benchmarks/results/parity.json`; the sdk reads that table from, in order,
 *   1. `connect({ parity })`: a table object or the path of a JSON file,
 *   2. the file named by `PGML_PARITY_FILE`,
 *   3. `parity.json` at the root of this package (where a release ships the committed table),
 *   4. in a pgml-ts checkout, the committed `benchmarks/results/parity.json` itself.
 * Without any, core's rule applies: native wherever it implements the algorithm, else python.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgument, parseParityTable, type ParityTable } from '@pgml-ts/core';

export interface LoadedParity {
  table: ParityTable;
  /** `connect({ parity })`, a file path, or the packaged file: shown by `pgml runtimes`. */
  source: string;
}

export const PACKAGED_PARITY_FILE = fileURLToPath(new URL('../../parity.json', import.meta.url));

/** The committed report, when this module is `<checkout>/packages/sdk/dist/runtimes/parity.js` (never in an install). */
function checkoutParityFile(): string | undefined {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const isCheckout = join(root, 'packages', 'sdk', 'dist', 'runtimes', 'parity.js') === fileURLToPath(import.meta.url);
  const file = join(root, 'benchmarks', 'results', 'parity.json');
  return isCheckout && existsSync(file) ? file : undefined;
}

export async function loadParity(
  option: ParityTable | string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedParity | undefined> {
  if (option !== undefined && typeof option !== 'string') {
    return { table: parseParityTable(option), source: 'connect({ parity })' };
  }
  const path = option ?? (env.PGML_PARITY_FILE || undefined);
  if (path !== undefined) return { table: await readParityFile(path), source: path };
  const shipped = existsSync(PACKAGED_PARITY_FILE) ? PACKAGED_PARITY_FILE : checkoutParityFile();
  return shipped === undefined ? undefined : { table: await readParityFile(shipped), source: shipped };
}

async function readParityFile(path: string): Promise<ParityTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidArgument(`cannot read the parity table ${path}: ${(error as Error).message}`, { path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgument(`the parity table ${path} is not valid JSON: ${(error as Error).message}`, { path });
  }
  try {
    return parseParityTable(json);
  } catch (error) {
    throw new InvalidArgument(`the parity table ${path} is malformed: ${(error as Error).message}`, { path });
  }
}
