/**
 * Runs a suite once per available database: embedded PGlite (in memory) always, and PostgreSQL when DATABASE_URL is
 * set — each suite in a fresh database created on that server and dropped afterwards.
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

/** `describe(title)` once per engine; `get()` returns the suite's database inside tests and hooks. */
export function describeEachDb(title: string, suite: (get: () => TestDatabase) => void): void {
  describe(`${title} [pglite]`, () => {
    let current: TestDatabase | undefined;
    beforeAll(async () => {
      current = { engine: 'pglite', db: await createPgliteDb('memory://') };
    });
    afterAll(async () => {
      await current?.db.close();
    });
    suite(() => current!);
  });

  const postgresTitle = SERVER_URL
    ? `${title} [postgres]`
    : `${title} [postgres] — skipped: DATABASE_URL is not set (npm test sets it)`;
  describe.skipIf(!SERVER_URL)(postgresTitle, () => {
    let current: TestDatabase | undefined;
    let drop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const created = await createPostgresDatabase();
      drop = created.drop;
      current = { engine: 'postgres', db: createPgDb(created.url), url: created.url };
    });
    afterAll(async () => {
      await current?.db.close();
      await drop?.();
    });
    suite(() => current!);
  });
}

export const hasPostgres = Boolean(SERVER_URL);
