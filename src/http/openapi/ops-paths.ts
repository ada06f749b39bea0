/**
 * Operations paths: health probes (health-routes.ts), Prometheus metrics (metrics.ts), and this
 * document and its rendered page (docs-routes.ts). These answer in plain `application/json`, text or
 * HTML, not in the negotiated registry types; their errors are in the default registry type.
 */
import { DOCS_ASSETS } from '../docs-routes.js';
import { jsonContent } from './media.js';
import { operation, pathParam } from './operation.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const text = (type: string, description: string) => ({ [type]: { schema: { type: 'string', description } } });

export function opsPaths(): Record<string, Record<string, unknown>> {
  const health = { tag: 'Operations', permission: 'public', stage: 'early', storage: false } as const;
  const docs = { tag: 'Documentation', permission: 'public', stage: 'early', storage: false } as const;
  const assetTypes = [...new Set(Object.values(DOCS_ASSETS).map((t) => t.split(';')[0]!))];
  return {
    '/health/live': {
      get: operation({
        ...health,
        operationId: 'live',
        summary: 'Liveness: the process answers',
        ok: { description: 'Up.', content: jsonContent(ref('Health'), ['application/json']) },
      }),
    },
    '/health/ready': {
      get: operation({
        ...health,
        operationId: 'ready',
        summary: 'Readiness: migrations ran and the database answers',
        description:
          'Answers 503 while starting, once shutdown began (draining), or when the database does not answer.',
        ok: { description: 'Ready.', content: jsonContent(ref('Health'), ['application/json']) },
        errors: ['SERVICE_UNAVAILABLE'],
      }),
    },
    '/metrics': {
      get: operation({
        tag: 'Operations',
        operationId: 'metrics',
        summary: 'Prometheus metrics',
        description:
          'Request counts and latencies by route template, registrations by result, compatibility failures, cache hit rates and the process metrics.',
        permission: 'read',
        stage: 'metrics',
        storage: false,
        ok: {
          description: 'The Prometheus text exposition format (`text/plain; version=0.0.4; charset=utf-8`).',
          content: text('text/plain', 'Prometheus text format.'),
        },
      }),
    },
    '/openapi.json': {
      get: operation({
        ...docs,
        operationId: 'openapi',
        summary: 'This document (OpenAPI 3.1)',
        description: 'Identical to `docs/openapi.json` in the repository (a test keeps them equal).',
        ok: { description: 'The document.', content: jsonContent({ type: 'object' }, ['application/json']) },
      }),
    },
    '/docs': {
      get: operation({
        ...docs,
        operationId: 'docs',
        summary: 'This document rendered (Swagger UI, served offline)',
        ok: { description: 'The page.', content: text('text/html', 'An HTML page.') },
      }),
    },
    '/docs/assets/{file}': {
      get: operation({
        ...docs,
        operationId: 'docsAsset',
        summary: "The page's scripts, style sheet and icons (from `swagger-ui-dist`)",
        parameters: [
          pathParam(
            'file',
            'One of the files the page loads; any other name answers 404.',
            { type: 'string', enum: Object.keys(DOCS_ASSETS) },
            'docs-init.js',
          ),
        ],
        ok: {
          description: 'The file.',
          content: Object.fromEntries(
            assetTypes.map((t) => [
              t,
              t.startsWith('image/')
                ? { schema: { type: 'string', contentMediaType: t } }
                : { schema: { type: 'string' } },
            ]),
          ),
        },
        errors: ['BAD_REQUEST', 'ROUTE_NOT_FOUND'],
      }),
    },
  };
}
