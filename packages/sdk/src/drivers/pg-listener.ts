/**
 * `Db.listen` for node-postgres: one dedicated `pg.Client` (never a pooled connection: LISTEN belongs to a session)
 * that re-connects with backoff when it drops. A hot standby cannot LISTEN (PostgreSQL delivers no notifications
 * during recovery): that is detected with `pg_is_in_recovery()` and reported once as `unavailable`.
 *
 * A connection the server closes (restart, pg_terminate_backend) is noticed at once; one that silently stops
 * (a network partition: no FIN, no RST) only by a round trip, so the listener runs `SELECT 1` every
 * `HEARTBEAT_MS` and treats no answer within `HEARTBEAT_MS` as a drop — a lost notification then costs at most
 * twice that before the client falls back to per-call lookups.
 */
import type { ChannelEvents, ChannelSubscription } from '@pgml-ts/core';
import pg from 'pg';

const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 2000;
export const HEARTBEAT_MS = 1000;

export function listenOnPg(config: pg.ClientConfig, channel: string, events: ChannelEvents): ChannelSubscription {
  let closed = false;
  let client: pg.Client | undefined;
  let retryMs = FIRST_RETRY_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const retry = (error: Error): void => {
    if (closed) return;
    events.interrupted(error);
    timer = setTimeout(connect, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  const connect = (): void => {
    timer = undefined;
    if (closed) return;
    const current = new pg.Client({ ...config, keepAlive: true });
    client = current;
    let failed = false;
    const fail = (error: Error): void => {
      if (failed || client !== current) return;
      failed = true;
      client = undefined;
      if (heartbeat) clearInterval(heartbeat);
      current.end().catch(() => undefined);
      retry(error);
    };
    current.on('error', fail);
    current.on('end', () => fail(new Error('the listening connection ended')));
    current.on('notification', (message) => {
      if (client === current && message.channel === channel) events.notification(message.payload ?? '');
    });
    void (async () => {
      await current.connect();
      const recovery = await current.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
      if (recovery.rows[0]?.standby) {
        failed = true; // not an outage: no retry
        client = undefined;
        await current.end().catch(() => undefined);
        events.unavailable('the server is a hot standby (pg_is_in_recovery): it delivers no notifications');
        return;
      }
      await current.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (client !== current || closed) return;
      retryMs = FIRST_RETRY_MS;
      heartbeat = setInterval(() => beat(current, fail), HEARTBEAT_MS);
      heartbeat.unref();
      events.listening({ backendPid: (current as pg.Client & { processID?: number }).processID ?? null });
    })().catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
  };

  connect();
  return {
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      if (heartbeat) clearInterval(heartbeat);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

/**
 * One round trip on the listening connection; no answer within HEARTBEAT_MS is a drop. The verdict waits one
 * turn of the event loop (setImmediate runs after the I/O poll): when this process itself was too busy to read its
 * sockets for a second, an answer that did arrive is read first rather than the connection blamed.
 */
function beat(client: pg.Client, fail: (error: Error) => void): void {
  let answered = false;
  const overdue = setTimeout(() => {
    setImmediate(() => {
      if (!answered) fail(new Error(`the listening connection did not answer within ${HEARTBEAT_MS} ms`));
    }).unref();
  }, HEARTBEAT_MS);
  overdue.unref();
  client.query('SELECT 1').then(
    () => {
      answered = true;
      clearTimeout(overdue);
    },
    (error: unknown) => {
      answered = true;
      clearTimeout(overdue);
      fail(error instanceof Error ? error : new Error(String(error)));
    },
  );
}
