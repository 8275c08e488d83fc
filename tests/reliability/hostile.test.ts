/**
 * Hostile and malformed input, property-based (fast-check): model bytes, feature arrays, hyperparameters and
 * identifiers. Every case ends in a typed PgmlError with an expected code or a documented result — never another
 * exception, a hang or a dead process. The native cases run in THIS process, so finishing the file proves the
 * native layer aborted on none of them. Counts are printed per property.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptModel, decodeModel, encodeModel, ensureSchema, NativeRuntime, PgmlError, PostgresML, type Db, type FittedModel, type Matrix } from '@pgml-ts/sdk';
import { PythonRuntime } from '@pgml-ts/python-compat';
import { figures, PROFILE } from './profile.js';

const tally = { tried: 0, clean: 0 };
/** Runs `fn`; a PgmlError whose code is in `codes` is clean, a normal return is clean when `allowSuccess`. */
async function expectClean(fn: () => unknown, codes: readonly string[], allowSuccess: boolean): Promise<unknown> {
  tally.tried++;
  let result: unknown;
  try {
    result = await fn();
  } catch (error) {
    if (!(error instanceof PgmlError) || !codes.includes(error.code)) {
      throw new Error(`expected a PgmlError with code ${codes.join('|')}, got ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
    }
    tally.clean++;
    return error;
  }
  if (!allowSuccess) throw new Error(`expected a PgmlError with code ${codes.join('|')}, but the call succeeded`);
  tally.clean++;
  return result;
}

/** fast-check's asyncProperty over a check whose result is not the verdict (only a throw fails). */
function property<Ts extends [unknown, ...unknown[]]>(
  ...args: [...arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, check: (...values: Ts) => Promise<unknown> | unknown]
): fc.IAsyncPropertyWithHooks<Ts> {
  const check = args.pop() as (...values: Ts) => Promise<unknown> | unknown;
  const arbitraries = args as unknown as { [K in keyof Ts]: fc.Arbitrary<Ts[K]> };
  return fc.asyncProperty<Ts>(...arbitraries, async (...values: Ts) => {
    await check(...values);
  });
}

function matrix(rows: number, cols: number, f: (r: number, c: number) => number): Matrix {
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = f(r, c);
  return { data, rows, cols };
}

const X = matrix(60, 3, (r, c) => Math.sin(r * (c + 1)) * 3 + c);
const Y_REG = matrix(60, 1, (r) => X.data[r * 3]! * 2 - X.data[r * 3 + 1]! + 0.5);
const Y_CLS = matrix(60, 1, (r) => (X.data[r * 3]! > 1 ? 1 : 0));

const FLOATS = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1e308, Number.MIN_VALUE, -0),
);
const ANY_VALUE = fc.oneof(FLOATS, fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.object(), fc.array(fc.double(), { maxLength: 3 }));

describe('hostile and malformed input', () => {
  let nativeRuntime: NativeRuntime;
  const python = new PythonRuntime();
  const fitted: Record<string, FittedModel> = {};
  const payloads: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    nativeRuntime = await NativeRuntime.load();
    const fits: Array<[string, 'regression' | 'classification' | 'clustering', string, Matrix | undefined, number | undefined]> = [
      ['linear', 'regression', 'linear', Y_REG, undefined],
      ['ridge', 'regression', 'ridge', Y_REG, undefined],
      ['logistic', 'classification', 'linear', Y_CLS, 2],
      ['tree', 'classification', 'decision_tree', Y_CLS, 2],
      ['forest', 'regression', 'random_forest', Y_REG, undefined],
      ['kmeans', 'clustering', 'kmeans', undefined, undefined],
    ];
    for (const [name, task, algorithm, y, numClasses] of fits) {
      const model = await nativeRuntime.fit({ task, algorithm, hyperparams: algorithm === 'random_forest' ? { n_estimators: 3 } : {}, x: X, ...(y ? { y } : {}), ...(numClasses ? { numClasses } : {}) });
      fitted[`native ${name}`] = model;
      payloads[`native ${name}`] = await nativeRuntime.serialize(model);
    }
    const py = await python.fit({ task: 'regression', algorithm: 'linear', hyperparams: {}, x: X, y: Y_REG });
    fitted['python linear'] = py;
    payloads['python linear'] = await python.serialize(py);
  });
  afterAll(async () => {
    await python.close();
    figures('hostile', { tried: tally.tried, cleanErrorsOrDocumentedResults: tally.clean, processSurvived: true });
  });

  describe('model bytes', () => {
    const envelope = (): Uint8Array =>
      encodeModel({ runtime: 'native', algorithm: 'linear', task: 'regression', payload: payloads['native linear']!, meta: { numFeatures: 3, numOutputs: 1 } });

    it('core decodeModel: random, truncated, bit-flipped, wrong version/magic/checksum → CorruptModel', async () => {
      const good = envelope();
      expect(decodeModel(good).algorithm).toBe('linear');
      const decode = (bytes: Uint8Array) => expectClean(() => decodeModel(bytes), ['CORRUPT_MODEL'], false);
      await fc.assert(property(fc.uint8Array({ maxLength: 512 }), decode), { numRuns: PROFILE.runs(1000) });
      await fc.assert(property(fc.nat({ max: good.length - 1 }), (n) => decode(good.slice(0, n))), { numRuns: PROFILE.runs(500) });
      await fc.assert(
        property(fc.nat({ max: good.length * 8 - 1 }), async (bit) => {
          const bad = good.slice();
          bad[bit >> 3]! ^= 1 << (bit & 7);
          await decode(bad); // CRC-32 detects every single-bit error
        }),
        { numRuns: PROFILE.runs(1000) },
      );
      await fc.assert(
        property(fc.integer({ min: 0, max: 0xffff }).filter((v) => v !== 1), async (version) => {
          const error = await decode(encodeModel({ runtime: 'native', algorithm: 'linear', task: 'regression', formatVersion: version, payload: new Uint8Array(4) }));
          expect((error as Error).message).toMatch(/version/);
        }),
        { numRuns: PROFILE.runs(200) },
      );
      await fc.assert(
        property(
          fc.uint8Array({ minLength: 1, maxLength: 16 }).filter((junk) => junk.some((b, i) => b !== good[i])),
          fc.uint8Array({ maxLength: 64 }),
          async (junk, extra) => {
          await decode(new Uint8Array([...junk, ...good.slice(junk.length)])); // damaged magic/header
            await decode(new Uint8Array([...good, ...extra, 0])); // trailing bytes
          },
        ),
        { numRuns: PROFILE.runs(300) },
      );
      expect(new CorruptModel('x').code).toBe('CORRUPT_MODEL');
    });

    it('native deserialize (NativeModel.fromBytes, in this process): CorruptModel or a model that still predicts', async () => {
      const meta = (name: string) => ({ task: fitted[name]!.task, algorithm: fitted[name]!.algorithm, numFeatures: 3, numOutputs: fitted[name]!.numOutputs });
      const names = Object.keys(payloads).filter((n) => n.startsWith('native'));
      const load = async (name: string, bytes: Uint8Array, mayLoad: boolean) => {
        const result = await expectClean(() => nativeRuntime.deserialize(bytes, meta(name)), ['CORRUPT_MODEL'], mayLoad);
        // A flipped coefficient still decodes: the model then predicts (numbers, NaN included) or refuses typed.
        if (!(result instanceof PgmlError)) {
          await expectClean(() => nativeRuntime.predict(result as FittedModel, X), ['DATA_ERROR', 'INVALID_ARGUMENT', 'DIMENSION_MISMATCH'], true);
        }
      };
      await fc.assert(property(fc.constantFrom(...names), fc.uint8Array({ maxLength: 512 }), (name, bytes) => load(name, bytes, false)), {
        numRuns: PROFILE.runs(500),
      });
      await fc.assert(
        property(fc.constantFrom(...names), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (name, f) => {
          const good = payloads[name]!;
          return load(name, good.slice(0, Math.floor(f * good.length)), false);
        }),
        { numRuns: PROFILE.runs(500) },
      );
      await fc.assert(
        property(fc.constantFrom(...names), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.nat({ max: 7 }), (name, f, bit) => {
          const bad = payloads[name]!.slice();
          bad[Math.floor(f * bad.length)]! ^= 1 << bit;
          return load(name, bad, true);
        }),
        { numRuns: PROFILE.runs(1000) },
      );
    });

    it('python deserialize (restricted unpickler in the worker): CorruptModel, never a crash', async () => {
      const good = payloads['python linear']!;
      const meta = { task: 'regression' as const, algorithm: 'linear', numFeatures: 3, numOutputs: 1 };
      const load = (bytes: Uint8Array, mayLoad: boolean) => expectClean(() => python.deserialize(bytes, meta), ['CORRUPT_MODEL'], mayLoad);
      await fc.assert(property(fc.uint8Array({ maxLength: 256 }), (bytes) => load(bytes, false)), { numRuns: PROFILE.runs(150) });
      await fc.assert(property(fc.nat({ max: good.length - 2 }), (n) => load(good.slice(0, n), false)), { numRuns: PROFILE.runs(150) });
      await fc.assert(
        property(fc.nat({ max: good.length * 8 - 1 }), async (bit) => {
          const bad = good.slice();
          bad[bit >> 3]! ^= 1 << (bit & 7);
          await load(bad, true);
        }),
        { numRuns: PROFILE.runs(200) },
      );
      // The worker is still the one that started: no case crashed it.
      expect(Number(Array.from(await python.predict(await python.deserialize(good, meta), X)).length)).toBe(60);
    });
  });

  describe('hyperparameters', () => {
    const KNOWN = ['alpha', 'fit_intercept', 'max_iter', 'tol', 'C', 'n_estimators', 'max_depth', 'solver', 'random_state'];
    const HYPER = fc.dictionary(
      fc.oneof(fc.constantFrom(...KNOWN), fc.string({ maxLength: 12 })),
      fc.oneof(ANY_VALUE, fc.jsonValue({ maxDepth: 2 }), fc.integer({ min: -1e9, max: 1e9 })),
      { maxKeys: 4 },
    );
    const CASES: Array<['regression' | 'classification', string]> = [
      ['regression', 'ridge'],
      ['regression', 'lasso'],
      ['classification', 'linear'],
      ['regression', 'decision_tree'],
      ['regression', 'random_forest'],
    ];

    it('native validateHyperparams: accepted with defaults, or INVALID_HYPERPARAMETER', async () => {
      await fc.assert(
        property(fc.constantFrom(...CASES), HYPER, ([task, algorithm], params) =>
          expectClean(() => nativeRuntime.validateHyperparams(task, algorithm, params as Record<string, unknown>), ['INVALID_HYPERPARAMETER'], true),
        ),
        { numRuns: PROFILE.runs(2000) },
      );
    });

    it('unknown keys, wrong types and out-of-range values → INVALID_HYPERPARAMETER on both runtimes', async () => {
      const BAD = fc.oneof(
        fc.record({ alpha: fc.oneof(fc.string(), fc.boolean(), fc.object(), fc.double({ max: -1e-9, noNaN: true })) }),
        fc.record({ max_iter: fc.oneof(fc.string({ minLength: 1 }), fc.integer({ max: -1 }), fc.object()) }),
        fc.string({ minLength: 1, maxLength: 10 }).filter((k) => /^[a-z_]+$/.test(k)).map((k) => ({ [`zz_${k}`]: 1 })),
      );
      await fc.assert(
        property(BAD, (params) => expectClean(() => nativeRuntime.validateHyperparams('regression', 'ridge', params), ['INVALID_HYPERPARAMETER'], false)),
        { numRuns: PROFILE.runs(1000) },
      );
      await fc.assert(
        property(BAD, (params) => expectClean(() => python.checkHyperparams('regression', 'ridge', params), ['INVALID_HYPERPARAMETER'], false)),
        { numRuns: PROFILE.runs(150) },
      );
    });
  });

  describe('feature arrays and identifiers through the SDK (embedded database)', () => {
    let pgml: PostgresML;
    let recorded: string[];
    beforeAll(async () => {
      const { createPgliteDb } = await import('@pgml-ts/sdk');
      const inner = await createPgliteDb('memory://');
      recorded = [];
      pgml = await PostgresML.connect({ db: recording(inner, recorded) });
      await ensureSchema(pgml.db);
      await pgml.db.query('CREATE TABLE public.hostile_data (a float8, b float8, c float8, y float8)');
      await pgml.db.query('CREATE TABLE public.reliability_canary (id int)');
      await pgml.db.query(
        `INSERT INTO public.hostile_data SELECT sin(i), cos(i), i % 7, 2 * sin(i) - cos(i) FROM generate_series(1, 80) i`,
      );
      await pgml.train('hostile native', { task: 'regression', relationName: 'public.hostile_data', yColumnName: 'y', algorithm: 'linear', runtime: 'native' });
      await pgml.train('hostile python', { task: 'regression', relationName: 'public.hostile_data', yColumnName: 'y', algorithm: 'linear', runtime: 'python' });
    });
    afterAll(async () => {
      await pgml?.close();
    });

    it('feature arrays (NaN, ±Inf, huge, wrong length, wrong types) → a number or a typed error', async () => {
      const FEATURES = fc.oneof(
        fc.array(FLOATS, { minLength: 3, maxLength: 3 }),
        fc.array(FLOATS, { maxLength: 6 }),
        fc.array(ANY_VALUE, { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', '__proto__', 'y'), ANY_VALUE),
        ANY_VALUE,
      );
      const CODES = ['DIMENSION_MISMATCH', 'INVALID_ARGUMENT', 'DATA_ERROR', 'EMPTY_INPUT'];
      await fc.assert(
        property(fc.constantFrom('hostile native', 'hostile python'), FEATURES, async (project, features) => {
          const result = await expectClean(() => pgml.predict(project, features as never), CODES, true);
          // Documented: missing values (null, NaN) are imputed by the model's preprocessing or refused as
          // DATA_ERROR; finite and infinite inputs give a number (±Inf/NaN outputs are the arithmetic's).
          if (!(result instanceof PgmlError)) expect(typeof result).toBe('number');
        }),
        { numRuns: PROFILE.runs(1000) },
      );
      await fc.assert(
        property(fc.array(fc.array(FLOATS, { minLength: 3, maxLength: 3 }), { maxLength: 20 }), (rows) =>
          expectClean(() => pgml.predictBatch('hostile native', rows), CODES, true),
        ),
        { numRuns: PROFILE.runs(300) },
      );
    });

    it('identifiers (quotes, semicolons, unicode, very long) → typed errors, and never SQL made of them', async () => {
      const INJECT = fc.constantFrom(
        'x"; DROP TABLE public.reliability_canary; --',
        "'; DROP TABLE public.reliability_canary; --",
        'public.reliability_canary; DROP TABLE public.reliability_canary',
        'a" OR "1"="1',
        'hostile_data"',
        '"public"."hostile_data',
      );
      const NAME = fc.oneof(
        INJECT,
        fc.string({ maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.string({ minLength: 64, maxLength: 5000 }),
        fc.tuple(fc.string({ maxLength: 10 }), INJECT).map(([a, b]) => a + b),
      );
      const CODES = ['UNKNOWN_RELATION', 'UNKNOWN_COLUMN', 'INVALID_ARGUMENT', 'UNKNOWN_PROJECT', 'DATA_ERROR'];
      const check = async (name: string, run: () => Promise<unknown>, allowSuccess = false) => {
        recorded.length = 0;
        await expectClean(run, CODES, allowSuccess);
        // The text may reach SQL only as a bound parameter (then it is not in the text) or as a quoted identifier
        // of a name that exists in the catalog (it was looked up with the text bound first).
        const distinctive = name.length >= 6 && /[^A-Za-z0-9_]/.test(name);
        for (const sql of recorded) {
          for (const q of sql.match(/"(?:[^"]|"")*"/g) ?? []) {
            const ident = q.slice(1, -1).replace(/""/g, '"');
            if (ident === name && !catalog.has(name)) throw new Error(`identifier ${JSON.stringify(name)} was quoted into SQL without existing: ${sql}`);
          }
          if (distinctive && sql.replace(/"(?:[^"]|"")*"/g, '""').includes(name)) {
            throw new Error(`identifier ${JSON.stringify(name)} reached SQL unquoted: ${sql}`);
          }
        }
      };
      const catalog = new Set(
        (await pgml.db.query<{ n: string }>(`SELECT relname AS n FROM pg_class UNION SELECT attname FROM pg_attribute UNION SELECT nspname FROM pg_namespace`)).rows.map((r) => r.n),
      );
      await fc.assert(
        property(NAME, async (name) => {
          await check(name, () => pgml.train(`ident ${name.length}`, { task: 'regression', relationName: name, yColumnName: 'y', algorithm: 'linear', runtime: 'native' }), catalog.has(name));
          await check(name, () => pgml.train(`ident ${name.length}`, { task: 'regression', relationName: 'public.hostile_data', yColumnName: name, algorithm: 'linear', runtime: 'native' }), catalog.has(name));
          // Succeeds only when a project of exactly that name exists (e.g. trained just above): it is bound.
          await check(name, () => pgml.predict(name, [1, 2, 3]), true);
        }),
        { numRuns: PROFILE.runs(300) },
      );
      // Project names are data: any text but empty/NUL is a valid name, bound as a parameter.
      await fc.assert(
        property(fc.oneof(INJECT, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })), async (name) => {
          await check(name, () => pgml.train(name, { task: 'regression', relationName: 'public.hostile_data', yColumnName: 'y', algorithm: 'linear', runtime: 'native' }), true);
        }),
        { numRuns: PROFILE.runs(40) },
      );
      // A real table whose name is an injection: trained on, quoted, nothing dropped.
      const evil = 'x"; DROP TABLE public.reliability_canary; --';
      await pgml.db.query(`CREATE TABLE public."${evil.replace(/"/g, '""')}" AS SELECT * FROM public.hostile_data`);
      const trained = await pgml.train('evil table', { task: 'regression', relationName: `public."${evil.replace(/"/g, '""')}"`, yColumnName: 'y', algorithm: 'linear', runtime: 'native' });
      expect(trained.modelId).toBeGreaterThan(0);
      const canary = await pgml.db.query<{ present: boolean }>(`SELECT to_regclass('public.reliability_canary') IS NOT NULL AS present`);
      expect(canary.rows[0]!.present).toBe(true);
    });
  });
});

/** A Db that records the text of every statement it runs (transactions included). */
function recording(inner: Db, log: string[]): Db {
  const wrap = (db: Db): Db => ({
    engine: db.engine,
    pooled: db.pooled,
    query: (sql, params) => {
      log.push(sql);
      return db.query(sql, params);
    },
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    copyOut: (sql, sink) => {
      log.push(sql);
      return db.copyOut(sql, sink);
    },
    copyIn: (target, data) => {
      log.push(`COPY ${target}`);
      return db.copyIn(target, data);
    },
    close: () => db.close(),
  });
  return wrap(inner);
}
