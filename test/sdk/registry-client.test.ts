import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RegistryClient } from '../../src/sdk/registry-client.js';
import { RegistryError } from '../../src/sdk/registry-error.js';
import { startRegistry, type TestRegistry } from './registry-harness.js';
import { fail, ok, type ScriptedServer, startScriptedServer } from './scripted-server.js';

const SCHEMA = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}';
const fast = { baseDelayMs: 1, maxDelayMs: 2 };

describe('RegistryClient against a registry that fails on purpose', () => {
  let server: ScriptedServer;

  before(async () => {
    server = await startScriptedServer((req) => {
      if (req.url.startsWith('/schemas/ids/')) return ok({ schema: SCHEMA });
      if (req.url.startsWith('/subjects/') && req.method === 'POST') return ok({ id: 42 });
      return fail(404, 404, 'HTTP 404 Not Found');
    });
  });
  after(() => server.close());
  beforeEach(() => {
    server.seen.length = 0;
    server.script.length = 0;
  });

  const client = (extra: Partial<ConstructorParameters<typeof RegistryClient>[0] & object> = {}) =>
    new RegistryClient({ url: server.url, retry: fast, ...extra });

  it('retries 503 answers with backoff and recovers', async () => {
    server.script.push(fail(503, 503), fail(503, 503));
    const answer = await client().getSchema(1);
    assert.equal(answer.schema, SCHEMA);
    assert.equal(server.seen.length, 3);
  });

  it('retries dropped connections and recovers', async () => {
    server.script.push({ kind: 'drop' }, { kind: 'drop' });
    assert.equal((await client().getSchema(2)).schema, SCHEMA);
    assert.equal(server.seen.length, 3);
  });

  it('retries 429, waiting for Retry-After', async () => {
    server.script.push({
      kind: 'reply',
      status: 429,
      body: { error_code: 429, message: 'slow down' },
      headers: { 'Retry-After': '0' },
    });
    assert.equal((await client().getSchema(3)).schema, SCHEMA);
    assert.equal(server.seen.length, 2);
  });

  it('coalesces concurrent misses for one id into one request and caches the answer', async () => {
    const c = client();
    const answers = await Promise.all(Array.from({ length: 20 }, () => c.getSchema(7)));
    assert.equal(server.seen.length, 1);
    assert.ok(answers.every((a) => a.schema === SCHEMA));
    await c.getSchema(7);
    assert.equal(server.seen.length, 1, 'second lookup served from the cache');
    await c.getSchema(8);
    assert.equal(server.seen.length, 2, 'another id is another request');
  });

  it('surfaces 404 40403 as a typed RegistryError without retrying or caching it', async () => {
    const c = client();
    server.script.push(fail(404, 40403, 'Schema 9 not found'));
    const error = await c.getSchema(9).catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'SCHEMA_NOT_FOUND');
    assert.equal(error.status, 404);
    assert.equal(error.errorCode, 40403);
    assert.equal(error.message, 'Schema 9 not found');
    assert.equal(error.attempts, 1);
    assert.equal(error.exitCode, 2);
    assert.equal(server.seen.length, 1);
    assert.equal((await c.getSchema(9)).schema, SCHEMA, 'a failure is not cached');
  });

  it('gives up after maxRetries with the last error', async () => {
    const original = server.fallback;
    server.fallback = () => fail(503, 503, 'down');
    try {
      const error = await client({ retry: { ...fast, maxRetries: 2 } })
        .getSchema(10)
        .catch((e: unknown) => e);
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, 'SERVICE_UNAVAILABLE');
      assert.equal(error.attempts, 3);
      assert.equal(server.seen.length, 3);
    } finally {
      server.fallback = original;
    }
  });

  it('stops retrying when the time budget would be exceeded (Retry-After beyond it)', async () => {
    server.script.push({
      kind: 'reply',
      status: 503,
      body: { error_code: 503, message: 'busy' },
      headers: { 'Retry-After': '30' },
    });
    const slept: number[] = [];
    const c = client({
      retry: { ...fast, budgetMs: 1_000 },
      sleep: async (ms: number) => {
        slept.push(ms);
      },
    });
    const error = await c.getSchema(11).catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.attempts, 1);
    assert.deepEqual(slept, [], 'never slept 30 s');
    assert.equal(server.seen.length, 1);
  });

  it('uses exponential backoff steps with jitter, capped', async () => {
    server.script.push(fail(503, 503), fail(503, 503), fail(503, 503), fail(503, 503));
    const slept: number[] = [];
    const c = client({
      retry: { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 250 },
      random: () => 0.999,
      sleep: async (ms: number) => {
        slept.push(ms);
      },
    });
    await c.getSchema(12);
    assert.deepEqual(slept, [99, 199, 249, 249]);
  });

  it('does not retry a non-idempotent DELETE after a 500, but does after a 503', async () => {
    server.script.push(fail(500, 50001, 'store error'));
    const error = await client()
      .deleteSubject('s')
      .catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'STORE_ERROR');
    assert.equal(server.seen.length, 1);

    server.seen.length = 0;
    server.script.push(fail(503, 503), ok([1, 2]));
    assert.deepEqual(await client().deleteSubject('s'), [1, 2]);
    assert.equal(server.seen.length, 2);
  });

  it('retries a registration whose connection dropped (registering is idempotent) and caches the id', async () => {
    server.script.push({ kind: 'drop' });
    const c = client();
    assert.equal(await c.register('a/b', SCHEMA), 42);
    assert.equal(server.seen.length, 2);
    const sent = server.seen[1];
    assert.equal(sent?.url, '/subjects/a%2Fb/versions');
    assert.equal(sent?.headers['content-type'], 'application/vnd.schemaregistry.v1+json');
    assert.deepEqual(JSON.parse(sent?.body ?? ''), { schema: SCHEMA });
    assert.equal(await c.register('a/b', JSON.parse(SCHEMA)), 42);
    assert.equal(server.seen.length, 2, 'same subject and schema: cached');
  });

  it('maps codes it does not know by status, and non-JSON error bodies', async () => {
    server.script.push(fail(409, 40901, 'incompatible'));
    const incompatible = await client()
      .register('x', SCHEMA)
      .catch((e: unknown) => e);
    assert.ok(incompatible instanceof RegistryError);
    assert.equal(incompatible.code, 'INCOMPATIBLE_SCHEMA');
    assert.equal(incompatible.exitCode, 1);

    server.script.push({ kind: 'reply', status: 502, raw: '<html>Bad Gateway</html>' });
    const gateway = await client({ retry: { maxRetries: 0 } })
      .getSchema(13)
      .catch((e: unknown) => e);
    assert.ok(gateway instanceof RegistryError);
    assert.equal(gateway.code, 'SERVICE_UNAVAILABLE');
    assert.equal(gateway.errorCode, 502);
    assert.match(gateway.message, /HTTP 502 .*Bad Gateway/);
  });

  it('keeps extra fields of an error body as details', async () => {
    server.script.push({
      kind: 'reply',
      status: 409,
      body: { error_code: 40950, message: 'no common version', available: [{ version: 1 }] },
    });
    const error = await client()
      .handshake('s', { role: 'reader', supports: { versions: [9] } })
      .catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'NO_COMMON_VERSION');
    assert.deepEqual(error.details, { available: [{ version: 1 }] });
  });

  it('times out a request that never answers', async () => {
    server.script.push({ kind: 'hang' });
    const error = await client({ timeoutMs: 50, retry: { maxRetries: 0 } })
      .getSchema(14)
      .catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'REGISTRY_UNREACHABLE');
    assert.equal(error.status, undefined);
    assert.match(error.message, /timed out after 50 ms/);
  });

  it('lets a long-poll run as long as the wait it asked for, beyond the per-attempt timeout', async () => {
    const agreement = { subject: 's', version: 1, epoch: 2, degraded: false, participants: [], blocked: [] };
    server.script.push({ kind: 'reply', status: 200, body: agreement, delayMs: 300 });
    const c = client({ timeoutMs: 100 });
    assert.deepEqual(await c.getAgreement('s', { afterEpoch: 1, waitSeconds: 1 }), agreement);
    assert.equal(server.seen.length, 1, 'answered by the one request, not cut off and retried');
  });

  it('turns credentials in the URL into Basic auth, and sends bearer tokens', async () => {
    const url = new URL(server.url);
    url.username = 'wal';
    url.password = 's3cr:et';
    await new RegistryClient({ url: url.href, retry: fast }).getSchema(15);
    assert.equal(
      server.seen[0]?.headers.authorization,
      `Basic ${Buffer.from('wal:s3cr:et').toString('base64')}`,
    );
    await new RegistryClient({ url: server.url, auth: { token: 't0k' } }).getSchema(16);
    assert.equal(server.seen[1]?.headers.authorization, 'Bearer t0k');
  });
});

describe('RegistryClient with nothing listening', () => {
  it('retries connection refused within the budget, then fails as REGISTRY_UNREACHABLE', async () => {
    const probe = await startScriptedServer(() => ok({}));
    const url = probe.url;
    await probe.close();
    const error = await new RegistryClient({ url, retry: { ...fast, maxRetries: 2 } })
      .getSchema(1)
      .catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'REGISTRY_UNREACHABLE');
    assert.equal(error.errorCode, 50003);
    assert.equal(error.attempts, 3);
    assert.equal(error.exitCode, 3);
    assert.match(error.message, /ECONNREFUSED/);
  });
});

describe('RegistryClient with several instances (schema.registry.url with commas)', () => {
  let live: ScriptedServer;
  let busy: ScriptedServer;
  let deadUrl: string;
  before(async () => {
    live = await startScriptedServer((req) =>
      req.method === 'POST' ? ok({ id: 9 }) : ok({ schema: SCHEMA }),
    );
    busy = await startScriptedServer(() => fail(503, 503, 'database unavailable'));
    const probe = await startScriptedServer(() => ok({}));
    deadUrl = probe.url;
    await probe.close();
  });
  after(async () => {
    await live.close();
    await busy.close();
  });
  beforeEach(() => {
    live.seen.length = 0;
    busy.seen.length = 0;
  });

  it('fails over from an unreachable instance at once and stays with the one that answered', async () => {
    const sleeps: number[] = [];
    const client = new RegistryClient({
      url: ` ${deadUrl} , ${live.url}`,
      retry: fast,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    assert.deepEqual(client.http.baseUrls, [deadUrl, live.url]);
    assert.equal((await client.getSchema(1)).schema, SCHEMA);
    assert.deepEqual(sleeps, [], 'no backoff before trying the next instance');
    assert.equal(client.url, live.url);
    await client.getSchema(2);
    assert.equal(live.seen.length, 2, 'the second request went straight to the live instance');
  });

  it('fails over on 503, even for a registration (a 503 proves nothing was written)', async () => {
    const client = new RegistryClient({ url: [busy.url, live.url], retry: fast });
    assert.equal(await client.register('s', SCHEMA), 9);
    assert.equal(busy.seen.length, 1);
    assert.equal(live.seen[0]?.method, 'POST');
  });

  it('does not fail over on answers that would be the same anywhere (404)', async () => {
    const notFound = await startScriptedServer(() => fail(404, 40403, 'Schema 5 not found'));
    try {
      const client = new RegistryClient({ url: [notFound.url, live.url], retry: fast });
      await assert.rejects(
        client.getSchema(5),
        (e: unknown) => e instanceof RegistryError && e.errorCode === 40403,
      );
      assert.equal(live.seen.length, 0);
    } finally {
      await notFound.close();
    }
  });

  it('when every instance is down it backs off, tries all of them again, then gives up', async () => {
    const client = new RegistryClient({ url: [busy.url, deadUrl], retry: { ...fast, maxRetries: 1 } });
    const error = await client.getSchema(3).catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.attempts, 4, 'two instances, twice');
    assert.equal(busy.seen.length, 2);
  });
});

describe('RegistryClient against the real registry', () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  const v1 = { type: 'record', name: 'V', namespace: 'ai.proximadb', fields: [{ name: 'a', type: 'int' }] };
  const v2 = { ...v1, fields: [...v1.fields, { name: 'b', type: ['null', 'string'], default: null }] };
  const breaking = { ...v1, fields: [{ name: 'a', type: 'string' }] };

  before(async () => {
    registry = await startRegistry();
    client = new RegistryClient(registry.url);
  });
  after(() => registry.stop());

  it('registers, looks up and reads versions of a subject with a slash in its name', async () => {
    const id1 = await client.register('team/vectors', v1);
    const id2 = await client.register('team/vectors', JSON.stringify(v2));
    assert.notEqual(id1, id2);
    assert.deepEqual(await client.listVersions('team/vectors'), [1, 2]);
    assert.deepEqual(await client.listSubjects(), ['team/vectors']);
    const found = await client.lookup('team/vectors', v1);
    assert.equal(found.version, 1);
    assert.equal(found.id, id1);
    assert.equal((await client.getLatest('team/vectors')).id, id2);
    assert.deepEqual(JSON.parse((await client.getSchema(id1)).schema), v1);
  });

  it('tests compatibility and manages the subject level', async () => {
    assert.deepEqual(await client.testCompatibility('team/vectors', v2), { is_compatible: true });
    const verdict = await client.testCompatibility('team/vectors', breaking, {
      version: 'latest',
      verbose: true,
    });
    assert.equal(verdict.is_compatible, false);
    assert.ok((verdict.messages ?? []).length > 0);
    await assert.rejects(client.getConfig('team/vectors'), (e: unknown) => {
      return e instanceof RegistryError && e.code === 'SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED';
    });
    assert.deepEqual(await client.setConfig('team/vectors', 'FULL'), { compatibility: 'FULL' });
    assert.equal((await client.getConfig('team/vectors')).compatibilityLevel, 'FULL');
    assert.equal((await client.getConfig(null)).compatibilityLevel, 'BACKWARD');
    assert.equal((await client.getMode(null)).mode, 'READWRITE');
    const incompatible = await client.register('team/vectors', breaking).catch((e: unknown) => e);
    assert.ok(incompatible instanceof RegistryError);
    assert.equal(incompatible.code, 'INCOMPATIBLE_SCHEMA');
    assert.equal(incompatible.status, 409);
  });

  it('negotiates: a handshake answers a version, no common version is typed with what the server has', async () => {
    const answer = await client.handshake('team/vectors', { role: 'reader', supports: { versions: [1] } });
    assert.equal(answer.version, 1);
    const error = await client
      .handshake('team/vectors', { role: 'reader', supports: { versions: [7] } })
      .catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'NO_COMMON_VERSION');
    assert.ok(Array.isArray(error.details.available));
    const labelled = await client.listLabelledVersions('team/vectors');
    assert.deepEqual(
      labelled.map((v) => v.semver),
      ['1.0.0', '1.1.0'],
    );
    assert.equal((await client.getBySemver('team/vectors', '1.1.0')).version, 2);
  });

  it('deletes softly then permanently, with typed errors in between', async () => {
    assert.equal(await client.deleteVersion('team/vectors', 2), 2);
    const again = await client.deleteVersion('team/vectors', 2).catch((e: unknown) => e);
    assert.ok(again instanceof RegistryError);
    assert.equal(again.code, 'VERSION_SOFT_DELETED');
    assert.deepEqual(await client.deleteSubject('team/vectors'), [1]);
    assert.deepEqual(await client.deleteSubject('team/vectors', { permanent: true }), [1, 2]);
    const gone = await client.listVersions('team/vectors').catch((e: unknown) => e);
    assert.ok(gone instanceof RegistryError);
    assert.equal(gone.code, 'SUBJECT_NOT_FOUND');
  });
});
