export interface PostgresServer {
  url: string;
  port: number;
  dataDir: string;
  socketDir: string;
  pgBin: string;
  stop(): void;
  pgCtl(args: string[]): Buffer;
  /** `pg_ctl stop -m immediate`: kills every backend without a checkpoint, keeps the data directory. */
  stopImmediate(): Buffer;
  /** Starts the stopped server again: same data directory, port and options. */
  restart(): void;
}
/** `settings` adds or overrides server settings, e.g. `{ shared_buffers: '1GB' }`. */
export function startPostgres(options?: { log?: (msg: string) => void; settings?: Record<string, string | number> }): Promise<PostgresServer>;
/** A hot standby of `primary` (streaming replication, read-only, `pg_is_in_recovery()` true) on a port of its own. */
export function startStandby(primary: PostgresServer, options?: { log?: (msg: string) => void }): Promise<PostgresServer>;
