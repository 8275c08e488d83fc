/**
 * Reads fitted attributes (`coef_`, `intercept_`, `classes_`, …) out of 1.0 pickles, for `--convert-native`.
 * The worker protocol (python-compat) predicts but does not export estimator internals, so this runs one short-lived
 * interpreter per migration with the SAME restricted unpickler (`pgml_worker.safe_pickle`) and returns every numeric
 * array as raw little-endian float64 (base64), so parameters arrive bit-exact.
 * Attribute paths are dotted (`tree_.threshold`); `*` maps over a list (`estimators_.*.tree_.value`), so converters
 * for trees and forests need no Python change. `@xgboost_ubj` is the one derived value: the booster's own UBJSON.
 */
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { PgmlError } from '@pgml-ts/core';
import { DEFAULT_PYTHON, PYTHON_DIR } from '@pgml-ts/python-compat';

const SCRIPT = String.raw`
import base64, json, math, sys
import numpy as np
from pgml_worker.safe_pickle import loads, RefusedGlobal

def encode(value):
    array = np.asarray(value)
    if array.dtype.kind in "biuf":
        data = np.ascontiguousarray(array, dtype="<f8").tobytes()
        return {"shape": list(array.shape), "f64": base64.b64encode(data).decode()}
    return {"value": array.tolist() if array.dtype.kind in "US" else repr(value)}

EXTRACTORS = {"@xgboost_ubj": lambda estimator: {"bytes": base64.b64encode(bytes(estimator.get_booster().save_raw(raw_format="ubj"))).decode()}}

def resolve(obj, path):
    if path in EXTRACTORS:
        return EXTRACTORS[path](obj)
    head, _, rest = path.partition(".")
    if head == "*":
        return {"items": [resolve(item, rest) if rest else encode(item) for item in obj]}
    value = getattr(obj, head)
    return resolve(value, rest) if rest else encode(value)

for line in sys.stdin:
    request = json.loads(line)
    try:
        estimator = loads(base64.b64decode(request["pickle"]))
        params = {k: v for k, v in estimator.get_params(deep=False).items()
                  if isinstance(v, (str, int, bool, type(None))) or (isinstance(v, float) and math.isfinite(v))}
        attributes = {}
        for path in request["attributes"]:
            try:
                attributes[path] = resolve(estimator, path)
            except (AttributeError, TypeError):
                attributes[path] = None
        reply = {"className": type(estimator).__module__ + "." + type(estimator).__qualname__, "params": params, "attributes": attributes}
    except RefusedGlobal as error:
        reply = {"error": str(error)}
    except Exception as error:
        reply = {"error": type(error).__name__ + ": " + str(error)}
    sys.stdout.write(json.dumps(reply) + "\n")
`;

/** A numeric attribute (row-major float64 with its numpy shape), a non-numeric one, or a list of either. */
export type FittedValue = { shape: number[]; data: Float64Array } | { bytes: Uint8Array } | { value: unknown } | { items: FittedValue[] };

export interface FittedAttributes {
  className: string;
  /** `get_params(deep=False)`, JSON-representable values only. */
  params: Record<string, unknown>;
  /** null: the estimator has no such attribute. */
  attributes: Record<string, FittedValue | null>;
}

type WireValue = { shape: number[]; f64: string } | { bytes: string } | { value: unknown } | { items: WireValue[] };

function decode(wire: WireValue): FittedValue {
  if ('items' in wire) return { items: wire.items.map(decode) };
  if ('bytes' in wire) return { bytes: new Uint8Array(Buffer.from(wire.bytes, 'base64')) };
  if ('f64' in wire) {
    const bytes = Buffer.from(wire.f64, 'base64');
    // Copy into an aligned buffer: the base64 decode's offset need not be a multiple of 8.
    return { shape: wire.shape, data: new Float64Array(new Uint8Array(bytes).buffer) };
  }
  return wire;
}

export interface AttributeRequest {
  pickle: Uint8Array;
  attributes: readonly string[];
}

/** One result per request, in order: the attributes, or an Error (refused or unreadable pickle). */
export async function readFittedAttributes(requests: readonly AttributeRequest[], timeoutMs = 300_000): Promise<Array<FittedAttributes | Error>> {
  if (requests.length === 0) return [];
  const python = process.env.PGML_PYTHON ?? DEFAULT_PYTHON;
  const env = { ...process.env, PYTHONPATH: [PYTHON_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter) };
  const child = spawn(python, ['-c', SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
  child.stdin.on('error', () => undefined); // EPIPE when the interpreter dies early: reported below
  for (const request of requests) {
    child.stdin.write(`${JSON.stringify({ pickle: Buffer.from(request.pickle).toString('base64'), attributes: request.attributes })}\n`);
  }
  child.stdin.end();
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new PgmlError('TIMEOUT', `reading fitted attributes took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new PgmlError('PYTHON_UNAVAILABLE', `cannot start ${python}: ${error.message}`));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  if (code !== 0 || lines.length !== requests.length) {
    throw new PgmlError('PYTHON_WORKER', `reading fitted attributes failed (exit ${code}): ${stderr.trim() || 'no output'}`);
  }
  return lines.map((line) => {
    const reply = JSON.parse(line) as { error?: string; className: string; params: Record<string, unknown>; attributes: Record<string, WireValue | null> };
    if (reply.error) return new PgmlError('CORRUPT_MODEL', reply.error);
    return {
      className: reply.className,
      params: reply.params,
      attributes: Object.fromEntries(Object.entries(reply.attributes).map(([k, v]) => [k, v === null ? null : decode(v)])),
    };
  });
}
