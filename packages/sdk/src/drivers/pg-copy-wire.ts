/**
 * `COPY … TO STDOUT` on a node-postgres client with the socket's bytes going straight to a consumer that strips the
 * wire protocol itself (core's `CopySink.wire`, the native decoder). pg-copy-streams parses every CopyData message in
 * JavaScript — one Buffer per row — which costs more CPU than decoding the rows. Like pg-copy-streams, this is a pg
 * "submittable": it takes the socket from pg's parser for the copy and gives it back, with the bytes that are pg's,
 * at CopyDone (or an ErrorResponse); pg then reports CommandComplete/ReadyForQuery or the error as usual.
 */
import type { Duplex } from 'node:stream';
import type { CopySink, WireHandback } from '@pgml-ts/core';

/** The parts of pg's `Connection` this uses (not in @types/pg). */
interface PgConnection {
  stream: Duplex;
  query(text: string): void;
}

type WireSink = Required<Pick<CopySink, 'wire'>>;

export class CopyWireQuery {
  readonly done: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  #connection?: PgConnection;
  #pgDataHandler?: (chunk: Buffer) => void;
  #failed = false;
  readonly #onData = (chunk: Buffer): void => this.#feed(chunk);

  constructor(
    private readonly text: string,
    private readonly sink: WireSink,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Called by pg when the client is ready to run this query. */
  submit(connection: PgConnection): void {
    this.#connection = connection;
    const stream = connection.stream;
    const [pgDataHandler, ...others] = stream.listeners('data') as ((chunk: Buffer) => void)[];
    if (!pgDataHandler || others.length > 0) throw new Error('unexpected pg connection: not exactly one data listener');
    this.#pgDataHandler = pgDataHandler;
    stream.removeListener('data', pgDataHandler);
    stream.on('data', this.#onData);
    connection.query(this.text);
  }

  #feed(chunk: Buffer): void {
    if (this.#failed) return;
    let handed: WireHandback | undefined | Promise<WireHandback | undefined>;
    try {
      handed = this.sink.wire(chunk);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (handed instanceof Promise) {
      // Backpressure: no 'data' events while paused, so chunks still reach the consumer in order.
      const stream = this.#connection!.stream;
      stream.pause();
      handed.then(
        (back) => {
          if (back) this.#handBack(chunk, back);
          stream.resume();
        },
        (error: unknown) => {
          this.#fail(error);
          stream.resume();
        },
      );
    } else if (handed) {
      this.#handBack(chunk, handed);
    }
  }

  #handBack(chunk: Buffer, { offset, carried }: WireHandback): void {
    const stream = this.#connection!.stream;
    stream.removeListener('data', this.#onData);
    stream.on('data', this.#pgDataHandler!);
    const rest = chunk.subarray(offset);
    const pgBytes = carried.length > 0 ? Buffer.concat([carried, rest]) : rest;
    if (pgBytes.length > 0) this.#pgDataHandler!(pgBytes);
  }

  #fail(error: unknown): void {
    // Mid-copy, the connection can only be brought back in step by reading the rest of the table: it is closed
    // instead (pg then fails whatever is queued on it, such as a ROLLBACK, and the server rolls back), and the caller
    // discards it.
    this.#failed = true;
    this.#settle(error);
    this.#connection!.stream.destroy();
  }

  #settle(error?: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    if (error === undefined) this.#resolve();
    else this.#reject(error);
  }

  handleError(error: unknown): void {
    this.#settle(error);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.#settle();
  }
}
