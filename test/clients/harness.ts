/** Starts the real server on an ephemeral loopback port (its production door) with a fresh database. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { listen } from '../support/listening.js';
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
  const { http, url, stop } = await listen(server);
  const requests: string[] = [];
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.on('finish', () => requests.push(`${req.method} ${req.url} -> ${res.statusCode}`));
  });
  return { server, url, requests, stop };
}
