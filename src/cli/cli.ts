/**
 * The command dispatcher, independent of `process` so tests can run it in-process. Every failure
 * becomes exactly one line on stderr (plus a JSON error document with `--format json`) and the exit
 * code from the shared error table; no stack trace ever reaches the user.
 */
import { optionValue, parseArgs, usage } from './args.js';
import {
  type CliIo,
  COMMON_OPTIONS,
  type Command,
  commandHelp,
  type OutputFormat,
  PROGRAM,
  parseFormat,
} from './command.js';
import { describeFailure, EXIT } from './exit-codes.js';

/**
 * Commands load on demand: a run pays only for its own command's imports (the storage commands pull in
 * SQLite, the registry ones the SDK), which keeps `check` and `sync` quick to start in CI.
 */
const LOADERS: ReadonlyArray<readonly [string, () => Promise<Command>]> = [
  ['sync', async () => (await import('./commands/sync.js')).syncCommand],
  ['check', async () => (await import('./commands/check.js')).checkCommand],
  ['register', async () => (await import('./commands/register.js')).registerCommand],
  ['fetch', async () => (await import('./commands/fetch.js')).fetchCommand],
  ['config', async () => (await import('./commands/config.js')).configCommand],
  ['negotiate', async () => (await import('./commands/negotiate.js')).negotiateCommand],
  ['serve', async () => (await import('./commands/serve.js')).serveCommand],
  // Operations commands written by the storage and auth owners on the same Command interface.
  ['export', async () => (await import('./commands/export.js')).exportCommand],
  ['import', async () => (await import('./commands/import.js')).importCommand],
  ['backup', async () => (await import('./commands/backup.js')).backupCommand],
  ['move-to-postgres', async () => (await import('./commands/move-to-postgres.js')).moveToPostgresCommand],
  ['hash-password', async () => (await import('./commands/hash-password.js')).hashPasswordCommand],
];

export const COMMAND_NAMES: readonly string[] = LOADERS.map(([name]) => name);

export function loadCommand(name: string): Promise<Command> {
  const loader = LOADERS.find(([n]) => n === name)?.[1];
  if (loader === undefined) throw usage(`unknown command '${name}' (see '${PROGRAM} --help')`);
  return loader();
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let format: OutputFormat = sniffFormat(argv);
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h') {
      io.stdout(await programHelp());
      return name === undefined ? EXIT.INVALID : EXIT.OK;
    }
    if (name === 'help') {
      io.stdout(rest[0] === undefined ? await programHelp() : commandHelp(await loadCommand(rest[0])));
      return EXIT.OK;
    }
    if (name === '--version') {
      io.stdout(`${await packageVersion()}\n`);
      return EXIT.OK;
    }
    const command = await loadCommand(name);
    const args = parseArgs(rest, [...command.options, ...COMMON_OPTIONS]);
    if (args.flags.has('help')) {
      io.stdout(commandHelp(command));
      return EXIT.OK;
    }
    format = parseFormat(optionValue(args, 'format'));
    return await command.run({ io, args, format });
  } catch (err) {
    const failure = describeFailure(err);
    if (format === 'json') {
      io.stdout(
        `${JSON.stringify({ ok: false, error: { code: failure.code, message: failure.message } }, null, 2)}\n`,
      );
    }
    io.stderr(`${PROGRAM}: ${failure.message}\n`);
    return failure.exit;
  }
}

/** Errors raised before the options are parsed still honour `--format json` when it is there. */
function sniffFormat(argv: readonly string[]): OutputFormat {
  const i = argv.indexOf('--format');
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--format='))?.slice('--format='.length);
  return value === 'json' ? 'json' : 'human';
}

export async function programHelp(): Promise<string> {
  const commands = await Promise.all(COMMAND_NAMES.map(loadCommand));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'The ProximaDB schema registry toolchain: keep schema copies and generated constants in sync,',
    'gate schema changes on compatibility, and talk to a registry.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run '${PROGRAM} <command> --help' for a command's options.`,
    'Exit codes: 0 ok, 1 incompatible or drift, 2 invalid input or usage, 3 registry unreachable or failing.',
    '',
  ].join('\n');
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
