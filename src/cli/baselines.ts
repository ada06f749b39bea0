/**
 * The previous versions a schema file is gated against: the same path at a git revision, another file,
 * or a subject's live versions in a registry (with the subject's configured level). Previous versions
 * are parsed leniently: what was accepted before must stay readable even if the rules got stricter.
 */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseSchema } from '../avro/index.js';
import type { CompatibilityLevel, ParsedSchema, SchemaReference } from '../avro/types.js';
import { DomainError, isDomainError } from '../errors.js';
import type { RegistryClient } from '../sdk/registry-client.js';
import { isRegistryError } from '../sdk/registry-error.js';
import type { SubjectVersion } from '../sdk/registry-types.js';
import { parseSchemaText, readText } from './schema-files.js';

export interface PreviousSchema {
  /** Registry version number; 1 for a file or git baseline. */
  readonly version: number;
  /** Where it came from, e.g. `git:HEAD:schemas/x.avsc`. */
  readonly source: string;
  readonly text: string;
  readonly parsed: ParsedSchema;
}

export type AgainstSpec =
  | { readonly kind: 'git'; readonly ref: string }
  | { readonly kind: 'file'; readonly path: string };

export function parseAgainst(raw: string): AgainstSpec {
  if (raw.startsWith('git:') && raw.length > 4) return { kind: 'git', ref: raw.slice(4) };
  if (raw.startsWith('file:') && raw.length > 5) return { kind: 'file', path: raw.slice(5) };
  throw new DomainError('BAD_REQUEST', `--against: expected git:REF or file:PATH, got '${raw}'`);
}

export function fileBaseline(cwd: string, path: string): PreviousSchema {
  const name = path;
  const text = readText(resolve(cwd, path), name);
  return { version: 1, source: `file:${path}`, text, parsed: parseSchemaText(text, name, 'lenient') };
}

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

function gitFailure(err: unknown): string {
  const e = err as { code?: string; stderr?: string; message?: string };
  if (e.code === 'ENOENT') return 'git is not installed (or not on PATH)';
  return (e.stderr ?? e.message ?? String(err)).trim().split('\n')[0] ?? 'git failed';
}

/** The file's path relative to its repository root, `/`-separated, or undefined outside a repository. */
export function repoRelativePath(file: string): { root: string; rel: string } | undefined {
  const dir = dirname(file);
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], dir).trim();
  } catch {
    return undefined;
  }
  // Compare real paths: /tmp may be a symlink, and git reports the resolved top level.
  const rel = relative(realpathSync(top), realpathSync(file)).split(sep).join('/');
  return { root: top, rel };
}

/** The same path at `ref`, or undefined when the file did not exist there (a new file: nothing to gate). */
export function gitBaseline(file: string, name: string, ref: string): PreviousSchema | undefined {
  const dir = dirname(file);
  const repo = repoRelativePath(file);
  if (repo === undefined) throw new DomainError('BAD_REQUEST', `${name}: not inside a git repository`);
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], dir);
  } catch (err) {
    const why = gitFailure(err);
    throw new DomainError(
      'BAD_REQUEST',
      `--against git:${ref}: unknown revision${why === '' ? '' : ` (${why})`}`,
    );
  }
  const spec = `${ref}:${repo.rel}`;
  try {
    git(['cat-file', '-e', spec], dir);
  } catch {
    return undefined;
  }
  let text: string;
  try {
    text = git(['show', spec], dir);
  } catch (err) {
    throw new DomainError('BAD_REQUEST', `git show ${spec} failed: ${gitFailure(err)}`);
  }
  const source = `git:${spec}`;
  return { version: 1, source, text, parsed: parseSchemaText(text, source, 'lenient') };
}

export interface RegistryBaseline {
  readonly level: CompatibilityLevel;
  readonly previous: readonly PreviousSchema[];
}

/** The subject's live versions (oldest first) and its effective level (`defaultToGlobal=true`). */
export async function registryBaseline(client: RegistryClient, subject: string): Promise<RegistryBaseline> {
  const config = await client.getConfig(subject, { defaultToGlobal: true });
  let versions: number[];
  try {
    versions = await client.listVersions(subject);
  } catch (err) {
    if (isRegistryError(err) && err.code === 'SUBJECT_NOT_FOUND')
      return { level: config.compatibilityLevel, previous: [] };
    throw err;
  }
  const fetched = await Promise.all(versions.map((v) => client.getVersion(subject, v)));
  const references = await fetchReferences(client, fetched);
  const previous = fetched.map((sv) => {
    if (sv.schemaType !== undefined && sv.schemaType !== 'AVRO') {
      throw new DomainError(
        'BAD_REQUEST',
        `subject ${subject} version ${sv.version} is ${sv.schemaType}; check handles Avro only`,
      );
    }
    const source = `registry:${subject}/versions/${sv.version}`;
    let parsed: ParsedSchema;
    try {
      parsed = parseSchema(sv.schema, {
        mode: 'lenient',
        references: sv.references ?? [],
        lookup: (ref) => references.get(refKey(ref)),
      });
    } catch (err) {
      if (isDomainError(err)) throw new DomainError('INVALID_SCHEMA', `${source}: ${err.message}`);
      throw err;
    }
    return { version: sv.version, source, text: sv.schema, parsed };
  });
  return { level: config.compatibilityLevel, previous };
}

function refKey(ref: SchemaReference): string {
  return `${ref.subject}\u0000${ref.version}`;
}

/** Everything the versions reference, transitively, so the (synchronous) parser can resolve names. */
async function fetchReferences(
  client: RegistryClient,
  versions: readonly SubjectVersion[],
): Promise<Map<string, { schema: string; references: readonly SchemaReference[] }>> {
  const found = new Map<string, { schema: string; references: readonly SchemaReference[] }>();
  let pending = versions.flatMap((v) => v.references ?? []);
  while (pending.length > 0) {
    const next: SchemaReference[] = [];
    for (const ref of pending) {
      if (found.has(refKey(ref))) continue;
      const sv = await client.getVersion(ref.subject, ref.version);
      found.set(refKey(ref), { schema: sv.schema, references: sv.references ?? [] });
      next.push(...(sv.references ?? []));
    }
    pending = next;
  }
  return found;
}
