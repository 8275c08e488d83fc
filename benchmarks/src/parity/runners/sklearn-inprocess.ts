/**
 * `sklearn-inprocess`: the python worker's estimators timed inside Python by benchmarks/python/sklearn_inprocess.py
 * (one long-lived process, JSON lines over stdio, data from the same raw f64 files). Its numbers have no bridge in
 * them: `python` minus this is the bridge's cost. On timeout the process is killed and restarted for the next job.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PYTHON, PYTHON_DIR } from '@pgml-ts/python-compat';
import type { Task } from '@pgml-ts/core';
import { FitTimeout, MIN_SINGLE_ROW_CALLS, type BenchJob, type BenchRunner, type RunSample } from '../types.js';
import { pythonRunner } from './python-worker.js';

const SCRIPT = fileURLToPath(new URL('../../../python/sklearn_inprocess.py', import.meta.url));

interface Reply {
  error?: string;
  fitMs: number;
  batchPredictMs: number;
  singleRowMs: number[];
  outputs: number;
  modelBytes: number;
  memory: RunSample['memory'] | null;
  sklearn?: string;
}

class ScriptProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;

  constructor(python: string) {
    this.child = spawn(python, [SCRIPT, PYTHON_DIR], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.resume();
    this.#lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async next(timeoutMs?: number): Promise<Reply> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      if (timeoutMs !== undefined) timer = setTimeout(() => reject(new FitTimeout(timeoutMs)), timeoutMs);
    });
    try {
      const line = await Promise.race([this.#lines.next(), timeout]);
      if (line.done) throw new Error(`sklearn_inprocess.py exited (code ${this.child.exitCode})`);
      return JSON.parse(line.value) as Reply;
    } finally {
      clearTimeout(timer);
    }
  }

  send(job: unknown): void {
    this.child.stdin.write(`${JSON.stringify(job)}\n`);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

let process_: ScriptProcess | undefined;
let hello: Reply | undefined;
let jobCounter = 0;

async function script(): Promise<ScriptProcess> {
  if (!process_) {
    process_ = new ScriptProcess(process.env.PGML_PYTHON ?? DEFAULT_PYTHON);
    hello = await process_.next(60_000);
  }
  return process_;
}

export const sklearnInProcessRunner: BenchRunner = {
  id: 'sklearn-inprocess',
  kind: 'reference',
  get description() {
    return `the same scikit-learn estimators timed inside Python (sklearn ${hello?.sklearn ?? '?'}, time.perf_counter)`;
  },
  async availability() {
    try {
      await script();
      return undefined;
    } catch (error) {
      return `benchmarks/python/sklearn_inprocess.py failed to start: ${(error as Error).message}`;
    }
  },
  supports: (task: Task, algorithm: string) => pythonRunner.supports(task, algorithm),
  async run(job: BenchJob): Promise<RunSample> {
    const proc = await script();
    const { data } = job;
    const predictionsPath = join(data.files.testX, `../sklearn-predictions-${jobCounter++}.f64`);
    proc.send({
      task: job.task,
      algorithm: job.algorithm,
      hyperparams: job.hyperparams,
      trainX: data.files.trainX,
      trainY: data.files.trainY,
      testX: data.files.testX,
      cols: data.train.x.cols,
      yCols: data.train.y?.cols ?? 0,
      singleRowCalls: job.singleRowCalls,
      singleRowBudgetMs: job.singleRowBudgetMs,
      minSingleRowCalls: MIN_SINGLE_ROW_CALLS,
      predictions: predictionsPath,
    });
    let reply: Reply;
    try {
      // The whole job (fit + predictions) must end within the fit limit plus a margin for predicting.
      reply = await proc.next(job.fitTimeoutMs === undefined ? undefined : job.fitTimeoutMs * 1.5);
    } catch (error) {
      proc.kill();
      process_ = undefined;
      // Report the fit limit, as the other runners do (the extra half is the margin for predicting).
      throw error instanceof FitTimeout ? new FitTimeout(job.fitTimeoutMs!) : error;
    }
    if (reply.error) throw new Error(reply.error);
    const bytes = readFileSync(predictionsPath);
    rmSync(predictionsPath, { force: true });
    const predictions = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8).slice();
    return {
      fitMs: reply.fitMs,
      batchPredictMs: reply.batchPredictMs,
      singleRowMs: reply.singleRowMs,
      predictions,
      modelBytes: reply.modelBytes,
      ...(reply.memory ? { memory: reply.memory } : {}),
    };
  },
  async close() {
    process_?.child.stdin.end();
    process_ = undefined;
  },
};
