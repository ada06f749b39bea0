/** Starts the real server on an ephemeral loopback port with a fresh in-memory database. */
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

export interface Running {
  readonly server: RegistryServer;
  readonly url: string;
  /** `METHOD /path?query -> status` of every request served, in order (what the client really called). */
  readonly requests: string[];
  stop(): Promise<void>;
}

export async function startTestRegistry(): Promise<Running> {
  const server = checkResponses(await createRegistryServer(await testConfig()));
  const http: Server = server.app.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const requests: string[] = [];
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.on('finish', () => requests.push(`${req.method} ${req.url} -> ${res.statusCode}`));
  });
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      // Clients keep pooled keep-alive sockets; cut them so the test process can exit promptly.
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      server.close();
    },
  };
}
