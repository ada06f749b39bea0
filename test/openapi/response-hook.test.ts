/**
 * The response-validation hook catches what the document does not describe. A scripted listener
 * plays a server that answers whatever a test tells it; each case takes the violations the hook
 * collected (so they do not fail this file through the shared afterEach) and checks them.
 */
import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { describe, it } from 'node:test';
import request from 'supertest';
import { checkListener, takeViolations } from '../support/openapi-responses.js';

const V1 = 'application/vnd.schemaregistry.v1+json';

interface Scripted {
  status: number;
  headers: Array<[string, string]>;
  body: string;
  /** Send headers as writeHead's raw array, as the fast path does. */
  rawArray?: boolean;
}

function scripted(answer: Scripted): RequestListener {
  return checkListener((_req, res) => {
    const headers = [['X-Request-Id', 'r-1'] as [string, string], ...answer.headers];
    if (answer.rawArray) res.writeHead(answer.status, headers.flat());
    else {
      for (const [k, v] of headers) res.setHeader(k, v);
      res.statusCode = answer.status;
    }
    res.end(answer.body);
  });
}

async function violationsOf(method: string, path: string, answer: Scripted): Promise<string[]> {
  takeViolations();
  // Read as text: the hook, not the client, judges the body.
  await request(scripted(answer))
    [method.toLowerCase() as 'get'](path)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      res.on('end', () => done(null, text));
    });
  return takeViolations();
}

const envelope = (code: number, extra: object = {}) =>
  JSON.stringify({ error_code: code, message: 'm', ...extra });
const ct = (type: string): Array<[string, string]> => [['Content-Type', type]];

describe('the response hook', () => {
  it('accepts described answers: a 200, an error of the route, an unknown path, HEAD as GET', async () => {
    assert.deepEqual(
      await violationsOf('GET', '/subjects', { status: 200, headers: ct(V1), body: '["a"]' }),
      [],
    );
    assert.deepEqual(
      await violationsOf('GET', '/subjects/s/versions/latest/', {
        status: 404,
        headers: ct(V1),
        body: envelope(40402),
      }),
      [],
    );
    assert.deepEqual(
      await violationsOf('GET', '/nope', { status: 404, headers: ct(V1), body: envelope(404) }),
      [],
    );
    assert.deepEqual(await violationsOf('HEAD', '/subjects', { status: 200, headers: ct(V1), body: '' }), []);
    assert.deepEqual(
      await violationsOf('GET', '/schemas/ids/1', {
        status: 200,
        headers: ct('application/json'),
        body: '{"schema":"\\"string\\""}',
        rawArray: true,
      }),
      [],
    );
  });

  it('flags a body that does not match the schema', async () => {
    const found = await violationsOf('GET', '/subjects', {
      status: 200,
      headers: ct(V1),
      body: '{"bogus":true}',
    });
    assert.equal(found.length, 1);
    assert.match(found[0]!, /GET \/subjects → 200: GET \/subjects 200: body does not match/);
  });

  it('flags an undocumented status, media type, error_code or extra envelope field', async () => {
    assert.match(
      (await violationsOf('GET', '/subjects', { status: 418, headers: ct(V1), body: envelope(418) }))[0]!,
      /status 418 is not documented/,
    );
    assert.match(
      (await violationsOf('GET', '/subjects', { status: 200, headers: ct('text/plain'), body: '[]' }))[0]!,
      /Content-Type text\/plain is not documented/,
    );
    assert.match(
      (
        await violationsOf('GET', '/subjects/s/versions/1', {
          status: 404,
          headers: ct(V1),
          body: envelope(40403),
        })
      )[0]!,
      /body does not match/,
    );
    assert.match(
      (
        await violationsOf('GET', '/subjects/s/versions/1', {
          status: 404,
          headers: ct(V1),
          body: envelope(40402, { detail: 'x' }),
        })
      )[0]!,
      /body does not match/,
    );
  });

  it('flags an answer to an unlisted path or method that is not the documented fallback', async () => {
    assert.match(
      (await violationsOf('GET', '/nope', { status: 200, headers: ct(V1), body: '{}' }))[0]!,
      /status 200 is not documented for x-unrouted-responses.unknownPath/,
    );
    // 405 must carry Allow.
    assert.match(
      (await violationsOf('PATCH', '/subjects', { status: 405, headers: ct(V1), body: envelope(405) }))[0]!,
      /required header Allow is missing/,
    );
  });

  it('flags a JSON media type whose body is not JSON', async () => {
    assert.match(
      (await violationsOf('GET', '/subjects', { status: 200, headers: ct(V1), body: 'not json' }))[0]!,
      /body is not JSON/,
    );
  });
});
