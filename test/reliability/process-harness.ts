/**
 * Runs real server processes (`node --import tsx src/index.ts`) for the process-level tests: crash
 * (SIGKILL), several processes on one file, WORKERS. Each server listens on an ephemeral loopback port,
 * which is read from its start-up log line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { checkResponse } from '../support/openapi-responses.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Every stdout line seen so far (pino JSON). */
  readonly lines: string[];
  readonly stderr: string[];
  /** Resolves with the exit code / signal once the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServerProcess(
  env: Record<string, string>,
  opts: { timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  let buffered = '';
  let resolveUrl: (url: string) => void = () => {};
  const urlSeen = new Promise<string>((resolve) => {
    resolveUrl = resolve;
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(line);
      if (m?.[1]) resolveUrl(m[1]);
      nl = buffered.indexOf('\n');
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const url = await Promise.race([
    urlSeen,
    exited.then(({ code, signal }) => {
      throw new Error(`server exited before listening (code ${code}, signal ${signal}): ${stderr.join('')}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  return { child, url, lines, stderr, exited };
}

/** SIGKILL (or another signal) and wait until the process is gone. */
export async function stopServerProcess(server: ServerProcess, signal: NodeJS.Signals = 'SIGKILL') {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return server.exited;
}

export interface JsonAnswer {
  status: number;
  body: unknown;
  text: string;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
}

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/vnd.schemaregistry.v1+json';
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  // The server is another process: its answers are checked against the OpenAPI document here.
  checkResponse({
    method,
    url: path,
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: Buffer.from(text, 'utf8'),
  });
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: Object.fromEntries(res.headers) };
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      if (task) results[i] = await task();
    }
  });
  await Promise.all(workers);
  return results;
}

/** A record schema unique to `n` (its own field name), so every n is a distinct schema. */
export function schemaNumber(n: number): string {
  return JSON.stringify({
    type: 'record',
    name: 'Event',
    namespace: 'proximadb.test',
    fields: [
      { name: 'id', type: 'long' },
      { name: `f${n}`, type: ['null', 'string'], default: null },
    ],
  });
}

/** Resolves once `count` stdout lines match (e.g. every worker's "listening" line). */
export async function waitForLines(
  server: ServerProcess,
  match: (line: string) => boolean,
  count: number,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (server.lines.filter(match).length < count) {
    if (Date.now() > deadline)
      throw new Error(`only ${server.lines.filter(match).length} of ${count} lines seen`);
    if (server.child.exitCode !== null) throw new Error('the server exited');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
