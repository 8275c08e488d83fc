/** Shared by the reliability tests: a small regression table, the row-consistency check, child processes. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createRng } from '@pgml-ts/core';

/** Creates `public.<prefix>_<random>` with x0..x3 float8 and y float8 (a noisy linear target); returns its name. */
export async function createRegressionTable(url: string, prefix: string, rows = 300): Promise<string> {
  const table = `public.${prefix}_${randomBytes(4).toString('hex')}`;
  const random = createRng(7).next;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE ${table} (x0 float8, x1 float8, x2 float8, x3 float8, y float8)`);
    const values: number[] = [];
    for (let r = 0; r < rows; r++) {
      const x = [0, 1, 2, 3].map(() => random() * 10 - 5);
      values.push(...x, 2 * x[0]! - x[1]! + 0.25 * x[2]! + 3 * x[3]! + random());
    }
    const tuples = Array.from({ length: rows }, (_, r) => `(${[1, 2, 3, 4, 5].map((c) => `$${r * 5 + c}`).join(', ')})`);
    await client.query(`INSERT INTO ${table} VALUES ${tuples.join(', ')}`, values);
  } finally {
    await client.end();
  }
  return table;
}

export interface ProjectRows {
  projects: number;
  models: number;
  deployments: number;
  files: number;
  /** Every reference that points nowhere or across projects, described; must be empty. */
  problems: string[];
}

/**
 * Counts a project's rows (by name; 0 everywhere when it does not exist) and checks that they hang together:
 * one project row, every model's snapshot exists, every deployment's model belongs to the project, every model has
 * its file, every file belongs to an existing model.
 */
export async function projectRows(url: string, name: string): Promise<ProjectRows> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('pgml.projects') IS NOT NULL AS present`);
    if (!exists.rows[0].present) return { projects: 0, models: 0, deployments: 0, files: 0, problems: [] };
    const one = async (sql: string): Promise<number> => Number((await client.query(sql, [name])).rows[0].n);
    const problems = async (sql: string, what: string, params: unknown[] = [name]): Promise<string[]> =>
      (await client.query(sql, params)).rows.map((r) => `${what}: ${JSON.stringify(r)}`);
    const ids = `(SELECT id FROM pgml.projects WHERE name = $1)`;
    return {
      projects: await one('SELECT count(*) AS n FROM pgml.projects WHERE name = $1'),
      models: await one(`SELECT count(*) AS n FROM pgml.models WHERE project_id IN ${ids}`),
      deployments: await one(`SELECT count(*) AS n FROM pgml.deployments WHERE project_id IN ${ids}`),
      files: await one(`SELECT count(*) AS n FROM pgml.files WHERE model_id IN (SELECT id FROM pgml.models WHERE project_id IN ${ids})`),
      problems: [
        ...(await problems(
          `SELECT m.id FROM pgml.models m WHERE m.project_id IN ${ids}
             AND NOT EXISTS (SELECT 1 FROM pgml.snapshots s WHERE s.id = m.snapshot_id)`,
          'model without snapshot',
        )),
        ...(await problems(
          `SELECT d.id, d.model_id FROM pgml.deployments d WHERE d.project_id IN ${ids}
             AND NOT EXISTS (SELECT 1 FROM pgml.models m WHERE m.id = d.model_id AND m.project_id = d.project_id)`,
          'deployment of a model not in the project',
        )),
        ...(await problems(
          `SELECT m.id FROM pgml.models m WHERE m.project_id IN ${ids}
             AND NOT EXISTS (SELECT 1 FROM pgml.files f WHERE f.model_id = m.id)`,
          'model without file',
        )),
        ...(await problems(`SELECT f.id FROM pgml.files f WHERE NOT EXISTS (SELECT 1 FROM pgml.models m WHERE m.id = f.model_id)`, 'orphan file', [])),
      ],
    };
  } finally {
    await client.end();
  }
}

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the first line the child prints. */
  line(): Promise<string>;
  exit: Promise<number | null>;
  stderr(): string;
}

/** Runs one of ./fixtures/*.mjs with node; its stdout is read line by line. */
export function child(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const path = fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url));
  const proc = spawn(process.execPath, [path, ...args], { env, cwd: fileURLToPath(new URL('.', import.meta.url)) });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let buffered = '';
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  proc.stdout.on('data', (c: Buffer) => {
    buffered += c.toString();
    let at: number;
    while ((at = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const exit = new Promise<number | null>((resolve) => proc.on('close', resolve));
  return {
    process: proc,
    line: () => {
      const ready = lines.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return Promise.race([
        new Promise<string>((resolve) => waiting.push(resolve)),
        exit.then((code) => {
          throw new Error(`child ${script} exited (${code}) before printing a line; stderr:\n${stderr}`);
        }),
      ]);
    },
    exit,
    stderr: () => stderr,
  };
}
