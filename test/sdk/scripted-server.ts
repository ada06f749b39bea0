/**
 * A registry stand-in that misbehaves on cue: each request takes the next step of a script (drop the
 * connection, answer a status, hang), and once the script runs out it answers with the fallback.
 * Only for client-behaviour tests; everything else runs against the real registry.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  | { kind: 'drop' }
  | { kind: 'hang' }
  | {
      kind: 'reply';
      status: number;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
      /** Answer only after this long (a long-poll the server holds). */
      delayMs?: number;
    };

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ScriptedServer {
  url: string;
  seen: SeenRequest[];
  /** Steps consumed in order, one per request. */
  script: Step[];
  /** Answer when the script is empty; may depend on the request. */
  fallback: (req: SeenRequest) => Step;
  close(): Promise<void>;
}

export async function startScriptedServer(fallback: (req: SeenRequest) => Step): Promise<ScriptedServer> {
  const hanging = new Set<ServerResponse>();
  const state: ScriptedServer = {
    url: '',
    seen: [],
    script: [],
    fallback,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      state.seen.push(seen);
      const step = state.script.shift() ?? state.fallback(seen);
      if (step.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (step.kind === 'hang') {
        hanging.add(res);
        return;
      }
      const text = step.raw ?? (step.body === undefined ? '' : JSON.stringify(step.body));
      const answer = () => {
        res.writeHead(step.status, {
          'Content-Type': 'application/vnd.schemaregistry.v1+json',
          ...step.headers,
        });
        res.end(text);
      };
      if (step.delayMs === undefined) answer();
      else setTimeout(answer, step.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

export const ok = (body: unknown): Step => ({ kind: 'reply', status: 200, body });
export const fail = (status: number, errorCode: number, message = 'failure'): Step => ({
  kind: 'reply',
  status,
  body: { error_code: errorCode, message },
});
