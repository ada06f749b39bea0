/**
 * The credentials file (`AUTH_FILE`): who may call the registry and what they may touch.
 *
 * Secrets are never stored in the clear: passwords as `scrypt$N$r$p$salt$hash` (salt and hash base64url),
 * bearer tokens as `sha256$<hex>` (tokens are random and long, so a fast hash is enough; passwords are
 * not, hence scrypt). Every comparison of a secret is `timingSafeEqual` on equal-length digests.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type Role = 'read' | 'write' | 'admin';
export type Access = 'none' | 'read' | 'write';

export interface PrefixRule {
  /** Subjects starting with this string (a trailing `*` is accepted and ignored; `''` matches all). */
  readonly prefix: string;
  readonly access: Access;
}

export interface UserEntry {
  readonly name: string;
  readonly role: Role;
  readonly passwordHash: ParsedScrypt | undefined;
  /** SHA-256 digests of the user's bearer tokens. */
  readonly tokenDigests: readonly Buffer[];
  readonly permissions: readonly PrefixRule[];
}

export interface Credentials {
  readonly users: readonly UserEntry[];
  /** Rules for every non-admin user whose own permissions don't say otherwise (e.g. protect `proximadb-`). */
  readonly defaultPermissions: readonly PrefixRule[];
}

export interface ParsedScrypt {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const ROLES: readonly Role[] = ['read', 'write', 'admin'];
const ACCESSES: readonly Access[] = ['none', 'read', 'write'];
/** Defaults: ~16 MiB and tens of ms per verification, OWASP's minimum for scrypt. */
export const SCRYPT_DEFAULTS = { N: 16_384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
/** A file asking for more than this would let a typo stall every login; refuse it at load time. */
const MAX_SCRYPT_N = 1 << 20;

export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

function scrypt(password: string, salt: Buffer, keyLength: number, N: number, r: number, p: number) {
  return new Promise<Buffer>((resolve, reject) => {
    // maxmem must cover 128*N*r*p or node refuses; the margin keeps the check from tripping on overhead.
    const maxmem = 128 * N * r * p + 32 * 1024 * 1024;
    scryptCb(password, salt, keyLength, { N, r, p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  opts: { N?: number; r?: number; p?: number } = {},
): Promise<string> {
  const N = opts.N ?? SCRYPT_DEFAULTS.N;
  const r = opts.r ?? SCRYPT_DEFAULTS.r;
  const p = opts.p ?? SCRYPT_DEFAULTS.p;
  checkScryptParams(N, r, p);
  const salt = randomBytes(SCRYPT_DEFAULTS.saltLength);
  const key = await scrypt(password, salt, SCRYPT_DEFAULTS.keyLength, N, r, p);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export function hashToken(token: string): string {
  return `sha256$${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** A fresh random bearer token (256 bits) with its storable hash. */
export function generateToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

function checkScryptParams(N: number, r: number, p: number): void {
  if (!Number.isInteger(N) || N < 2 || N > MAX_SCRYPT_N || (N & (N - 1)) !== 0) {
    throw new CredentialsError(`scrypt N must be a power of two between 2 and ${MAX_SCRYPT_N}, got ${N}`);
  }
  if (!Number.isInteger(r) || r < 1 || r > 64) throw new CredentialsError(`scrypt r must be 1..64, got ${r}`);
  if (!Number.isInteger(p) || p < 1 || p > 16) throw new CredentialsError(`scrypt p must be 1..16, got ${p}`);
}

export function parseScryptHash(text: string): ParsedScrypt {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    throw new CredentialsError('password hash must look like scrypt$N$r$p$salt$hash');
  }
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const nums = [n, r, p].map((s) => (/^[0-9]{1,8}$/.test(s) ? Number(s) : Number.NaN));
  checkScryptParams(nums[0] ?? Number.NaN, nums[1] ?? Number.NaN, nums[2] ?? Number.NaN);
  const saltBuf = Buffer.from(salt, 'base64url');
  const hashBuf = Buffer.from(hash, 'base64url');
  if (saltBuf.length < 8 || hashBuf.length < 16) {
    throw new CredentialsError('password hash has a salt under 8 bytes or a key under 16 bytes');
  }
  return { N: nums[0] ?? 0, r: nums[1] ?? 0, p: nums[2] ?? 0, salt: saltBuf, hash: hashBuf };
}

export async function verifyPassword(password: string, stored: ParsedScrypt): Promise<boolean> {
  const key = await scrypt(password, stored.salt, stored.hash.length, stored.N, stored.r, stored.p);
  return timingSafeEqual(key, stored.hash);
}

function parseTokenHash(text: string): Buffer {
  const m = /^sha256\$([0-9a-f]{64})$/.exec(text);
  if (!m?.[1]) throw new CredentialsError('token hash must look like sha256$<64 lowercase hex digits>');
  return Buffer.from(m[1], 'hex');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new CredentialsError(`${where}: unknown key "${key}"`);
  }
}

function parseRules(value: unknown, where: string): PrefixRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CredentialsError(`${where} must be an array`);
  return value.map((rule, i) => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(rule)) throw new CredentialsError(`${at} must be an object`);
    checkKeys(rule, ['prefix', 'access'], at);
    if (typeof rule.prefix !== 'string') throw new CredentialsError(`${at}.prefix must be a string`);
    if (!ACCESSES.includes(rule.access as Access)) {
      throw new CredentialsError(`${at}.access must be one of ${ACCESSES.join(', ')}`);
    }
    const prefix = rule.prefix.endsWith('*') ? rule.prefix.slice(0, -1) : rule.prefix;
    return { prefix, access: rule.access as Access };
  });
}

/** Validates a parsed credentials document; every problem names where it is (never the secret itself). */
export function parseCredentials(doc: unknown): Credentials {
  if (!isPlainObject(doc)) throw new CredentialsError('credentials must be a JSON object');
  checkKeys(doc, ['users', 'defaultPermissions'], 'credentials');
  if (!Array.isArray(doc.users)) throw new CredentialsError('credentials.users must be an array');
  const seen = new Set<string>();
  const users = doc.users.map((u, i): UserEntry => {
    const at = `users[${i}]`;
    if (!isPlainObject(u)) throw new CredentialsError(`${at} must be an object`);
    checkKeys(u, ['name', 'role', 'password', 'tokens', 'permissions'], at);
    if (typeof u.name !== 'string' || u.name === '' || u.name.includes(':')) {
      throw new CredentialsError(`${at}.name must be a non-empty string without ':'`);
    }
    if (seen.has(u.name)) throw new CredentialsError(`${at}: duplicate user "${u.name}"`);
    seen.add(u.name);
    if (!ROLES.includes(u.role as Role))
      throw new CredentialsError(`${at}.role must be one of ${ROLES.join(', ')}`);
    let passwordHash: ParsedScrypt | undefined;
    if (u.password !== undefined) {
      if (typeof u.password !== 'string') throw new CredentialsError(`${at}.password must be a string`);
      try {
        passwordHash = parseScryptHash(u.password);
      } catch (e) {
        throw new CredentialsError(`${at}.password: ${(e as Error).message}`);
      }
    }
    const tokens = u.tokens ?? [];
    if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string')) {
      throw new CredentialsError(`${at}.tokens must be an array of strings`);
    }
    const tokenDigests = (tokens as string[]).map((t, j) => {
      try {
        return parseTokenHash(t);
      } catch (e) {
        throw new CredentialsError(`${at}.tokens[${j}]: ${(e as Error).message}`);
      }
    });
    if (!passwordHash && tokenDigests.length === 0) {
      throw new CredentialsError(`${at} ("${u.name}") has neither a password nor a token`);
    }
    return {
      name: u.name,
      role: u.role as Role,
      passwordHash,
      tokenDigests,
      permissions: parseRules(u.permissions, `${at}.permissions`),
    };
  });
  return { users, defaultPermissions: parseRules(doc.defaultPermissions, 'credentials.defaultPermissions') };
}

export function loadCredentialsFile(path: string): Credentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CredentialsError(
      `cannot read AUTH_FILE ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // The parser's message may quote file content, which could be a secret; keep it out.
    throw new CredentialsError(`AUTH_FILE ${path} is not valid JSON`);
  }
  try {
    return parseCredentials(doc);
  } catch (e) {
    throw new CredentialsError(`AUTH_FILE ${path}: ${(e as Error).message}`);
  }
}

const ACCESS_RANK: Record<Access, number> = { none: 0, read: 1, write: 2 };

export function accessAllows(have: Access, need: 'read' | 'write'): boolean {
  return ACCESS_RANK[have] >= ACCESS_RANK[need];
}

/**
 * What a user may do on a subject: admins everything; otherwise the longest matching prefix rule among
 * the user's own and the defaults (the user's own wins a tie), else what the role gives.
 */
export function subjectAccess(creds: Credentials, user: UserEntry, subject: string): Access {
  if (user.role === 'admin') return 'write';
  let best: PrefixRule | undefined;
  for (const rule of user.permissions) {
    if (subject.startsWith(rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
  }
  for (const rule of creds.defaultPermissions) {
    if (subject.startsWith(rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
  }
  if (best) return best.access;
  return user.role === 'write' ? 'write' : 'read';
}
