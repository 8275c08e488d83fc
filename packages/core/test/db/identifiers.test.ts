import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db.js';
import { parseQualifiedName, quoteIdent, resolveColumn, resolveRelation } from '../../src/db/identifiers.js';
import { PgmlError } from '../../src/errors.js';

describe('quoteIdent', () => {
  it('double-quotes and doubles embedded quotes', () => {
    expect(quoteIdent('iris')).toBe('"iris"');
    expect(quoteIdent('Mixed Case')).toBe('"Mixed Case"');
    expect(quoteIdent('a"; drop table x; --')).toBe('"a""; drop table x; --"');
    expect(quoteIdent('od280/od315_of_diluted_wines')).toBe('"od280/od315_of_diluted_wines"');
  });

  it('refuses what PostgreSQL cannot name', () => {
    expect(() => quoteIdent('')).toThrow(PgmlError);
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
    expect(() => quoteIdent('x'.repeat(64))).toThrow(/63 bytes/);
    expect(quoteIdent('x'.repeat(63))).toHaveLength(65);
    expect(() => quoteIdent('é'.repeat(32))).toThrow(/64 bytes/);
  });
});

describe('parseQualifiedName', () => {
  it('folds unquoted parts and keeps quoted ones', () => {
    expect(parseQualifiedName('pgml.Digits')).toEqual(['pgml', 'digits']);
    expect(parseQualifiedName('"My Schema"."My ""T"""')).toEqual(['My Schema', 'My "T"']);
    expect(parseQualifiedName('café')).toEqual(['café']);
    expect(parseQualifiedName('_t$1')).toEqual(['_t$1']);
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'x; drop table y', "x' or '1'='1", 'a.b.c', '1abc', 'a..b', '"unterminated', '""', 'a b', 'a.', '.a', 'x--', 'x'.repeat(64)]) {
      expect(parseQualifiedName(bad), bad).toBeUndefined();
    }
  });
});

/** A Db that records every statement and answers catalog lookups from a fixed table list. */
function catalogDb(tables: Record<string, { name: string; type: string }[]>): Db & { statements: { sql: string; params: unknown[] }[] } {
  const statements: { sql: string; params: unknown[] }[] = [];
  const key = (canonical: string) => canonical.replace(/"/g, '');
  return {
    engine: 'postgres',
    pooled: true,
    statements,
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      statements.push({ sql, params: [...params] });
      const wanted = key(String(params[0]));
      const qualified = wanted.includes('.') ? wanted : `public.${wanted}`;
      const columns = tables[qualified];
      if (!columns) return { rows: [] as Row[], rowCount: 0 };
      const [schema, name] = qualified.split('.');
      const rows = sql.includes('pg_attribute')
        ? columns.map((c, i) => ({ ...c, ordinal: i + 1 }))
        : [{ schema, name, oid: 1 }];
      return { rows: rows as Row[], rowCount: rows.length };
    },
    transaction: vi.fn(),
    copyOut: vi.fn(),
    copyIn: vi.fn(),
    close: vi.fn(),
  };
}

describe('resolveRelation / resolveColumn', () => {
  const db = catalogDb({ 'pgml.iris': [{ name: 'sepal_length', type: 'real' }, { name: 'target', type: 'integer' }] });

  it('resolves through the catalog with the name bound as a parameter', async () => {
    const relation = await resolveRelation(db, 'pgml.iris');
    expect(relation).toMatchObject({ schema: 'pgml', name: 'iris', qualified: '"pgml"."iris"' });
    expect(relation.columns.map((c) => c.name)).toEqual(['sepal_length', 'target']);
    expect(resolveColumn(relation, 'target')).toMatchObject({ type: 'integer', ordinal: 2, quoted: '"target"' });
    for (const { sql, params } of db.statements) {
      expect(sql).not.toContain('iris');
      expect(params[0]).toBe('"pgml"."iris"');
    }
  });

  it('turns unknown names into UnknownRelation / UnknownColumn', async () => {
    await expect(resolveRelation(db, 'pgml.nope')).rejects.toMatchObject({ code: 'UNKNOWN_RELATION' });
    const relation = await resolveRelation(db, 'pgml.iris');
    expect(() => resolveColumn(relation, 'Target')).toThrow(expect.objectContaining({ code: 'UNKNOWN_COLUMN' }));
  });

  it('never runs SQL for injection attempts', async () => {
    const before = db.statements.length;
    const attempts = ['x; drop table y', "pgml.iris'; --", 'pgml.iris; DELETE FROM pgml.iris', 'a"b', `${'n'.repeat(70)}`, 'pgml.iris\0'];
    for (const attempt of attempts) {
      await expect(resolveRelation(db, attempt)).rejects.toMatchObject({ code: 'UNKNOWN_RELATION' });
    }
    expect(db.statements.length).toBe(before);
  });
});
