/**
 * Crashing PostgreSQL at an exact point of a transaction: a trigger on a pgml table takes an advisory lock that a
 * holder session keeps, so the transaction that inserts the row stops right there; once it is seen waiting in
 * pg_stat_activity, the server is stopped with `pg_ctl stop -m immediate` (every backend killed, no checkpoint)
 * and started again on the same port.
 */
import pg from 'pg';
import type { PostgresServer } from '../../scripts/lib/postgres-server.mjs';

const LOCK = 0x70676d6c; // arbitrary

/** `url` with a password, which trust auth ignores: every error must still show it masked. */
export function withPassword(url: string, password: string): string {
  return url.replace('postgres://postgres@', `postgres://postgres:${password}@`);
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Makes inserts into `pgml.<table>` (those matching `condition`, SQL over NEW) wait on the advisory lock, holds the
 * lock from another session, and returns a function that waits until a transaction is stuck there.
 */
export async function stallInserts(url: string, table: string, condition = 'true'): Promise<{ stuck(): Promise<void>; holder: pg.Client }> {
  await admin(url, async (c) => {
    await c.query(`CREATE OR REPLACE FUNCTION public.reliability_stall() RETURNS trigger AS $$
      BEGIN IF ${condition} THEN PERFORM pg_advisory_xact_lock(${LOCK}); END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await c.query(`DROP TRIGGER IF EXISTS reliability_stall ON pgml.${table}`);
    await c.query(`CREATE TRIGGER reliability_stall BEFORE INSERT ON pgml.${table} FOR EACH ROW EXECUTE FUNCTION public.reliability_stall()`);
  });
  const holder = new pg.Client({ connectionString: url });
  holder.on('error', () => undefined); // it dies with the server
  await holder.connect();
  await holder.query('SELECT pg_advisory_lock($1)', [LOCK]);
  const stuck = async (): Promise<void> => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const waiting = await admin(url, (c) =>
        c.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'`),
      );
      if (Number(waiting.rows[0].n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no transaction got stuck inserting into pgml.${table}`);
  };
  return { stuck, holder };
}

/** Removes the stalling trigger (after the restart) from `pgml.<table>` of the database at `url`. */
export async function unstall(url: string, table: string): Promise<void> {
  await admin(url, (c) => c.query(`DROP TRIGGER IF EXISTS reliability_stall ON pgml.${table}`));
}

/** Kills the server like a crash and starts it again; returns once it accepts connections. */
export function crashAndRestart(server: PostgresServer): void {
  server.stopImmediate();
  server.restart();
}
