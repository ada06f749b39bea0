import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { type DecodedBody, decodeJsonBody, readBody } from './json-body.js';

/** A server whose every request body goes through readBody; the outcomes are collected per request. */
const outcomes: Array<{ read: DecodedBody | Buffer; calls: number }> = [];
const server = createServer((req: IncomingMessage, res) => {
  const entry = { read: Buffer.alloc(0) as DecodedBody | Buffer, calls: 0 };
  outcomes.push(entry);
  readBody(req, Number(req.headers['content-length']), (read) => {
    entry.read = read;
    entry.calls++;
    res.end('ok');
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const port = (server.address() as AddressInfo).port;
after(() => server.close());

/** Sends raw bytes in the given pieces (a pause between them), then ends or destroys the socket. */
async function send(pieces: string[], ending: 'end' | 'destroy'): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  for (const piece of pieces) {
    socket.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (ending === 'destroy') socket.destroy();
  else {
    await once(socket, 'data');
    socket.end();
  }
}

const head = (length: number) =>
  `POST /subjects/s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

async function settled(count: number): Promise<void> {
  for (let i = 0; i < 100 && outcomes.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  for (let i = 0; i < 100 && outcomes[count - 1]?.calls === 0; i++)
    await new Promise((r) => setTimeout(r, 10));
}

describe('readBody', () => {
  it('hands over a body that came in several pieces, whole, once', async () => {
    const body = JSON.stringify({ schema: '"string"', padding: 'x'.repeat(50) });
    await send([head(body.length) + body.slice(0, 10), body.slice(10, 30), body.slice(30)], 'end');
    await settled(1);
    const { read, calls } = outcomes[0]!;
    assert.equal(calls, 1);
    assert.ok(Buffer.isBuffer(read));
    assert.equal(read.toString('utf8'), body);
    assert.deepEqual(decodeJsonBody(read), { ok: true, value: JSON.parse(body) });
  });

  it('answers request.aborted (once) when the client goes away before the declared length', async () => {
    await send([`${head(100)}{"schema":`], 'destroy');
    await settled(2);
    const { read, calls } = outcomes[1]!;
    assert.equal(calls, 1);
    assert.ok(!Buffer.isBuffer(read) && !read.ok);
    assert.equal(
      (read as { error: Error & { type?: string; status?: number } }).error.type,
      'request.aborted',
    );
    assert.equal((read as { error: Error & { status?: number } }).error.status, 400);
  });
});
