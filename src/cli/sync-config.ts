/**
 * `schema-sync.json`: which master schema is copied where and which constant files are generated from
 * it. Paths are relative to the file's own directory (the repository root). The file is validated
 * strictly: an unknown key is an error, because a typo there would silently stop guarding a copy.
 *
 *   { "master": "schemas/x.avsc", "copies": ["docs/x.avsc"],
 *     "constants": { "typescript": "src/generated/x.ts", "python": "py/x.py", "rust": "rs/x.rs" } }
 *
 * or `{ "schemas": [ <that object>, ... ] }` for several masters.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DomainError } from '../errors.js';

export const CONFIG_FILE = 'schema-sync.json';
export const LANGUAGES = ['typescript', 'python', 'rust'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface SyncPath {
  /** Absolute path. */
  readonly path: string;
  /** Relative to the config's directory, `/`-separated (what reports and headers show). */
  readonly rel: string;
}

export interface SyncTarget {
  readonly master: SyncPath;
  readonly copies: readonly SyncPath[];
  readonly constants: ReadonlyArray<SyncPath & { readonly language: Language }>;
}

export interface SyncConfig {
  readonly file: string;
  readonly root: string;
  readonly targets: readonly SyncTarget[];
}

/** `--config PATH`, or the nearest `schema-sync.json` from `cwd` up to the repository root. */
export function locateConfig(cwd: string, explicit: string | undefined): string {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw invalid(`config file not found: ${explicit}`);
    return file;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) return file;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  throw invalid(
    `no ${CONFIG_FILE} found in ${cwd} or its parents up to the repository root (use --config PATH)`,
  );
}

export function loadSyncConfig(file: string, cwd: string): SyncConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw invalid(`cannot read ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new DomainError(
      'MALFORMED_JSON',
      `${relative(cwd, file) || file}: invalid JSON: ${(err as Error).message}`,
    );
  }
  const root = dirname(file);
  const where = relative(cwd, file) || file;
  if (!isObject(raw)) throw invalid(`${where}: expected a JSON object`);
  let entries: unknown[];
  if ('schemas' in raw) {
    checkKeys(raw, ['schemas', '$schema', '$comment'], where);
    if (!Array.isArray(raw.schemas) || raw.schemas.length === 0) {
      throw invalid(`${where}: "schemas" must be a non-empty array`);
    }
    entries = raw.schemas;
  } else {
    entries = [raw];
  }
  const targets = entries.map((entry, i) =>
    parseTarget(entry, root, 'schemas' in raw ? `${where}: schemas[${i}]` : where),
  );
  checkOutputsDistinct(targets, where);
  return { file, root, targets };
}

function parseTarget(raw: unknown, root: string, where: string): SyncTarget {
  if (!isObject(raw)) throw invalid(`${where}: expected an object`);
  checkKeys(raw, ['master', 'copies', 'constants', '$schema', '$comment'], where);
  if (typeof raw.master !== 'string' || raw.master === '') {
    throw invalid(`${where}: "master" must be the path of the master schema`);
  }
  const master = syncPath(root, raw.master, `${where}: "master"`);
  const copies = pathList(raw.copies ?? [], root, `${where}: "copies"`);
  const constants: Array<SyncPath & { language: Language }> = [];
  const rawConstants = raw.constants ?? {};
  if (!isObject(rawConstants)) throw invalid(`${where}: "constants" must be an object keyed by language`);
  for (const [language, value] of Object.entries(rawConstants)) {
    if (!(LANGUAGES as readonly string[]).includes(language)) {
      throw invalid(
        `${where}: unknown language "${language}" in "constants" (expected ${LANGUAGES.join(', ')})`,
      );
    }
    for (const p of pathList(value, root, `${where}: "constants.${language}"`)) {
      constants.push({ ...p, language: language as Language });
    }
  }
  return { master, copies, constants };
}

function pathList(value: unknown, root: string, where: string): SyncPath[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p === '')) {
    throw invalid(`${where} must be a path or an array of paths`);
  }
  return (list as string[]).map((p) => syncPath(root, p, where));
}

function syncPath(root: string, p: string, where: string): SyncPath {
  if (isAbsolute(p)) throw invalid(`${where}: path must be relative to the config file: ${p}`);
  const path = resolve(root, p);
  return { path, rel: relative(root, path).split(sep).join('/') };
}

/** Two outputs on one path (or an output on a master) would make sync order-dependent. */
function checkOutputsDistinct(targets: readonly SyncTarget[], where: string): void {
  const masters = new Set(targets.map((t) => t.master.path));
  const seen = new Set<string>();
  for (const t of targets) {
    for (const out of [...t.copies, ...t.constants]) {
      if (masters.has(out.path)) throw invalid(`${where}: output ${out.rel} is also a master schema`);
      if (seen.has(out.path)) throw invalid(`${where}: output ${out.rel} is listed twice`);
      seen.add(out.path);
    }
  }
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw invalid(
        `${where}: unknown key "${key}" (expected ${allowed.filter((k) => !k.startsWith('$')).join(', ')})`,
      );
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): DomainError {
  return new DomainError('BAD_REQUEST', message);
}
