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
export function startPostgres(options?: { log?: (msg: string) => void }): Promise<PostgresServer>;
