import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '@pgml-ts/core';
import { DEFAULT_PYTHON, PYTHON_DIR } from '../src/worker.js';

export const PYTHON = process.env.PGML_PYTHON ?? DEFAULT_PYTHON;
const run = promisify(execFile);

/** Runs a fixture script under test/fixtures with the real scikit-learn and parses its JSON stdout. */
export async function runFixture<T>(script: string, ...args: string[]): Promise<T> {
  const path = fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url));
  const { stdout } = await run(PYTHON, [path, PYTHON_DIR, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}

export function matrix(values: number[], rows: number, cols: number): Matrix {
  return { data: Float64Array.from(values), rows, cols };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return max;
}
