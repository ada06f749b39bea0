/**
 * The options every registry-talking command shares (register, fetch, config, negotiate, check,
 * export, import), and the SDK client built from them: ONE convention for all of them. The URL comes
 * from `--registry`, else `PROXIMADB_REGISTRY_URL`, else `SCHEMA_REGISTRY_URL` (the name Confluent's
 * tooling uses, so an existing environment works); a bearer token from `PROXIMADB_REGISTRY_TOKEN`.
 * CI secrets never need to appear on a command line.
 */
import { RegistryClient } from '../sdk/registry-client.js';
import { type OptionSpec, optionValue, usage } from './args.js';
import type { CommandContext } from './command.js';

export const REGISTRY_URL_ENV = 'PROXIMADB_REGISTRY_URL';
export const REGISTRY_TOKEN_ENV = 'PROXIMADB_REGISTRY_TOKEN';
/** Fallback for the URL only; our own variable wins when both are set. */
export const FALLBACK_URL_ENV = 'SCHEMA_REGISTRY_URL';

export const REGISTRY_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'registry',
    kind: 'string',
    value: 'URL',
    description: `registry base URL (default: $${REGISTRY_URL_ENV}, else $${FALLBACK_URL_ENV}); sends $${REGISTRY_TOKEN_ENV} as a bearer token`,
  },
  {
    name: 'timeout',
    kind: 'string',
    value: 'MS',
    description: 'per-request timeout in milliseconds (default 10000)',
  },
];

/** The registry URL and where it came from (named in messages), or undefined when none is set. */
function registrySetting(ctx: CommandContext): { url: string; from: string } | undefined {
  const candidates: Array<[string | undefined, string]> = [
    [optionValue(ctx.args, 'registry'), '--registry'],
    [ctx.io.env[REGISTRY_URL_ENV], `$${REGISTRY_URL_ENV}`],
    [ctx.io.env[FALLBACK_URL_ENV], `$${FALLBACK_URL_ENV}`],
  ];
  for (const [url, from] of candidates) {
    if (url !== undefined && url !== '') return { url, from };
  }
  return undefined;
}

/** The registry URL from `--registry` or the environment, or undefined when none is set. */
export function registryUrl(ctx: CommandContext): string | undefined {
  return registrySetting(ctx)?.url;
}

export function registryClient(ctx: CommandContext): RegistryClient {
  const setting = registrySetting(ctx);
  if (setting === undefined) {
    throw usage(`no registry given: pass --registry URL or set ${REGISTRY_URL_ENV} (or ${FALLBACK_URL_ENV})`);
  }
  const { url, from } = setting;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usage(`${from}: not a valid URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usage(`${from}: expected an http(s) URL, got ${url}`);
  }
  const rawTimeout = optionValue(ctx.args, 'timeout');
  const timeoutMs = rawTimeout === undefined ? 10_000 : Number(rawTimeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw usage(`--timeout: expected a positive number of milliseconds, got '${rawTimeout}'`);
  }
  const token = ctx.io.env[REGISTRY_TOKEN_ENV];
  return new RegistryClient({
    url,
    timeoutMs,
    // A CLI run should fail fast: a couple of quick retries, then exit 3.
    retry: { maxRetries: 2, baseDelayMs: 100, budgetMs: timeoutMs },
    ...(token === undefined || token === '' ? {} : { auth: { token } }),
  });
}
