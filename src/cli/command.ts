/**
 * What every command shares: its I/O (injected, so commands run in-process in tests), the parsed
 * arguments, the output format, and the `--help` text built from its option specs.
 */
import { describeOptions, type OptionSpec, type ParsedArgs, usage } from './args.js';

export type OutputFormat = 'human' | 'json' | 'github';

export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CommandContext {
  readonly io: CliIo;
  readonly args: ParsedArgs;
  readonly format: OutputFormat;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Synopsis after the program name, e.g. `check FILE... [options]`. */
  readonly usage: string;
  /** Paragraphs shown by `--help` below the synopsis. */
  readonly details: string;
  readonly options: readonly OptionSpec[];
  /** Resolves to the exit code; failures throw (DomainError / RegistryError). */
  run(ctx: CommandContext): Promise<number>;
}

export const PROGRAM = 'proximadb-registry';

export const COMMON_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'format',
    kind: 'string',
    value: 'human|json|github',
    description: 'output format (default human; github prints Actions annotations)',
  },
  { name: 'help', kind: 'boolean', short: 'h', description: 'show this help' },
];

export function parseFormat(raw: string | undefined): OutputFormat {
  if (raw === undefined) return 'human';
  if (raw === 'human' || raw === 'json' || raw === 'github') return raw;
  throw usage(`unknown --format '${raw}' (expected human, json or github)`);
}

export function commandHelp(command: Command): string {
  const parts = [`Usage: ${PROGRAM} ${command.usage}`, '', command.summary];
  if (command.details !== '') parts.push('', command.details);
  parts.push('', 'Options:', describeOptions([...command.options, ...COMMON_OPTIONS]));
  return `${parts.join('\n')}\n`;
}

/** Human lines, or one JSON document on stdout for `--format json`. */
export function emit(ctx: CommandContext, lines: readonly string[], json: unknown): void {
  if (ctx.format === 'json') ctx.io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  else if (lines.length > 0) ctx.io.stdout(`${lines.join('\n')}\n`);
}

/** Exactly `count` positionals (names shown in the usage error), or a usage error. */
export function positionals(ctx: CommandContext, names: readonly string[]): string[] {
  const given = ctx.args.positionals;
  if (given.length < names.length) throw usage(`missing ${names.slice(given.length).join(' ')}`);
  if (given.length > names.length) throw usage(`unexpected argument '${given[names.length]}'`);
  return [...given];
}
