/**
 * Every registered route and method (enumerated from the Express app itself) × every identity (no
 * credentials, admin, and the read and write roles each with the prefix rule none/read/write on
 * `secret-`) × spellings of its path: letter case of each path word, percent-encoded letters (in words
 * and in parameters), percent-encoded `/`, double and trailing slashes, and dot segments (`.`, `..` and
 * their encodings) inserted where a normalising server would remove them.
 *
 * A spelling is never granted more than the canonical one: it is answered with the canonical status, or
 * refused (401/403/404/405; see `notMoreThan` for the one refinement). Stronger where it can be: a spelling the app's own router maps to the same
 * route with the same parameters gets exactly the canonical answer, and one it maps to no route is a
 * 404 "no such route" (never a subject's 404), for every identity. Every canonical answer agrees with the
 * access table (allowed, or 401/403), the warm fast path included. Mutating requests carry bodies that
 * are refused only after authorization (invalid schema, level or mode, unknown subject or participant),
 * so the registry's state, and with it every canonical answer, is the same for the whole run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateToken, parseCredentials } from '../../src/auth/credentials.js';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { accessRuleFor, isAllowed, requirementFor } from '../../src/http/route-access.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';

const dir = mkdtempSync(join(tmpdir(), 'spelling-'));
const tokens: Record<string, string> = {};
const users: object[] = [];
function addUser(name: string, role: string, permissions?: object[]) {
  const { token, hash } = generateToken();
  tokens[name] = token;
  users.push({ name, role, tokens: [hash], ...(permissions ? { permissions } : {}) });
}
addUser('admin', 'admin');
for (const role of ['read', 'write'])
  for (const access of ['none', 'read', 'write'])
    addUser(`${role}-${access}`, role, [{ prefix: 'secret-', access }]);
const IDENTITIES = ['anonymous', ...Object.keys(tokens)];
const authFile = join(dir, 'credentials.json');
writeFileSync(authFile, JSON.stringify({ users }));

let server: RegistryServer;
let http: Server;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

interface Answer {
  readonly status: number;
  readonly errorCode: number | undefined;
}

function send(method: string, path: string, identity: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/vnd.schemaregistry.v1+json' };
    if (identity !== 'anonymous') headers.Authorization = `Bearer ${tokens[identity]}`;
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    // node:http sends the path verbatim: no URL normalisation of dots, case or escapes on the way.
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let errorCode: number | undefined;
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error_code?: unknown };
          if (typeof parsed?.error_code === 'number') errorCode = parsed.error_code;
        } catch {
          // A non-JSON body (metrics text) has no error code.
        }
        resolve({ status: res.statusCode ?? 0, errorCode });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// ---- the app's own routes and matcher ------------------------------------------------------------

interface Layer {
  readonly handle: unknown;
  readonly method?: string;
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  match(path: string): { params: Record<string, string> } | false;
}

function routerLayers(router: unknown): Layer[] {
  const out: Layer[] = [];
  for (const layer of (router as { stack: Layer[] }).stack) {
    if (layer.route) out.push(layer);
    else if (typeof layer.handle === 'function' && Array.isArray((layer.handle as { stack?: unknown }).stack))
      out.push(...routerLayers(layer.handle));
  }
  return out;
}

type Resolution =
  | { kind: 'route'; template: string; params: string }
  | { kind: 'no-route' }
  | { kind: 'no-method' }
  | { kind: 'bad-url' };

/** Which route the app's router picks for a path: its own layers' matchers, in its own order. */
function resolve(method: string, rawPath: string): Resolution {
  const path = rawPath.split('?')[0] ?? rawPath;
  let pathMatched = false;
  for (const layer of routerLayers(server.app.router)) {
    let m: ReturnType<Layer['match']>;
    try {
      m = layer.match(path);
    } catch {
      return { kind: 'bad-url' };
    }
    if (!m) continue;
    const methods = layer.route!.methods;
    const lower = method.toLowerCase();
    if (methods[lower] || (lower === 'head' && methods.get)) {
      return { kind: 'route', template: layer.route!.path, params: JSON.stringify(m.params) };
    }
    pathMatched = true;
  }
  return pathMatched ? { kind: 'no-method' } : { kind: 'no-route' };
}

// ---- canonical requests ----------------------------------------------------------------------------

const PARAMS: Record<string, string> = {
  subject: 'secret-x',
  version: '1',
  id: '1',
  label: '1.0.0',
  participantId: 'p1',
  namespace: 'ns',
  name: 'n',
};
const INVALID = '{not json';
/** A body per (method, template) that is refused, if at all, only after authorization and writes nothing. */
function bodyFor(method: string, template: string): string | undefined {
  if (method === 'GET' || method === 'DELETE') return undefined;
  if (template === '/subjects/:subject/versions') return JSON.stringify({ schema: INVALID });
  if (template.startsWith('/config')) return JSON.stringify({ compatibility: 'BOGUS' });
  if (template.startsWith('/mode')) return JSON.stringify({ mode: 'BOGUS' });
  if (template === '/admin/max-schema-id') return JSON.stringify({ maxSchemaId: -1 });
  if (template.endsWith('/participants/:participantId')) return '{}';
  if (template.endsWith('/validate')) return JSON.stringify({ datum: { a: 1 } });
  if (template === '/negotiation/subjects/:subject') {
    return JSON.stringify({ role: 'reader', supports: { versions: [1] } });
  }
  if (template === '/') return '{}';
  return JSON.stringify({ schema: '"string"' });
}

function paramsFor(method: string, template: string): Record<string, string> {
  // Deletes aim at what does not exist: authorized, they answer 404 (40401/40402/40450) and change nothing.
  if (method === 'DELETE' && template === '/subjects/:subject') return { ...PARAMS, subject: 'secret-gone' };
  if (method === 'DELETE') return { ...PARAMS, version: '99', participantId: 'nobody' };
  return PARAMS;
}

interface Segment {
  readonly text: string;
  /** A literal word of the template (not a parameter value). */
  readonly literal: boolean;
}

function segmentsOf(template: string, params: Record<string, string>): Segment[] {
  return template
    .split('/')
    .slice(1)
    .filter((s) => s !== '')
    .map((s) =>
      s.startsWith(':')
        ? { text: encodeURIComponent(params[s.slice(1)] ?? 'x'), literal: false }
        : { text: s, literal: true },
    );
}

const join_ = (segs: readonly string[]) => `/${segs.join('/')}`;
const hex = (c: string, upper: boolean) => {
  const h = c.charCodeAt(0).toString(16);
  return `%${upper ? h.toUpperCase() : h}`;
};

/** Spellings of a path that a lenient server could take for the same resource. */
function variants(segs: readonly Segment[]): string[] {
  const texts = segs.map((s) => s.text);
  const out = new Set<string>();
  const withSeg = (i: number, text: string) => join_(texts.map((t, j) => (j === i ? text : t)));
  segs.forEach((seg, i) => {
    const letter = seg.text.search(/[a-z]/i);
    if (seg.literal && letter >= 0) {
      out.add(withSeg(i, seg.text.toUpperCase()));
      out.add(withSeg(i, seg.text[0]!.toUpperCase() + seg.text.slice(1)));
      out.add(withSeg(i, seg.text.slice(0, -1) + seg.text.slice(-1).toUpperCase()));
    }
    if (letter >= 0) {
      const c = seg.text[letter]!;
      for (const upper of [false, true])
        out.add(withSeg(i, seg.text.slice(0, letter) + hex(c, upper) + seg.text.slice(letter + 1)));
    }
  });
  // Encoded separators, doubled separators, trailing slashes.
  for (let i = 1; i < texts.length; i++) {
    for (const sep of ['%2F', '%2f', '//']) {
      out.add(`/${texts.slice(0, i).join('/')}${sep}${texts.slice(i).join('/')}`);
    }
  }
  const path = join_(texts);
  for (const tail of ['/', '//', '/.', '/%2e', '/%2E']) out.add(path + tail);
  out.add(`/${path}`);
  // Dot segments a normalising server would remove, plain and encoded, before every segment.
  for (let i = 0; i < texts.length; i++) {
    for (const dots of ['.', '%2e', '%2E', 'zz/..', 'zz/%2e%2e', 'zz/.%2E', 'zz/%2E.']) {
      out.add(join_([...texts.slice(0, i), dots, ...texts.slice(i)]));
    }
  }
  out.delete(path);
  return [...out];
}

// ---- the run -----------------------------------------------------------------------------------------

const REFUSED = new Set([401, 403, 404, 405]);
const credentials = parseCredentials({ users });

/** What the access table allows this identity on the canonical request (the server must agree). */
function expectedAllowed(identity: string, method: string, template: string, route: Resolution): boolean {
  const params = route.kind === 'route' ? (JSON.parse(route.params) as Record<string, string>) : {};
  const need = requirementFor(method, template, params);
  if (need?.kind === 'public') return true;
  const user = credentials.users.find((u) => u.name === identity);
  return user !== undefined && isAllowed(credentials, user, need);
}

/**
 * The spelling is answered as the canonical one, or refused. When the canonical request is refused by
 * authentication or authorization (401/403), "refused" means 401/403/404/405 and nothing else: any other
 * answer (even a 422) would show the request got past a check the canonical spelling did not. When the
 * canonical request was allowed, a spelling the router maps elsewhere (`.../versions/1%2Fschema` is
 * version `1/schema` of the same subject: 422) may fail in its own way, but never succeed unless the
 * canonical request succeeded with that same status.
 */
function notMoreThan(canonical: Answer, got: Answer): boolean {
  if (got.status === canonical.status) return true;
  if (REFUSED.has(got.status)) return true;
  if (canonical.status === 401 || canonical.status === 403) return false;
  return got.status >= 400 && got.status < 500;
}

before(async () => {
  server = checkResponses(
    await createRegistryServer(
      { ...DEFAULT_CONFIG, logLevel: 'silent', databasePath: ':memory:', authFile },
      { clock: new ManualClock() },
    ),
  );
  // Through the fast path, as a deployed server runs (it answers some of these requests itself).
  http = createServer(server.handler).listen(0, '127.0.0.1');
  await new Promise((r) => http.once('listening', r));
  port = (http.address() as AddressInfo).port;
  const schema = JSON.stringify({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'int' }] });
  const reg = await send('POST', '/subjects/secret-x/versions', 'admin', JSON.stringify({ schema }));
  assert.equal(reg.status, 200);
  // Warm the read cache so the fast path would answer these.
  assert.equal((await send('GET', '/subjects/secret-x/versions/1', 'admin')).status, 200);
  assert.equal((await send('GET', '/schemas/ids/1', 'admin')).status, 200);
});

after(async () => {
  agent.destroy();
  await new Promise((r) => http.close(r));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('route × identity × spelling', () => {
  it('enumerates the routes from the app itself', () => {
    const routes = routerLayers(server.app.router);
    const templates = new Set(routes.map((l) => l.route!.path));
    for (const expected of ['/subjects/:subject/versions', '/mode', '/admin/max-schema-id', '/metrics'])
      assert.ok(templates.has(expected), expected);
    assert.ok(routes.length >= 30, `only ${routes.length} routes found`);
  });

  it('no spelling is granted more than the canonical one, for any route, method or identity', async () => {
    const failures: string[] = [];
    let sameRoute = 0;
    let total = 0;
    const seen = new Set<string>();
    for (const layer of routerLayers(server.app.router)) {
      const template = layer.route!.path;
      for (const method of Object.keys(layer.route!.methods).filter((m) => m !== '_all')) {
        const METHOD = method.toUpperCase();
        if (seen.has(`${METHOD} ${template}`)) continue;
        seen.add(`${METHOD} ${template}`);
        const segs = segmentsOf(template, paramsFor(METHOD, template));
        const canonicalPath = join_(segs.map((s) => s.text));
        const body = bodyFor(METHOD, template);
        const canonicalRoute = resolve(METHOD, canonicalPath);
        assert.equal(canonicalRoute.kind, 'route', `${METHOD} ${canonicalPath} must reach its route`);
        const spellings = variants(segs);
        for (const identity of IDENTITIES) {
          const canonical = await send(METHOD, canonicalPath, identity, body);
          assert.ok(canonical.status < 500, `${identity} ${METHOD} ${canonicalPath}: ${canonical.status}`);
          const allowed = expectedAllowed(identity, METHOD, template, canonicalRoute);
          if (allowed !== (canonical.status !== 401 && canonical.status !== 403)) {
            failures.push(
              `${identity} ${METHOD} ${canonicalPath}: ${canonical.status}, table says ${allowed}`,
            );
          }
          const answers = await Promise.all(spellings.map((p) => send(METHOD, p, identity, body)));
          spellings.forEach((path, i) => {
            const got = answers[i]!;
            total++;
            const where = `${identity} ${METHOD} ${path} (canonical ${canonicalPath} ${canonical.status})`;
            const r = resolve(METHOD, path);
            // A spelling that is another PUBLIC route's own path (`/ui/` beside `/ui`, a strict router)
            // is that route's canonical request, judged when its turn comes; it grants nothing.
            const otherPublic =
              r.kind === 'route' &&
              canonicalRoute.kind === 'route' &&
              r.template !== canonicalRoute.template &&
              accessRuleFor(METHOD, r.template)?.kind === 'public';
            if (!otherPublic && !notMoreThan(canonical, got)) {
              failures.push(`${where}: granted ${got.status}/${got.errorCode}`);
              return;
            }
            if (
              r.kind === 'route' &&
              canonicalRoute.kind === 'route' &&
              r.template === canonicalRoute.template
            ) {
              if (r.params === canonicalRoute.params) {
                sameRoute++;
                if (got.status !== canonical.status || got.errorCode !== canonical.errorCode) {
                  failures.push(`${where}: same route, answered ${got.status}/${got.errorCode}`);
                }
              }
            } else if (r.kind === 'no-route' && identity !== 'anonymous') {
              if (got.status !== 404 || got.errorCode !== 404) {
                failures.push(`${where}: no route, answered ${got.status}/${got.errorCode}`);
              }
            }
          });
        }
      }
    }
    assert.deepEqual(failures.slice(0, 40), [], `${failures.length} of ${total} spellings got more`);
    // Not vacuous: thousands of spellings, a good share reaching the very same route and parameters.
    assert.ok(total > 5000, `${total} spellings`);
    assert.ok(sameRoute > 500, `${sameRoute} spellings reached the canonical route`);
  });

  it('the fast path, warm, never answers what the guard refuses (independent spot checks)', async () => {
    const served = server.fastPath.stats.served;
    assert.deepEqual(await send('GET', '/subjects/secret-x/versions/1', 'read-none'), {
      status: 403,
      errorCode: 403,
    });
    assert.deepEqual(await send('GET', '/subjects/%73ecret-x/versions/latest', 'write-none'), {
      status: 403,
      errorCode: 403,
    });
    assert.equal(server.fastPath.stats.served, served, 'refused requests got no 200');
    assert.equal((await send('GET', '/subjects/secret-x/versions/1', 'read-read')).status, 200);
    assert.equal(
      (await send('GET', '/schemas/ids/1', 'read-none')).status,
      200,
      'ids need only the read role',
    );
    assert.ok(server.fastPath.stats.served >= served + 2, 'allowed requests were answered by the fast path');
    // And what the users could do by letter case, refused at the canonical spelling.
    const mode = JSON.stringify({ mode: 'READONLY' });
    assert.equal((await send('PUT', '/mode', 'write-write', mode)).status, 403);
    assert.equal((await send('DELETE', '/subjects/secret-x', 'write-none')).status, 403);
    assert.equal((await send('POST', '/subjects/x/versions', 'read-write', '{}')).status, 403);
  });

  it('a letter-case variant of any path word is a 404 route-not-found for every identity', async () => {
    const cases = [
      '/SUBJECTS',
      '/Subjects/secret-x/versions',
      '/subjects/secret-x/Versions/1',
      '/Mode',
      '/CONFIG',
    ];
    for (const identity of IDENTITIES.filter((i) => i !== 'anonymous')) {
      for (const path of cases) {
        const got = await send('GET', path, identity);
        assert.deepEqual(got, { status: 404, errorCode: 404 }, `${identity} GET ${path}`);
      }
    }
    // Without credentials nothing behind authentication is told apart: known or not, 401.
    for (const path of [...cases, '/subjects', '/no/such/path', '/HEALTH/live']) {
      assert.equal((await send('GET', path, 'anonymous')).status, 401, path);
    }
    assert.equal((await send('GET', '/health/live', 'anonymous')).status, 200);
  });
});
