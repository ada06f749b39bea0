/**
 * `sync`: writes every copy of each master schema and the generated constants; `sync --check` writes
 * nothing and fails (exit 1) listing every copy that differs from its master and every stale or missing
 * generated file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { DomainError } from '../../errors.js';
import { optionValue } from '../args.js';
import { buildSchemaModel } from '../codegen/model.js';
import { generatePython } from '../codegen/python.js';
import { generateRust } from '../codegen/rust.js';
import { generateTypeScript } from '../codegen/typescript.js';
import { type Command, type CommandContext, emit, positionals } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { digestOf, parseSchemaText, readBytes } from '../schema-files.js';
import { shortDiff } from '../short-diff.js';
import {
  type Language,
  loadSyncConfig,
  locateConfig,
  type SyncConfig,
  type SyncTarget,
} from '../sync-config.js';

type OutputKind = 'copy' | Language;
type Status = 'written' | 'unchanged' | 'up-to-date' | 'missing' | 'drifted' | 'stale';

interface OutputReport {
  readonly path: string;
  readonly kind: OutputKind;
  readonly master: string;
  readonly status: Status;
  readonly diff?: string;
}

const GENERATORS: Record<Language, typeof generateTypeScript> = {
  typescript: generateTypeScript,
  python: generatePython,
  rust: generateRust,
};

export const syncCommand: Command = {
  name: 'sync',
  summary: 'copy master schemas and generate TypeScript/Python/Rust constants (--check: fail on drift)',
  usage: 'sync [--check] [--config PATH] [options]',
  details: [
    'Reads schema-sync.json (the nearest one from the working directory up to the repository root, or',
    '--config PATH): for each master schema, the copies to keep byte-identical and the constant files to',
    'generate. The master is parsed strictly first; an invalid master changes nothing.',
    '',
    'With --check nothing is written: exit 1 lists every copy that differs (with a short diff) and every',
    'generated file that is stale or missing.',
  ].join('\n'),
  options: [
    { name: 'check', kind: 'boolean', description: 'change nothing; exit 1 if any output is out of date' },
    {
      name: 'config',
      kind: 'string',
      value: 'PATH',
      description: 'sync config (default: nearest schema-sync.json)',
    },
  ],
  async run(ctx) {
    positionals(ctx, []);
    const config = loadSyncConfig(locateConfig(ctx.io.cwd, optionValue(ctx.args, 'config')), ctx.io.cwd);
    const check = ctx.args.flags.has('check');
    // Everything is computed before anything is written, so one bad master leaves the tree untouched.
    const planned = config.targets.flatMap(plan);
    const reports = planned.map((p) => (check ? verify(p) : write(p)));
    return report(ctx, config, reports, check);
  },
};

interface Planned {
  readonly path: string;
  readonly rel: string;
  readonly kind: OutputKind;
  readonly master: string;
  readonly content: Buffer;
}

function plan(target: SyncTarget): Planned[] {
  const masterName = target.master.rel;
  const raw = readBytes(target.master.path, masterName);
  const parsed = parseSchemaText(raw.toString('utf8'), masterName, 'strict');
  const model = buildSchemaModel(masterName, parsed, digestOf(parsed));
  return [
    ...target.copies.map((c) => ({
      path: c.path,
      rel: c.rel,
      kind: 'copy' as const,
      master: masterName,
      content: raw,
    })),
    ...target.constants.map((c) => ({
      path: c.path,
      rel: c.rel,
      kind: c.language,
      master: masterName,
      content: Buffer.from(GENERATORS[c.language](model), 'utf8'),
    })),
  ];
}

function current(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function write(p: Planned): OutputReport {
  const existing = current(p.path);
  if (existing?.equals(p.content))
    return { path: p.rel, kind: p.kind, master: p.master, status: 'unchanged' };
  try {
    mkdirSync(dirname(p.path), { recursive: true });
    writeFileSync(p.path, p.content);
  } catch (err) {
    throw new DomainError('BAD_REQUEST', `cannot write ${p.rel}: ${(err as Error).message}`);
  }
  return { path: p.rel, kind: p.kind, master: p.master, status: 'written' };
}

function verify(p: Planned): OutputReport {
  const existing = current(p.path);
  const base = { path: p.rel, kind: p.kind, master: p.master };
  if (existing === undefined) return { ...base, status: 'missing' };
  if (existing.equals(p.content)) return { ...base, status: 'up-to-date' };
  const diff = shortDiff(
    p.content.toString('utf8'),
    existing.toString('utf8'),
    p.kind === 'copy' ? p.master : `${p.rel} (expected)`,
    p.rel,
  );
  return { ...base, status: p.kind === 'copy' ? 'drifted' : 'stale', diff };
}

function report(
  ctx: CommandContext,
  config: SyncConfig,
  reports: readonly OutputReport[],
  check: boolean,
): number {
  const bad = reports.filter((r) => r.status === 'missing' || r.status === 'drifted' || r.status === 'stale');
  const configName = relative(ctx.io.cwd, config.file).split(sep).join('/') || config.file;
  const lines: string[] = [];
  for (const r of reports) {
    const what = r.kind === 'copy' ? `copy of ${r.master}` : `${r.kind} constants from ${r.master}`;
    lines.push(`${label(r.status)} ${r.path} (${what})`);
    if (r.diff !== undefined) lines.push(...r.diff.split('\n').map((l) => `    ${l}`));
  }
  if (check && bad.length > 0) {
    lines.push(
      `${bad.length} output(s) out of date with ${configName}; run 'proximadb-registry sync' to fix.`,
    );
  } else if (check) {
    lines.push(`All ${reports.length} output(s) up to date with ${configName}.`);
  } else {
    const written = reports.filter((r) => r.status === 'written').length;
    lines.push(`Wrote ${written} of ${reports.length} output(s) from ${configName}.`);
  }
  emit(ctx, lines, {
    ok: bad.length === 0,
    mode: check ? 'check' : 'write',
    config: configName,
    outputs: reports,
  });
  if (check && bad.length > 0) {
    ctx.io.stderr(
      `proximadb-registry: ${bad.length} schema output(s) out of date: ${bad.map((b) => b.path).join(', ')}\n`,
    );
    return EXIT.FAILED;
  }
  return EXIT.OK;
}

function label(status: Status): string {
  switch (status) {
    case 'written':
      return 'wrote    ';
    case 'unchanged':
    case 'up-to-date':
      return 'ok       ';
    case 'missing':
      return 'MISSING  ';
    case 'drifted':
      return 'DRIFTED  ';
    case 'stale':
      return 'STALE    ';
  }
}
