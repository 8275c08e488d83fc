/** Projects: a name (any text, always bound as a parameter) and the task every model of the project solves. */
import type { Db } from '../db.js';
import { InvalidArgument, PgmlError } from '../errors.js';
import type { Task } from '../runtime.js';
import { TASKS } from '../schema/migrations.js';

export interface Project {
  id: number;
  name: string;
  task: Task;
}

export class UnknownProject extends PgmlError {
  constructor(name: string) {
    super('UNKNOWN_PROJECT', `project ${JSON.stringify(name)} does not exist`, { project: name });
  }
}

export class NoDeployedModel extends PgmlError {
  constructor(project: string) {
    super('NO_DEPLOYED_MODEL', `project ${JSON.stringify(project)} has no deployed model`, { project });
  }
}

export function checkProjectName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw new InvalidArgument('project name must be a non-empty string');
  }
  if (name.includes('\0')) throw new InvalidArgument('project name must not contain NUL characters');
  return name;
}

export function checkTask(task: unknown): Task {
  if (!TASKS.includes(task as Task)) {
    throw new InvalidArgument(`unknown task ${JSON.stringify(task)}: expected one of ${TASKS.join(', ')}`, { task });
  }
  return task as Task;
}

export async function findProject(db: Db, name: string): Promise<Project | undefined> {
  const found = await db.query<{ id: string | number; name: string; task: Task }>(
    'SELECT id, name, task FROM pgml.projects WHERE name = $1',
    [name],
  );
  const row = found.rows[0];
  return row && { id: Number(row.id), name: row.name, task: row.task };
}

export async function requireProject(db: Db, name: string): Promise<Project> {
  const project = await findProject(db, checkProjectName(name));
  if (!project) throw new UnknownProject(name);
  return project;
}

/**
 * Creates the project. Two first trains of one project in different sessions both find no project and both insert:
 * the second insert waits for the first transaction and then finds the name taken, so it uses the row the other
 * created (both trains finish) — unless that row's task differs, which is a CONFLICT.
 */
export async function createProject(db: Db, name: string, task: Task): Promise<Project> {
  const created = await db.query<{ id: string | number }>(
    'INSERT INTO pgml.projects (name, task) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id',
    [name, task],
  );
  if (created.rows[0]) return { id: Number(created.rows[0].id), name, task };
  const concurrent = await findProject(db, name);
  if (!concurrent || concurrent.task !== task) {
    throw new PgmlError(
      'CONFLICT',
      `project ${JSON.stringify(name)} was created by another session at the same time` +
        (concurrent ? ` with task ${concurrent.task}, not ${task}` : ' and is not visible yet') +
        '; retry',
      { project: name },
    );
  }
  return concurrent;
}
