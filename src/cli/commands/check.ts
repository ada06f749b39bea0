/**
 * `check FILE...`: validates schema files (strict parse) and gates their evolution against a git
 * revision, another file, or a subject's live versions in a registry.
 */
import { relative, resolve, sep } from 'node:path';
import { parseCompatibilityLevel } from '../../avro/levels.js';
import type { CompatibilityLevel } from '../../avro/types.js';
import { DomainError, isDomainError } from '../../errors.js';
import { optionValue, usage } from '../args.js';
import {
  type AgainstSpec,
  fileBaseline,
  gitBaseline,
  type PreviousSchema,
  parseAgainst,
  type RegistryBaseline,
  registryBaseline,
  repoRelativePath,
} from '../baselines.js';
import { type FileReport, githubReport, humanReport, jsonReport } from '../check-report.js';
import type { Command, CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { gate } from '../gate.js';
import {
  FALLBACK_URL_ENV,
  REGISTRY_OPTIONS,
  REGISTRY_URL_ENV,
  registryClient,
  registryUrl,
} from '../registry-options.js';
import { readSchemaFile } from '../schema-files.js';

const OFFLINE_DEFAULT_LEVEL: CompatibilityLevel = 'BACKWARD';

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate schema files and gate changes against git, a file or a registry subject',
  usage: 'check FILE... [--against git:REF|file:PATH | --registry URL --subject S] [--level LEVEL] [options]',
  details: [
    'Each FILE is parsed strictly (as a registry would accept a new schema). With a baseline, it must also',
    'be compatible with the previous version(s) under the level:',
    '  --against git:REF     the same path at a git revision (a file new at REF passes)',
    '  --against file:PATH   another schema file',
    "  --registry URL --subject S   the subject's live versions, under the subject's configured level",
    '--level overrides the level (offline default BACKWARD). --format github prints one GitHub Actions',
    "annotation per incompatibility, on the line where the offending field's or type's definition starts.",
    'Exit codes: 0 compatible, 1 incompatible, 2 invalid input, 3 registry unreachable or failing.',
  ].join('\n'),
  options: [
    { name: 'against', kind: 'string', value: 'git:REF|file:PATH', description: 'offline baseline' },
    ...REGISTRY_OPTIONS,
    { name: 'subject', kind: 'string', value: 'SUBJECT', description: 'registry subject to gate against' },
    {
      name: 'level',
      kind: 'string',
      value: 'LEVEL',
      description: 'compatibility level (NONE, BACKWARD, ..., FULL_TRANSITIVE)',
    },
  ],
  async run(ctx) {
    const files = ctx.args.positionals;
    if (files.length === 0) throw usage('missing FILE (the schema file(s) to check)');
    const rawAgainst = optionValue(ctx.args, 'against');
    const against = rawAgainst === undefined ? undefined : parseAgainst(rawAgainst);
    const subject = optionValue(ctx.args, 'subject');
    const registry = optionValue(ctx.args, 'registry');
    if (against !== undefined && (subject !== undefined || registry !== undefined)) {
      throw usage('use either --against or --registry/--subject, not both');
    }
    if (registry !== undefined && subject === undefined) throw usage('--registry needs --subject');
    if (subject !== undefined && registryUrl(ctx) === undefined) {
      throw usage(`--subject needs --registry URL (or $${REGISTRY_URL_ENV} or $${FALLBACK_URL_ENV})`);
    }
    const levelOverride = parseLevel(optionValue(ctx.args, 'level'));

    // Validate every file before any network or git work, so bad input always exits 2 first.
    const candidates = files.map((f) => readSchemaFile(resolve(ctx.io.cwd, f), f, 'strict'));
    const remote: RegistryBaseline | undefined =
      subject === undefined ? undefined : await registryBaseline(registryClient(ctx), subject);

    const reports = candidates.map((candidate, i): FileReport => {
      const file = files[i]!;
      const path = resolve(ctx.io.cwd, file);
      const baseline = baselineFor(ctx, path, file, against, remote);
      const annotationPath =
        ctx.format === 'github'
          ? (repoRelativePath(path)?.rel ?? relative(ctx.io.cwd, path).split(sep).join('/'))
          : file;
      const base = { file, annotationPath, against: baseline?.label, messages: [] as string[] };
      if (baseline === undefined) {
        return { ...base, status: 'valid', level: undefined, checkedVersions: [], findings: [] };
      }
      if (baseline.previous.length === 0) {
        return { ...base, status: 'new', level: undefined, checkedVersions: [], findings: [] };
      }
      const level = levelOverride ?? remote?.level ?? OFFLINE_DEFAULT_LEVEL;
      const result = gate(level, candidate.parsed, baseline.previous);
      return {
        ...base,
        status: result.compatible ? 'compatible' : 'incompatible',
        level,
        checkedVersions: result.checked,
        findings: result.findings,
        messages: result.messages,
      };
    });
    print(ctx, reports);
    return reports.some((r) => r.status === 'incompatible') ? EXIT.FAILED : EXIT.OK;
  },
};

function parseLevel(raw: string | undefined): CompatibilityLevel | undefined {
  if (raw === undefined) return undefined;
  try {
    return parseCompatibilityLevel(raw);
  } catch (err) {
    if (isDomainError(err)) throw new DomainError(err.code, `--level '${raw}': ${err.message}`);
    throw err;
  }
}

function baselineFor(
  ctx: CommandContext,
  path: string,
  file: string,
  against: AgainstSpec | undefined,
  remote: RegistryBaseline | undefined,
): { label: string; previous: readonly PreviousSchema[] } | undefined {
  if (remote !== undefined) {
    return { label: `registry:${optionValue(ctx.args, 'subject')}`, previous: remote.previous };
  }
  if (against === undefined) return undefined;
  if (against.kind === 'file')
    return { label: `file:${against.path}`, previous: [fileBaseline(ctx.io.cwd, against.path)] };
  const old = gitBaseline(path, file, against.ref);
  return { label: `git:${against.ref}`, previous: old === undefined ? [] : [old] };
}

function print(ctx: CommandContext, reports: readonly FileReport[]): void {
  if (ctx.format === 'json') ctx.io.stdout(`${JSON.stringify(jsonReport(reports), null, 2)}\n`);
  else if (ctx.format === 'github') ctx.io.stdout(`${githubReport(reports).join('\n')}\n`);
  else ctx.io.stdout(`${humanReport(reports).join('\n')}\n`);
  const failed = reports.filter((r) => r.status === 'incompatible');
  if (failed.length > 0) {
    const count = failed.reduce((n, r) => n + r.findings.length, 0);
    ctx.io.stderr(
      `proximadb-registry: ${failed.map((r) => r.file).join(', ')}: incompatible (${count} incompatibilit${count === 1 ? 'y' : 'ies'})\n`,
    );
  }
}
