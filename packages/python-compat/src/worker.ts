/**
 * A long-lived Python worker (python/pgml_worker) over child_process pipes, speaking protocol.ts frames.
 *
 * One call is on the wire at a time (the worker is sequential anyway); the rest wait in a FIFO here, so a timed-out
 * or aborted call can kill the worker without losing the queued calls, which simply run on a fresh worker.
 * The child is unref'd while idle so it never keeps Node alive, and killed on process exit.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { delimiter } from 'node:path';
import { PgmlError, type PgmlErrorCode } from '@pgml-ts/core';
import { encodeFrame, FrameDecoder, type Frame, type Header, type PayloadBuffer } from './protocol.js';

export const DEFAULT_PYTHON = '/usr/bin/python3';
export const PYTHON_DIR = fileURLToPath(new URL('../python', import.meta.url));
const APT_INSTALL = 'apt-get install -y python3 python3-numpy python3-scipy python3-sklearn python3-xgboost';
const STDERR_TAIL_BYTES = 4096;

export interface PythonVersions {
  python: string;
  numpy: string;
  scipy: string;
  sklearn: string;
  /** null when python3-xgboost is not installed (xgboost algorithms are then unavailable). */
  xgboost: string | null;
}

export interface Handshake {
  versions: PythonVersions;
  pid: number;
}

export interface WorkerOptions {
  /** Interpreter; default `PGML_PYTHON` or /usr/bin/python3 (Debian's, which has scikit-learn). */
  python?: string;
  /** Time allowed for the interpreter to start and import scikit-learn. Default 60 s. */
  startTimeoutMs?: number;
  /** Echo the worker's stderr to this process's stderr (default: `PGML_PYTHON_DEBUG` is set). */
  echoStderr?: boolean;
}

export interface CallOptions {
  /** Kills the worker (Python cannot be interrupted mid-fit) and rejects with code TIMEOUT. */
  timeoutMs?: number;
  /** Rejects with code ABORTED; a call already running in the worker kills it. */
  signal?: AbortSignal;
}

export interface CallResult {
  result: Header;
  /** Python warnings raised during the call (e.g. ConvergenceWarning), "Category: message". */
  warnings: string[];
  buffers: PayloadBuffer[];
}

const PGML_ERROR_CODES = new Set<PgmlErrorCode>([
  'INVALID_ARGUMENT', 'DIMENSION_MISMATCH', 'EMPTY_INPUT', 'ALGORITHM_UNAVAILABLE', 'INVALID_HYPERPARAMETER',
  'CORRUPT_MODEL', 'DATA_ERROR', 'PYTHON_UNAVAILABLE', 'PYTHON_WORKER',
]);

interface Call {
  id: number;
  method: string;
  frame: Buffer[];
  options: CallOptions;
  /** The worker process the call was written to. */
  session?: Session;
  resolve(value: CallResult): void;
  reject(error: Error): void;
  cleanup(): void;
}

interface Session {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<Handshake>;
  stderrTail: string;
  exited: boolean;
  /** Set when we kill the worker on purpose, so its exit is not reported as a crash. */
  killedFor?: Call;
}

/** Children alive in this process, killed synchronously when Node exits. */
const liveChildren = new Set<ChildProcessWithoutNullStreams>();
let exitHookInstalled = false;
function trackChild(child: ChildProcessWithoutNullStreams): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of liveChildren) c.kill('SIGKILL');
    });
  }
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

type Refable = { ref?(): void; unref?(): void };

export class PythonWorker {
  private static shared: PythonWorker | undefined;
  private readonly python: string;
  private readonly startTimeoutMs: number;
  private readonly echoStderr: boolean;
  private session: Session | undefined;
  private readonly queue: Call[] = [];
  private inFlight: Call | undefined;
  private nextId = 1;
  private closed = false;
  /** Increments each time a worker process starts; model caches key on it. */
  generation = 0;

  constructor(options: WorkerOptions = {}) {
    this.python = options.python ?? process.env.PGML_PYTHON ?? DEFAULT_PYTHON;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.echoStderr = options.echoStderr ?? Boolean(process.env.PGML_PYTHON_DEBUG);
  }

  /** The process-wide worker used by `PythonRuntime` unless one is passed in. */
  static default(): PythonWorker {
    if (!PythonWorker.shared || PythonWorker.shared.closed) PythonWorker.shared = new PythonWorker();
    return PythonWorker.shared;
  }

  get pid(): number | undefined {
    return this.session && !this.session.exited ? this.session.child.pid : undefined;
  }

  get running(): boolean {
    return this.pid !== undefined;
  }

  /** Starts the worker if needed and returns its handshake (interpreter and library versions). */
  async handshake(): Promise<Handshake> {
    if (this.closed) throw new PgmlError('PYTHON_WORKER', 'the python worker is closed');
    return this.ensureSession().ready;
  }

  call(method: string, params: Header = {}, buffers: PayloadBuffer[] = [], options: CallOptions = {}): Promise<CallResult> {
    if (this.closed) return Promise.reject(new PgmlError('PYTHON_WORKER', 'the python worker is closed'));
    if (options.signal?.aborted) return Promise.reject(abortedError(method, options.signal));
    return new Promise<CallResult>((resolve, reject) => {
      const id = this.nextId++;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => this.fail(call, abortedError(method, options.signal!));
      const call: Call = {
        id,
        method,
        frame: encodeFrame({ ...params, id, method }, buffers),
        options,
        resolve,
        reject,
        cleanup: () => {
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      };
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(
          () => this.fail(call, new PgmlError('TIMEOUT', `python ${method} timed out after ${options.timeoutMs} ms`, { method, timeoutMs: options.timeoutMs })),
          options.timeoutMs,
        );
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(call);
      this.pump();
    });
  }

  /** Ends the worker process; pending calls reject. A closed worker cannot be reused. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new PgmlError('PYTHON_WORKER', 'the python worker was closed');
    for (const call of this.queue.splice(0)) this.settle(call, error);
    if (this.inFlight) this.settle(this.inFlight, error);
    this.inFlight = undefined;
    const session = this.session;
    this.session = undefined;
    if (session && !session.exited) {
      const exited = new Promise<void>((resolve) => session.child.once('exit', () => resolve()));
      session.child.stdin.end(); // EOF: the worker returns from its read loop
      const force = setTimeout(() => session.child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(force);
    }
  }

  // ---- internals ----

  private ensureSession(): Session {
    if (this.session && !this.session.exited) return this.session;
    const env = { ...process.env, PYTHONPATH: [PYTHON_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter) };
    const child = spawn(this.python, ['-m', 'pgml_worker'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    trackChild(child);
    this.generation++;
    const decoder = new FrameDecoder();
    let settleHandshake: { resolve(h: Handshake): void; reject(e: Error): void } | undefined;
    const session: Session = {
      child,
      stderrTail: '',
      exited: false,
      ready: new Promise<Handshake>((resolve, reject) => (settleHandshake = { resolve, reject })),
    };
    session.ready.catch(() => undefined); // observed through pump(); never an unhandled rejection
    this.session = session;
    const startTimer = setTimeout(() => {
      settleHandshake?.reject(this.workerError(session, `python worker did not start within ${this.startTimeoutMs} ms`));
      child.kill('SIGKILL');
    }, this.startTimeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        this.onCrash(session, this.workerError(session, `unreadable frame from python worker: ${String(error)}`));
        child.kill('SIGKILL');
        return;
      }
      for (const frame of frames) {
        if (frame.header.id === 0 && settleHandshake) {
          clearTimeout(startTimer);
          const handshake = settleHandshake;
          settleHandshake = undefined;
          if (frame.header.ok) handshake.resolve(frame.header.result as Handshake);
          else handshake.reject(toPgmlError(frame.header.error, session.stderrTail));
        } else {
          this.onFrame(frame);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      session.stderrTail = (session.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
      if (this.echoStderr) process.stderr.write(chunk);
    });
    child.stdin.on('error', () => undefined); // EPIPE after a crash: reported by the 'exit' handler
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(startTimer);
      session.exited = true;
      const failure =
        error.code === 'ENOENT' || error.code === 'EACCES'
          ? new PgmlError(
              'PYTHON_UNAVAILABLE',
              `python interpreter ${this.python} cannot be started (${error.code}); install it with: ${APT_INSTALL}` +
                ` — or set PGML_PYTHON to a python3 that has numpy, scipy and scikit-learn`,
              { python: this.python },
            )
          : this.workerError(session, `python worker failed to start: ${error.message}`);
      settleHandshake?.reject(failure);
      settleHandshake = undefined;
      this.onCrash(session, failure);
    });
    child.on('exit', () => {
      clearTimeout(startTimer);
      session.exited = true;
    });
    // 'close' comes after stdout/stderr drained, so the last frame and the whole stderr tail are in.
    child.on('close', (code, signal) => {
      session.exited = true;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const failure = this.workerError(session, `python worker ${how}`, { exitCode: code, signal });
      settleHandshake?.reject(failure);
      settleHandshake = undefined;
      this.onCrash(session, failure);
    });
    this.setRef(session, false);
    return session;
  }

  private pump(): void {
    if (this.inFlight || this.closed) return;
    const call = this.queue.shift();
    if (!call) {
      if (this.session) this.setRef(this.session, false);
      return;
    }
    this.inFlight = call;
    const session = this.ensureSession();
    call.session = session;
    this.setRef(session, true);
    session.ready.then(
      () => {
        if (this.inFlight !== call || session.exited) return;
        for (const chunk of call.frame) session.child.stdin.write(chunk);
      },
      (error: Error) => {
        if (this.inFlight !== call || call.session !== session) return;
        // The worker never came up: every queued call would fail the same way.
        this.inFlight = undefined;
        this.settle(call, error);
        for (const queued of this.queue.splice(0)) this.settle(queued, error);
        if (this.session === session) this.session = undefined;
        this.setRef(session, false);
      },
    );
  }

  private onFrame(frame: Frame): void {
    const call = this.inFlight;
    if (!call || frame.header.id !== call.id) return; // reply to a call that was abandoned
    this.inFlight = undefined;
    if (frame.header.ok) {
      this.settle(call, null, {
        result: (frame.header.result ?? {}) as Header,
        warnings: (frame.header.warnings ?? []) as string[],
        buffers: frame.buffers,
      });
    } else {
      this.settle(call, toPgmlError(frame.header.error, this.session?.stderrTail ?? ''));
    }
    this.pump();
  }

  /** A timeout or abort: if the call is running in the worker, the worker is killed and restarted for the queue. */
  private fail(call: Call, error: PgmlError): void {
    if (this.inFlight === call) {
      this.inFlight = undefined;
      const session = this.session;
      if (session && !session.exited) {
        session.killedFor = call;
        this.session = undefined;
        session.child.kill('SIGKILL');
      }
      this.settle(call, error);
      this.pump();
      return;
    }
    const index = this.queue.indexOf(call);
    if (index >= 0) this.queue.splice(index, 1);
    this.settle(call, error);
  }

  /** The worker died: the running call and every queued call reject; the next call starts a fresh worker. */
  private onCrash(session: Session, error: PgmlError): void {
    if (session.killedFor) return; // we killed it; the queue already moved on
    if (this.session === session) this.session = undefined;
    const pending = this.inFlight?.session === session ? [this.inFlight, ...this.queue.splice(0)] : [];
    this.inFlight = undefined;
    for (const call of pending) this.settle(call, error);
    this.setRef(session, false);
  }

  private settle(call: Call, error: Error | null, value?: CallResult): void {
    call.cleanup();
    if (error) call.reject(error);
    else call.resolve(value!);
  }

  private setRef(session: Session, ref: boolean): void {
    for (const handle of [session.child, session.child.stdout, session.child.stderr, session.child.stdin] as Refable[]) {
      if (ref) handle.ref?.();
      else handle.unref?.();
    }
  }

  private workerError(session: Session, message: string, details: Record<string, unknown> = {}): PgmlError {
    const tail = session.stderrTail.trim();
    return new PgmlError('PYTHON_WORKER', tail ? `${message}; stderr:\n${tail}` : message, {
      ...details,
      python: this.python,
      stderr: tail,
    });
  }
}

function abortedError(method: string, signal: AbortSignal): PgmlError {
  return new PgmlError('ABORTED', `python ${method} was aborted`, { method }, { cause: signal.reason });
}

interface WireError {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  traceback?: string;
}

function toPgmlError(wire: unknown, stderrTail: string): PgmlError {
  const error = (wire ?? {}) as WireError;
  const message = error.message || 'python worker error without a message';
  const details: Record<string, unknown> = { ...error.details };
  if (error.traceback) details.traceback = error.traceback;
  if (error.code && PGML_ERROR_CODES.has(error.code as PgmlErrorCode)) {
    return new PgmlError(error.code as PgmlErrorCode, message, details);
  }
  // Worker-internal codes (e.g. UNKNOWN_MODEL) stay visible to the runtime through details.workerCode.
  const tail = stderrTail.trim();
  return new PgmlError('PYTHON_WORKER', message, { ...details, workerCode: error.code, stderr: tail });
}
