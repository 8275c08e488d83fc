/** A one-line progress bar on stderr when it is a TTY; plain log lines otherwise (or nothing when quiet). */
export interface Progress {
  total(n: number): void;
  tick(label: string): void;
  log(message: string): void;
  done(): void;
}

export function createProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  let total = 0;
  let done = 0;
  const started = Date.now();
  if (options.quiet) return { total: () => {}, tick: () => {}, log: () => {}, done: () => {} };
  const tty = stream.isTTY === true;
  const draw = (label: string): void => {
    const width = 28;
    const fraction = total ? Math.min(1, done / total) : 0;
    const filled = Math.round(fraction * width);
    const elapsed = Math.round((Date.now() - started) / 1000);
    const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${elapsed}s ${label}`;
    const columns = stream.columns ?? 100;
    stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
  };
  return {
    total(n) {
      total = n;
    },
    tick(label) {
      done++;
      if (tty) draw(label);
    },
    log(message) {
      if (tty) stream.write(`\r\x1b[2K${message}\n`);
      else stream.write(`  ${message}\n`);
    },
    done() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
