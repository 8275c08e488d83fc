export interface PostgresServer {
  url: string;
  port: number;
  dataDir: string;
  socketDir: string;
  pgBin: string;
  stop(): void;
  pgCtl(args: string[]): Buffer;
}
export function startPostgres(options?: { log?: (msg: string) => void }): Promise<PostgresServer>;
