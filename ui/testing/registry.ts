/**
 * A real registry for the UI's browser tests: the whole server on an ephemeral loopback port, an
 * in-memory database and a ManualClock (dates and lease countdowns on screen are then the same on every
 * run), plus a tiny client for seeding it through the HTTP API as any client would. Its answers are
 * checked against the OpenAPI document, as in every HTTP suite.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../../test/support/openapi-responses.js';

/** Monday 5 January 2026, 09:00 UTC. */
export const START = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface TestRegistry {
  readonly base: string;
  readonly clock: ManualClock;
  readonly server: RegistryServer;
  /** Calls the API; throws on any status but 200 unless `expect` says otherwise. */
  call<T = unknown>(method: string, path: string, body?: unknown, options?: CallOptions): Promise<T>;
  close(): Promise<void>;
}

export interface CallOptions {
  readonly authorization?: string;
  readonly expect?: number;
}

export async function startTestRegistry(options: { authFile?: string } = {}): Promise<TestRegistry> {
  const clock = new ManualClock(START);
  // Every answer the browser (or the seeding client) gets is checked against the OpenAPI document.
  const server = checkResponses(
    await createRegistryServer(
      {
        ...DEFAULT_CONFIG,
        host: '127.0.0.1',
        logLevel: 'silent',
        databasePath: ':memory:',
        ...(options.authFile === undefined ? {} : { authFile: options.authFile }),
      },
      { clock, negotiationPollIntervalMs: 50 },
    ),
  );
  const http: Server = createServer(server.handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    base,
    clock,
    server,
    async call<T>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<T> {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (opts.authorization !== undefined) headers.Authorization = opts.authorization;
      const res = await fetch(base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (res.status !== (opts.expect ?? 200)) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await server.close();
    },
  };
}

/** A record schema `shop.<name>` with the given fields, as JSON text. */
export function recordSchema(name: string, fields: object[]): string {
  return JSON.stringify({ type: 'record', name, namespace: 'shop', fields });
}
