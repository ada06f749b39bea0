/**
 * The two comparison servers of `npm run bench`, run as a child process exactly like the registry:
 * `BASELINE=raw` is a bare `node:http` listener, `BASELINE=express` a bare Express 5 app with
 * `etag` and `x-powered-by` off (as fastify/benchmarks configures it). Both answer every request with
 * the same constant JSON body of about 180 bytes, so the figures measure the machine and the framework,
 * not any work. Prints `listening <port>` once bound.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** About the size of a small schema-by-id answer (a record with a handful of fields). */
export const CONSTANT_BODY = JSON.stringify({
  schema:
    '{"type":"record","name":"Event","namespace":"bench.baseline","fields":[{"name":"id","type":"long"},{"name":"payload","type":"string"}]}',
});
const BODY = Buffer.from(CONSTANT_BODY);
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

function rawListener(): RequestListener {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'Content-Length': BODY.length });
    res.end(BODY);
  };
}

function expressListener(): RequestListener {
  const app = express();
  app.disable('etag');
  app.disable('x-powered-by');
  app.use((_req, res) => {
    res.setHeader('Content-Type', CONTENT_TYPE);
    res.send(BODY);
  });
  return app;
}

const kind = process.env.BASELINE;
if (kind !== 'raw' && kind !== 'express') {
  process.stderr.write('BASELINE must be raw or express\n');
  process.exit(2);
}
const server = createServer(kind === 'raw' ? rawListener() : expressListener());
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
