/**
 * The OpenAPI 3.1 document of every route the server answers: the one source of truth, in TypeScript.
 * The server serves it at `/openapi.json`; `docs/openapi.json` is the same text, written by
 * `npm run openapi:write` and kept identical by test/openapi/document.test.ts. Tests prove it against
 * the server: it validates as OpenAPI 3.1, its paths are exactly the routes the Express app and the
 * fast path register, and every response of the HTTP test suites is checked against it
 * (test/support/openapi-responses.ts).
 *
 * Adding a route: add its operation to one of the `*Paths()` modules (or a new one listed below) with
 * `operation({...})`, then `npm run openapi:write`.
 */
import type { ErrorCode } from '../../errors.js';
import { schemaPaths, subjectPaths } from './confluent-paths.js';
import { compatibilityPaths, configPaths, modePaths, probePaths } from './confluent-settings-paths.js';
import { dashboardPaths } from './dashboard-paths.js';
import { COMPONENT_NAME, errorResponses } from './error-responses.js';
import { SECURED } from './operation.js';
import { opsPaths } from './ops-paths.js';
import { adminPaths, negotiationPaths, validationPaths } from './own-paths.js';
import { SCHEMAS } from './schemas.js';
import { uiPaths } from './ui-paths.js';

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

const DESCRIPTION = `A schema registry wire-compatible with Confluent Schema Registry's REST API (Avro, 7.x shapes), plus version negotiation (semver labels, handshakes, an agreed version), datum validation and export/import helpers.

**Media types.** Request bodies are JSON under \`application/vnd.schemaregistry.v1+json\`, \`application/vnd.schemaregistry+json\`, \`application/json\` or \`application/octet-stream\` (a missing Content-Type is read as JSON too); any other type is 415. JSON answers go out in the type negotiated from \`Accept\` among \`application/vnd.schemaregistry.v1+json\` (the default, also for \`*/*\` or no Accept), \`application/vnd.schemaregistry+json\` and \`application/json\`, with no charset parameter; an Accept admitting none of them is 406. Health probes and \`/openapi.json\` answer plain \`application/json\`, \`/metrics\` Prometheus text, \`/docs\` and \`/ui/\` HTML (the UI's assets JavaScript and CSS).

**Errors.** Every error, from every layer, is exactly \`{"error_code": <int>, "message": <string>}\` (a few of our own routes add fields: \`available\` on 40950, \`position\` on a schema error of the compatibility report). Each operation lists the \`error_code\`s it can give per status. Success is 200, but for the web UI's redirect (301) and revalidations (304). Every storage-backed route can answer 503 (retryable: the database is busy or unreachable; retry with backoff) and 500/50001.

**Access control** is off unless \`AUTH_FILE\` is set. Then every route but the health probes, \`/openapi.json\`, \`/docs\` and the web UI's page and assets (\`/ui\`) needs HTTP Basic or a bearer token; \`x-required-permission\` says what each needs (\`read\`, \`write\`, \`admin\` roles; \`subject:read\` / \`subject:write\` access to the subject in the path, from subject-prefix rules). Failed logins may be throttled: 429 with \`Retry-After\`.

**Conventions.** Every GET also answers HEAD. A trailing \`/\` is accepted; subjects are percent-encoded (\`%2F\` for \`/\`); unknown query parameters are ignored. A path not listed here answers 404/404, a listed path with an unlisted method 405/405 with \`Allow\` (see \`x-unrouted-responses\`).`;

const TAGS = [
  ['Schemas', 'Schemas by global id (Confluent).'],
  ['Subjects', 'Register, look up, list and delete subject versions (Confluent).'],
  [
    'Compatibility',
    'Test a schema without registering it (Confluent), or get the whole report: both directions per version, with findings and where they are (ProximaDB).',
  ],
  ['Config', 'Compatibility levels, global and per subject (Confluent).'],
  ['Mode', 'READWRITE / READONLY / IMPORT, global and per subject (Confluent).'],
  ['Server', 'Small endpoints clients probe (Confluent).'],
  ['Negotiation', 'Semver labels, handshakes and the agreed version (ProximaDB).'],
  ['Validation', 'Check a JSON datum against a schema version (ProximaDB).'],
  ['Admin', 'Logical export and import helpers (ProximaDB).'],
  ['Catalog', 'Subject summaries, paged and filtered, for dashboards and large registries (ProximaDB).'],
  ['Access', 'What the caller may do, as access control decides it (ProximaDB).'],
  ['Operations', 'Health probes and metrics.'],
  ['Documentation', 'This document and its rendered page.'],
  ['Web UI', 'The web UI: its page and assets (public; the data comes from the API).'],
] as const;

/** What a path this document does not list answers, and a listed path with a method it does not list. */
const UNROUTED_COMMON: readonly ErrorCode[] = [
  'BAD_REQUEST',
  'MALFORMED_JSON',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'NOT_ACCEPTABLE',
  'BODY_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL',
];

/** Merges path modules; two modules describing the same path+method is a programming error. */
function mergePaths(...groups: Record<string, Record<string, unknown>>[]): OpenApiDocument['paths'] {
  const paths: OpenApiDocument['paths'] = {};
  for (const group of groups) {
    for (const [path, item] of Object.entries(group)) {
      const existing = paths[path] ?? {};
      paths[path] = existing;
      for (const [method, op] of Object.entries(item)) {
        if (existing[method] !== undefined) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} twice`);
        existing[method] = op as Record<string, unknown>;
      }
    }
  }
  return paths;
}

/**
 * Moves every named error answer to `components.responses` and refers to it: most routes share their
 * 400/406/413/415/500/503 answers, and the document would otherwise repeat them ~60 times.
 */
function shareResponses(groups: Record<string, unknown>[]): Record<string, unknown> {
  const shared: Record<string, unknown> = {};
  for (const responses of groups) {
    for (const [status, answer] of Object.entries(responses)) {
      const named = answer as Record<string, unknown>;
      const name = named[COMPONENT_NAME];
      if (typeof name !== 'string') continue;
      const { [COMPONENT_NAME]: _, ...body } = named;
      const existing = shared[name];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(body)) {
        throw new Error(`OpenAPI: two different answers named ${name}`);
      }
      shared[name] = body;
      responses[status] = { $ref: `#/components/responses/${name}` };
    }
  }
  return Object.fromEntries(Object.entries(shared).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function buildOpenApiDocument(opts: { version: string }): OpenApiDocument {
  const paths = mergePaths(
    schemaPaths(),
    subjectPaths(),
    compatibilityPaths(),
    configPaths(),
    modePaths(),
    probePaths(),
    negotiationPaths(),
    validationPaths(),
    adminPaths(),
    dashboardPaths(),
    opsPaths(),
    uiPaths(),
  );
  const unknownPath = errorResponses(['ROUTE_NOT_FOUND', ...UNROUTED_COMMON]);
  const unknownMethod = errorResponses(['METHOD_NOT_ALLOWED', ...UNROUTED_COMMON]);
  const responses = shareResponses([
    ...Object.values(paths).flatMap((item) =>
      Object.values(item).map((op) => op.responses as Record<string, unknown>),
    ),
    unknownPath,
    unknownMethod,
  ]);
  return {
    openapi: '3.1.0',
    info: {
      title: 'ProximaDB Schema Registry',
      version: opts.version,
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: TAGS.map(([name, description]) => ({ name, description })),
    security: SECURED,
    paths,
    components: {
      schemas: SCHEMAS,
      responses,
      securitySchemes: {
        basicAuth: {
          type: 'http',
          scheme: 'basic',
          description:
            'A user of the `AUTH_FILE` with an scrypt password (`proximadb-registry hash-password`).',
        },
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A token of an `AUTH_FILE` user (stored there as a SHA-256 digest).',
        },
      },
      headers: {
        'X-Request-Id': {
          description: 'The request id: the caller’s own when it sent a sane one, else a new UUID.',
          required: true,
          schema: { type: 'string' },
        },
        'WWW-Authenticate': {
          description:
            'The challenges: `Basic realm="proximadb-registry", charset="UTF-8"` and `Bearer realm="proximadb-registry"`.',
          required: true,
          schema: { type: 'string' },
        },
        Allow: { description: 'The methods the path has.', required: true, schema: { type: 'string' } },
        'Retry-After': {
          description: 'Seconds after which a retry may succeed.',
          schema: { type: 'integer' },
        },
      },
    },
    'x-unrouted-responses': {
      description:
        'Answers outside the documented operations: `unknownPath` for a path no operation lists (paths are case-sensitive, and a path with a `.` or `..` segment, also percent-encoded, lists none: it is refused before routing), `unknownMethod` for a listed path with a method it does not list (HEAD counts as GET).',
      unknownPath,
      unknownMethod,
    },
  };
}

const texts = new Map<string, string>();

/** The document as served and as stored in docs/openapi.json (2-space JSON and a final newline). */
export function openApiJson(opts: { version: string }): string {
  let text = texts.get(opts.version);
  if (text === undefined) {
    text = `${JSON.stringify(buildOpenApiDocument(opts), null, 2)}\n`;
    texts.set(opts.version, text);
  }
  return text;
}
