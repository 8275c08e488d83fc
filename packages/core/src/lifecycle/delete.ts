/**
 * Deleting a model or a whole project, in one transaction: the model rows (their files and deployments go with them
 * through the schema's ON DELETE CASCADE) and every snapshot no remaining model was trained on, materialized tables
 * (`pgml."snapshot_<id>"`) included. The model predict uses — the project's live deployment — is kept unless
 * `force` is given.
 */
import type { Db } from '../db.js';
import { quoteIdent } from '../db/identifiers.js';
import { InvalidArgument, PgmlError } from '../errors.js';
import { currentDeployment } from '../project/deploy.js';
import { requireProject } from '../project/projects.js';
import { ensureSchema } from '../schema/ensure-schema.js';
import { snapshotTableName } from '../snapshot/snapshot.js';

export interface DeleteOptions {
  /** Also delete the deployed model (predict then uses the project's previous deployment, if any). */
  force?: boolean;
}

export interface DeleteResult {
  project: string;
  /** True when the whole project was deleted. */
  projectDeleted: boolean;
  /** The deleted models. */
  models: number[];
  /** Snapshots deleted with them (no other model was trained on them). */
  snapshots: number[];
  /** Their materialized tables, dropped. */
  tables: string[];
}

export async function deleteModel(db: Db, modelId: number, options: DeleteOptions = {}): Promise<DeleteResult> {
  if (!Number.isSafeInteger(modelId) || modelId < 1) throw new InvalidArgument(`model id must be a positive integer, got ${modelId}`);
  await ensureSchema(db);
  return db.transaction(async (tx) => {
    const found = await tx.query<{ project_id: string | number; name: string; snapshot_id: string | number | null }>(
      `SELECT m.project_id, p.name, m.snapshot_id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
        WHERE m.id = $1 FOR UPDATE OF m`,
      [modelId],
    );
    const row = found.rows[0];
    if (!row) throw new PgmlError('INVALID_ARGUMENT', `model ${modelId} does not exist`, { modelId });
    const deployed = await currentDeployment(tx, Number(row.project_id));
    if (deployed?.modelId === modelId && options.force !== true) {
      throw new PgmlError(
        'CONFLICT',
        (w) =>
          `model ${modelId} is the deployed model of project ${JSON.stringify(row.name)}: deploy another model first, or ` +
          `pass ${w.option('force')} to delete it anyway (predict then uses the model deployed before it, if any)`,
        { modelId, project: row.name },
      );
    }
    await tx.query('DELETE FROM pgml.models WHERE id = $1', [modelId]);
    const orphans = await dropOrphanSnapshots(tx, row.snapshot_id === null ? [] : [Number(row.snapshot_id)]);
    return { project: row.name, projectDeleted: false, models: [modelId], ...orphans };
  });
}

export async function deleteProject(db: Db, name: string, options: DeleteOptions = {}): Promise<DeleteResult> {
  await ensureSchema(db);
  return db.transaction(async (tx) => {
    const project = await requireProject(tx, name);
    await tx.query('SELECT id FROM pgml.projects WHERE id = $1 FOR UPDATE', [project.id]);
    const deployed = await currentDeployment(tx, project.id);
    if (deployed && options.force !== true) {
      throw new PgmlError(
        'CONFLICT',
        (w) =>
          `project ${JSON.stringify(project.name)} has a deployed model (${deployed.modelId}) that predict uses: pass ` +
          `${w.option('force')} to delete the project with it`,
        { project: project.name, modelId: deployed.modelId },
      );
    }
    const models = await tx.query<{ id: string | number; snapshot_id: string | number | null }>(
      'SELECT id, snapshot_id FROM pgml.models WHERE project_id = $1 ORDER BY id',
      [project.id],
    );
    await tx.query('DELETE FROM pgml.projects WHERE id = $1', [project.id]);
    const snapshotIds = [...new Set(models.rows.filter((m) => m.snapshot_id !== null).map((m) => Number(m.snapshot_id)))];
    const orphans = await dropOrphanSnapshots(tx, snapshotIds);
    return { project: project.name, projectDeleted: true, models: models.rows.map((m) => Number(m.id)), ...orphans };
  });
}

/** Deletes those of `snapshotIds` that no model references any more, dropping their materialized tables. */
async function dropOrphanSnapshots(tx: Db, snapshotIds: number[]): Promise<Pick<DeleteResult, 'snapshots' | 'tables'>> {
  if (snapshotIds.length === 0) return { snapshots: [], tables: [] };
  const deleted = await tx.query<{ id: string | number; materialized: boolean | null }>(
    `DELETE FROM pgml.snapshots s
      WHERE s.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM pgml.models m WHERE m.snapshot_id = s.id)
      RETURNING s.id, s.materialized`,
    [snapshotIds],
  );
  const tables: string[] = [];
  for (const snapshot of deleted.rows) {
    if (!snapshot.materialized) continue;
    const table = snapshotTableName(Number(snapshot.id));
    await tx.query(`DROP TABLE IF EXISTS pgml.${quoteIdent(table)}`);
    tables.push(`pgml.${table}`);
  }
  return { snapshots: deleted.rows.map((s) => Number(s.id)).sort((a, b) => a - b), tables };
}
