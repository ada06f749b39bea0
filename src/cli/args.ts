/**
 * A small argument parser (no dependency): long options `--name value` / `--name=value`, boolean flags,
 * a few short aliases, `--` to end options. Anything it does not know is a usage error (exit 2), so a
 * typo in CI never silently turns into a passing gate.
 */
import { DomainError } from '../errors.js';

export interface OptionSpec {
  readonly name: string;
  readonly kind: 'string' | 'boolean';
  /** One-letter alias, e.g. `h` for `--help`. */
  readonly short?: string;
  /** May be given several times (values collected in order). */
  readonly multiple?: boolean;
  /** Shown in `--help`: the value placeholder, e.g. `URL`. */
  readonly value?: string;
  readonly description: string;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly strings: ReadonlyMap<string, readonly string[]>;
  readonly flags: ReadonlySet<string>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short !== undefined).map((s) => [s.short!, s]));
  const positionals: string[] = [];
  const strings = new Map<string, string[]>();
  const flags = new Set<string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    let spec: OptionSpec | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      spec = byName.get(name);
    } else {
      name = arg.slice(1);
      spec = name.length === 1 ? byShort.get(name) : undefined;
    }
    if (spec === undefined) throw usage(`unknown option '${arg}'`);

    if (spec.kind === 'boolean') {
      if (inline !== undefined) throw usage(`option '--${spec.name}' takes no value`);
      flags.add(spec.name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw usage(`option '--${spec.name}' needs a value`);
      }
      value = next;
      i++;
    }
    const seen = strings.get(spec.name);
    if (seen !== undefined && spec.multiple !== true) throw usage(`option '--${spec.name}' given twice`);
    strings.set(spec.name, [...(seen ?? []), value]);
  }
  return { positionals, strings, flags };
}

/** The single value of a string option, or undefined. */
export function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.strings.get(name)?.[0];
}

export function usage(message: string): DomainError {
  return new DomainError('BAD_REQUEST', message);
}

/** Renders the options block of a command's `--help`. */
export function describeOptions(specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => {
    const short = s.short === undefined ? '    ' : `-${s.short}, `;
    const value = s.kind === 'string' ? ` ${s.value ?? 'VALUE'}` : '';
    return [`${short}--${s.name}${value}`, s.description + (s.multiple === true ? ' (repeatable)' : '')];
  });
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`).join('\n');
}
