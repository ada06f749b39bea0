/**
 * The options every registry-talking command shares, and the SDK client built from them. The URL may
 * come from `PROXIMADB_REGISTRY_URL` and a bearer token from `PROXIMADB_REGISTRY_TOKEN`, so CI secrets
 * never appear on a command line.
 */
import { RegistryClient } from '../sdk/registry-client.js';
import { type OptionSpec, optionValue, usage } from './args.js';
import type { CommandContext } from './command.js';

export const REGISTRY_URL_ENV = 'PROXIMADB_REGISTRY_URL';
export const REGISTRY_TOKEN_ENV = 'PROXIMADB_REGISTRY_TOKEN';

export const REGISTRY_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'registry',
    kind: 'string',
    value: 'URL',
    description: `registry base URL (default: $${REGISTRY_URL_ENV})`,
  },
  {
    name: 'timeout',
    kind: 'string',
    value: 'MS',
    description: 'per-request timeout in milliseconds (default 10000)',
  },
];

/** The registry URL from `--registry` or the environment, or undefined when neither is set. */
export function registryUrl(ctx: CommandContext): string | undefined {
  const url = optionValue(ctx.args, 'registry') ?? ctx.io.env[REGISTRY_URL_ENV];
  return url === undefined || url === '' ? undefined : url;
}

export function registryClient(ctx: CommandContext, url = registryUrl(ctx)): RegistryClient {
  if (url === undefined) throw usage(`no registry given: pass --registry URL or set ${REGISTRY_URL_ENV}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usage(`--registry: not a valid URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usage(`--registry: expected an http(s) URL, got ${url}`);
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
