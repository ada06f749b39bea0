/** The real registry on an ephemeral loopback port (its production door) with a fresh database. */
import type { Clock } from '../../src/clock.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { listen } from '../support/listening.js';
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
  const { url, stop } = await listen(server);
  return { server, url, stop };
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
