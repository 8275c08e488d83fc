/**
 * The `pgml` CLI (docs/architecture.md#cli). `main(argv)` returns the exit code: 0 ok, 1 user error (`PgmlError`), 2
 * internal.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidArgument } from '@pgml-ts/core';
import { PostgresML } from '../client.js';
import { describeUrlText } from '../drivers/connection-url.js';
import type { Command, GlobalOptions } from './command.js';
import { algorithmsCommand } from './commands/algorithms.js';
import { benchCommand } from './commands/bench.js';
import { dashboardCommand } from './commands/dashboard.js';
import { decomposeCommand } from './commands/decompose.js';
import { deleteCommand } from './commands/delete.js';
import { deployCommand } from './commands/deploy.js';
import { deploymentsCommand } from './commands/deployments.js';
import { explainCommand } from './commands/explain.js';
import { loadDatasetCommand } from './commands/load-dataset.js';
import { migrateCommand } from './commands/migrate.js';
import { modelsCommand } from './commands/models.js';
import { predictCommand } from './commands/predict.js';
import { projectsCommand } from './commands/projects.js';
import { runtimesCommand } from './commands/runtimes.js';
import { snapshotCommand } from './commands/snapshot.js';
import { trainCommand } from './commands/train.js';
import { exportCommand, importCommand } from './commands/transfer.js';
import { vectorCommand } from './commands/vector.js';
import { integerFlag } from './flags.js';
import { Output, type Streams } from './output.js';

const COMMANDS: readonly Command[] = [
  loadDatasetCommand,
  trainCommand,
  predictCommand,
  decomposeCommand,
  snapshotCommand,
  deployCommand,
  deploymentsCommand,
  modelsCommand,
  explainCommand,
  dashboardCommand,
  projectsCommand,
  deleteCommand,
  exportCommand,
  importCommand,
  runtimesCommand,
  algorithmsCommand,
  migrateCommand,
  vectorCommand,
  benchCommand,
];

const GLOBAL_OPTIONS = {
  'database-url': { type: 'string' },
  'lock-timeout': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const GLOBAL_HELP = `Options (before or after the command):
  --database-url URL  PostgreSQL to use (else $DATABASE_URL, else embedded PGlite in $PGML_DATA_DIR or ./.pgml)
  --lock-timeout MS   the embedded database is one process at a time: wait up to MS for another pgml that has it
                      open (else $PGML_LOCK_TIMEOUT, else 0: fail at once with DATABASE_LOCKED)
  --json              print exactly one JSON object on stdout
  -q, --quiet         no progress output
  -h, --help          help for pgml or for a command
  -v, --version       print the version`;

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `pgml — PostgresML's train / predict / deploy API for PostgreSQL and embedded PGlite

Usage: pgml [options] COMMAND [arguments]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

${GLOBAL_HELP}

Run 'pgml COMMAND --help' for a command's arguments.`;
}

function version(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Global flags that take a value as the next argument. */
const GLOBAL_VALUE_FLAGS = ['--database-url', '--lock-timeout'];

/** The command is the first argument that is neither a flag nor the value of a global flag. */
function findCommand(argv: string[]): { command?: Command; name?: string; index: number } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (GLOBAL_VALUE_FLAGS.includes(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return { command: COMMANDS.find((c) => c.name === arg), name: arg, index: i };
  }
  return { index: -1 };
}

function withoutGlobalFlags(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (GLOBAL_VALUE_FLAGS.includes(arg)) i++;
    else if (!['--json', '--quiet', '-q'].includes(arg) && !GLOBAL_VALUE_FLAGS.some((flag) => arg.startsWith(`${flag}=`))) out.push(arg);
  }
  return out;
}

export async function main(argv: string[], streams?: Streams): Promise<number> {
  // Decide --json/--quiet before anything can fail, so even argument errors are reported in the right format.
  const output = new Output({ json: argv.includes('--json'), quiet: argv.includes('--quiet') || argv.includes('-q') }, streams);
  let pgml: PostgresML | undefined;
  try {
    const { command, name, index } = findCommand(argv);
    if (name !== undefined && !command) {
      throw new InvalidArgument(`unknown command ${JSON.stringify(name)}; run 'pgml --help'`);
    }
    const rest = index >= 0 ? [...argv.slice(0, index), ...argv.slice(index + 1)] : argv;
    const options = { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) };
    let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: boolean }>>;
    try {
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: !command?.passThrough });
    } catch (error) {
      throw new InvalidArgument(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}; run 'pgml ${command ? `${command.name} ` : ''}--help'`);
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    if (values.version) {
      output.text(version(), 'version');
      return 0;
    }
    if (values.help) {
      output.text(command ? `${command.help}\n\n${GLOBAL_HELP}` : mainHelp(), 'help');
      return 0;
    }
    if (!command) return output.usageError('no command given', mainHelp());
    const global: GlobalOptions = {
      databaseUrl: (values['database-url'] as string | undefined) || process.env.DATABASE_URL || undefined,
      lockTimeout: integerFlag(values, 'lock-timeout', 0),
      json: Boolean(values.json),
      quiet: Boolean(values.quiet),
    };
    const exitCode = await command.run({
      positionals: parsed.positionals,
      values,
      rawArgs: withoutGlobalFlags(argv.slice(index + 1)),
      global,
      output,
      connect: async () => {
        output.progress(global.databaseUrl ? `connecting to ${describeUrlText(global.databaseUrl)}…` : 'opening the embedded database…');
        // One command, a few predicts at most: a LISTEN connection would cost more than the lookups it saves.
        const serving = { mode: 'per-call' } as const;
        pgml ??= await PostgresML.connect(global.databaseUrl ? { url: global.databaseUrl, serving } : { lockTimeout: global.lockTimeout, serving });
        return pgml;
      },
    });
    return exitCode;
  } catch (error) {
    return output.error(error);
  } finally {
    await pgml?.close().catch(() => {});
  }
}
