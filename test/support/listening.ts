/**
 * A registry server on an ephemeral loopback port, served the way `src/index.ts` serves it: through
 * `server.handler` (the pre-router fast path in front of the Express app), so tests that drive real
 * clients over HTTP exercise the production door, not Express alone.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegistryServer } from '../../src/server.js';

export interface Listening {
  readonly http: Server;
  readonly url: string;
  /** Cuts pooled keep-alive sockets (clients keep them), stops listening, closes the registry. */
  stop(): Promise<void>;
}

export async function listen(server: Pick<RegistryServer, 'handler' | 'close'>): Promise<Listening> {
  const http = createServer(server.handler).listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return {
    http,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await server.close();
    },
  };
}
