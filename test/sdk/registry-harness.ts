/** The real registry on an ephemeral loopback port with a fresh in-memory database. */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/clock.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

export interface TestRegistry {
  readonly server: RegistryServer;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startRegistry(clock?: Clock): Promise<TestRegistry> {
  const server = checkResponses(
    await createRegistryServer(await testConfig(), clock === undefined ? {} : { clock }),
  );
  const http: Server = server.app.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      server.close();
    },
  };
}

/** A fetch that counts requests by "METHOD path", to assert caching and coalescing. */
export function countingFetch(): { fetch: typeof fetch; count: (prefix: string) => number } {
  const seen: string[] = [];
  return {
    fetch: (input, init) => {
      seen.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    },
    count: (prefix) => seen.filter((s) => s.startsWith(prefix)).length,
  };
}
