/**
 * Server configuration from the environment. Every value is validated up front so that a typo stops
 * start-up with one line naming the variable, instead of surfacing later as a confusing failure.
 */
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from './avro/types.js';
import { DEFAULT_CACHE_MAX_BYTES, MIN_CACHE_MAX_BYTES } from './cache/cache-budget.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface RegistryConfig {
  readonly port: number;
  readonly host: string;
  /** A file path (its parent directory is created) or `:memory:`. */
  readonly databasePath: string;
  readonly defaultCompatibility: CompatibilityLevel;
  readonly logLevel: LogLevel;
  readonly maxBodyBytes: number;
  /** Credentials file (`AUTH_FILE`); access control is off when unset. */
  readonly authFile?: string | undefined;
  /** Server processes on the one database file (`WORKERS`, node:cluster); 1 = no cluster. */
  readonly workers?: number;
  /** `DATABASE_URL`: a PostgreSQL database instead of SQLite (several instances may share it). */
  readonly databaseUrl?: string | undefined;
  /** `PG_POOL_MAX`: connections per process to PostgreSQL. */
  readonly pgPoolMax?: number;
  /** `DATABASE_CONNECT_TIMEOUT_S`: how long start-up waits for an unreachable PostgreSQL. */
  readonly databaseConnectTimeoutS?: number;
  /** `NEGOTIATION_MAX_PARTICIPANTS`: live participants per subject. */
  readonly maxParticipants?: number;
  /** `NEGOTIATION_MAX_WAITERS_PER_SUBJECT`: parked agreement long-polls per subject. */
  readonly maxWaitersPerSubject?: number;
  /** `NEGOTIATION_MAX_WAITERS`: parked agreement long-polls per process. */
  readonly maxWaiters?: number;
  /** Bound on the estimated bytes all in-process caches hold together (`CACHE_MAX_BYTES`). */
  readonly cacheMaxBytes?: number;
  /** Failed logins allowed per client address and per user name in a burst (`LOGIN_FAILURE_LIMIT`); 0 = off. */
  readonly loginFailureLimit?: number;
  /** Seconds for that allowance to refill completely (`LOGIN_FAILURE_WINDOW_SECONDS`). */
  readonly loginFailureWindowSeconds?: number;
}

/** Every setting that has a default (all but the credentials file and the PostgreSQL URL). */
export type ConfigDefaults = Required<Omit<RegistryConfig, 'authFile' | 'databaseUrl'>>;

export const DEFAULT_CONFIG: ConfigDefaults = {
  port: 8081,
  host: '0.0.0.0',
  databasePath: './data/registry.db',
  defaultCompatibility: 'BACKWARD',
  logLevel: 'info',
  maxBodyBytes: 16 * 1024 * 1024,
  workers: 1,
  pgPoolMax: 10,
  databaseConnectTimeoutS: 30,
  maxParticipants: 1_000,
  maxWaitersPerSubject: 1_000,
  maxWaiters: 10_000,
  cacheMaxBytes: DEFAULT_CACHE_MAX_BYTES,
  loginFailureLimit: 10,
  loginFailureWindowSeconds: 60,
};

/** A bad environment value; the entry point prints `message` alone and exits with code 2. */
export class ConfigError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** An unset or blank variable means "use the default" (compose files often pass `VAR=`). */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, min: number, max: number, fallback: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `Invalid ${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
  upper: boolean,
): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = upper ? raw.toUpperCase() : raw.toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`Invalid ${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function loadConfig(env: Env = process.env): RegistryConfig {
  return {
    port: integer(env, 'PORT', 0, 65_535, DEFAULT_CONFIG.port),
    host: read(env, 'HOST') ?? DEFAULT_CONFIG.host,
    databasePath: read(env, 'DATABASE_PATH') ?? DEFAULT_CONFIG.databasePath,
    defaultCompatibility: oneOf(
      env,
      'DEFAULT_COMPATIBILITY',
      COMPATIBILITY_LEVELS,
      DEFAULT_CONFIG.defaultCompatibility,
      true,
    ),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, DEFAULT_CONFIG.logLevel, false),
    // A 1 KiB floor: below that even an ordinary schema could not be registered.
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1024, 1024 * 1024 * 1024, DEFAULT_CONFIG.maxBodyBytes),
    authFile: read(env, 'AUTH_FILE'),
    workers: integer(env, 'WORKERS', 1, 64, DEFAULT_CONFIG.workers),
    databaseUrl: databaseUrl(env),
    pgPoolMax: integer(env, 'PG_POOL_MAX', 1, 1000, DEFAULT_CONFIG.pgPoolMax),
    databaseConnectTimeoutS: integer(
      env,
      'DATABASE_CONNECT_TIMEOUT_S',
      0,
      3600,
      DEFAULT_CONFIG.databaseConnectTimeoutS,
    ),
    maxParticipants: integer(
      env,
      'NEGOTIATION_MAX_PARTICIPANTS',
      1,
      1_000_000,
      DEFAULT_CONFIG.maxParticipants,
    ),
    maxWaitersPerSubject: integer(
      env,
      'NEGOTIATION_MAX_WAITERS_PER_SUBJECT',
      1,
      1_000_000,
      DEFAULT_CONFIG.maxWaitersPerSubject,
    ),
    maxWaiters: integer(env, 'NEGOTIATION_MAX_WAITERS', 1, 10_000_000, DEFAULT_CONFIG.maxWaiters),
    // 1 MiB floor: below it the caches' shares could not hold an ordinary schema. 1 TiB is "no bound".
    cacheMaxBytes: integer(env, 'CACHE_MAX_BYTES', MIN_CACHE_MAX_BYTES, 2 ** 40, DEFAULT_CACHE_MAX_BYTES),
    loginFailureLimit: integer(env, 'LOGIN_FAILURE_LIMIT', 0, 1_000_000, DEFAULT_CONFIG.loginFailureLimit),
    loginFailureWindowSeconds: integer(
      env,
      'LOGIN_FAILURE_WINDOW_SECONDS',
      1,
      86_400,
      DEFAULT_CONFIG.loginFailureWindowSeconds,
    ),
  };
}

/**
 * `DATABASE_URL`, checked for shape only (reachability is start-up's business). The message never
 * repeats the value: it carries the password.
 */
function databaseUrl(env: Env): string | undefined {
  const raw = read(env, 'DATABASE_URL');
  if (raw === undefined) return undefined;
  const expected = 'expected postgres://user:password@host:port/database';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`Invalid DATABASE_URL: not a URL (${expected})`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      `Invalid DATABASE_URL: the scheme must be postgres:// or postgresql:// (${expected})`,
    );
  }
  if (url.hostname === '') throw new ConfigError(`Invalid DATABASE_URL: no host (${expected})`);
  if (url.port !== '' && !/^\d+$/.test(url.port))
    throw new ConfigError(`Invalid DATABASE_URL: bad port (${expected})`);
  return raw;
}
