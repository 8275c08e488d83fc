/**
 * The databases every suite runs against — the one list both harnesses (this file's `describeEachDb` and
 * tests/contract/harness.ts) loop over: embedded PGlite (in memory) always, and PostgreSQL when DATABASE_URL is set,
 * each suite in a fresh database created on that server and dropped afterwards. A database that cannot run here is
 * skipped visibly, with the reason in the suite's title.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Db } from '@pgml-ts/core';
import pg from 'pg';
import { createPgDb } from '../src/drivers/pg.js';
import { createPgliteDb } from '../src/drivers/pglite.js';

export type Engine = 'pglite' | 'postgres';

export interface TestDatabase {
  engine: Engine;
  db: Db;
  /** For PostgreSQL: the URL of the suite's own database. */
  url?: string;
}

const SERVER_URL = process.env.DATABASE_URL;

/** A fresh database on the DATABASE_URL server; `drop()` removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pgml_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: SERVER_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A suite's own database: its first handle, more handles where the engine has them, and its removal. */
export interface FreshDatabase extends TestDatabase {
  /** Another independent handle (another pool) on the same database; PGlite has none. */
  another?(): Db;
  /** Closes every handle and removes the database. */
  drop(): Promise<void>;
}

export interface DatabaseKind {
  engine: Engine;
  /** Why this database does not run here; undefined when it does. */
  unavailable?: string;
  create(): Promise<FreshDatabase>;
}

export const DATABASES: readonly DatabaseKind[] = [
  {
    engine: 'pglite',
    async create() {
      const db = await createPgliteDb('memory://');
      return { engine: 'pglite', db, drop: () => db.close() };
    },
  },
  {
    engine: 'postgres',
    ...(SERVER_URL ? {} : { unavailable: 'DATABASE_URL is not set (npm test sets it)' }),
    async create() {
      const { url, drop } = await createPostgresDatabase();
      const handles = [createPgDb(url)];
      return {
        engine: 'postgres',
        db: handles[0]!,
        url,
        another() {
          handles.push(createPgDb(url));
          return handles.at(-1)!;
        },
        async drop() {
          for (const handle of handles) await handle.close();
          await drop();
        },
      };
    },
  },
];

/** `describe` once per database, titled `title [engine]` (with the reason when skipped). */
export function describeEachDatabase(title: (engine: Engine) => string, suite: (kind: DatabaseKind) => void): void {
  for (const kind of DATABASES) {
    const name = title(kind.engine) + (kind.unavailable ? ` — skipped: ${kind.unavailable}` : '');
    describe.skipIf(kind.unavailable !== undefined)(name, () => suite(kind));
  }
}

/** `describe(title)` once per engine; `get()` returns the suite's database inside tests and hooks. */
export function describeEachDb(title: string, suite: (get: () => TestDatabase) => void): void {
  describeEachDatabase(
    (engine) => `${title} [${engine}]`,
    (kind) => {
      let current: FreshDatabase | undefined;
      beforeAll(async () => {
        current = await kind.create();
      });
      afterAll(async () => {
        await current?.drop();
      });
      suite(() => current!);
    },
  );
}

export const hasPostgres = DATABASES.every((kind) => kind.unavailable === undefined);
