/**
 * Two PROCESSES training the same new project at the same moment (released together after both connected): each
 * either finishes or fails with a typed CONFLICT; afterwards the project is one row and its models, snapshots,
 * deployments and files all reference rows that exist.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { child, createRegressionTable, projectRows } from './helpers.js';
import { DATABASE_URL, figures, FULL } from './profile.js';

interface Outcome {
  ok: boolean;
  code?: string | null;
  message?: string;
  modelId?: number;
}

describe.skipIf(!DATABASE_URL)('two processes training one project', () => {
  const tables: string[] = [];
  afterAll(async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    for (const t of tables) await client.query(`DROP TABLE IF EXISTS ${t}`);
    await client.end();
  });

  it('both finish or one gets CONFLICT, and the rows stay consistent', async () => {
    const table = await createRegressionTable(DATABASE_URL!, 'concurrent');
    tables.push(table);
    const rounds = FULL ? 10 : 3;
    const outcomes: Outcome[] = [];
    for (let round = 0; round < rounds; round++) {
      const project = `concurrent ${table} ${round}`;
      // Same task: both may finish. The last round asks for two different tasks: one of them must lose.
      const mixed = round === rounds - 1;
      const jobs = mixed ? [['regression', 'linear'], ['clustering', 'kmeans']] : [['regression', 'linear'], ['regression', 'ridge']];
      const children = jobs.map(([task, algorithm]) => child('train-child.mjs', [DATABASE_URL!, project, table, task!, algorithm!]));
      for (const c of children) expect(await c.line()).toBe('ready');
      for (const c of children) c.process.stdin.end('go\n');
      const results = await Promise.all(children.map(async (c) => JSON.parse(await c.line()) as Outcome));
      for (const c of children) expect(await c.exit, c.stderr()).toBe(0);
      outcomes.push(...results);
      for (const r of results) {
        // CONFLICT when both sessions raced to create the project; had one committed before the other even
        // looked, the other is told the project exists with another task.
        if (!r.ok) expect([mixed ? 'INVALID_ARGUMENT' : 'CONFLICT', 'CONFLICT'], r.message).toContain(r.code);
      }
      expect(results.filter((r) => r.ok).length).toBe(mixed ? 1 : 2);
      const rows = await projectRows(DATABASE_URL!, project);
      expect(rows.problems).toEqual([]);
      expect(rows).toMatchObject({ projects: 1, models: results.filter((r) => r.ok).length });
      expect(rows.files).toBe(rows.models);
      expect(rows.deployments).toBeGreaterThanOrEqual(1);
    }
    figures('concurrent-train', {
      rounds,
      processes: 2,
      finished: outcomes.filter((o) => o.ok).length,
      conflicts: outcomes.filter((o) => o.code === 'CONFLICT').length,
      refusedOtherTask: outcomes.filter((o) => o.code === 'INVALID_ARGUMENT').length,
    });
  });
});
