/**
 * The web UI's own paths (ui-routes.ts): the redirect to `/ui/`, the page and its content-hashed
 * assets. Public and mounted in front of authentication and content negotiation (like `/docs`), so
 * their errors are in the default registry type. Anything else under `/ui/` is the unknown-path 404.
 */
import { UI_CONTENT_TYPES, UI_CSP } from '../ui-routes.js';
import { operation, pathParam } from './operation.js';

const TAG = 'Web UI';
const ui = { tag: TAG, permission: 'public', stage: 'early', storage: false } as const;

const header = (description: string, schema: Record<string, unknown>, required = true) => ({
  description,
  required,
  schema,
});
const ETAG = header('A strong validator of the body (send it back in `If-None-Match`).', { type: 'string' });
const NOSNIFF = header('Always `nosniff`.', { const: 'nosniff' });
const VARY = header('Always `Accept-Encoding`.', { const: 'Accept-Encoding' });
const GZIP = header(
  '`gzip` when the request accepts it (`Accept-Encoding`); absent otherwise.',
  {
    const: 'gzip',
  },
  false,
);
/** The page's extra headers, on its 200 and on its 304. */
const PAGE_POLICY = {
  'Content-Security-Policy': header(
    `Always \`${UI_CSP}\`: nothing from another origin, no inline script, no framing.`,
    {
      const: UI_CSP,
    },
  ),
  'Referrer-Policy': header('Always `no-referrer`.', { const: 'no-referrer' }),
};

/** The 304 to a revalidation whose `If-None-Match` is the current `ETag`. */
function notModified(cacheControl: string, extra: Record<string, unknown> = {}) {
  return {
    description: 'Not modified: `If-None-Match` named the current `ETag`. No body.',
    headers: {
      'Cache-Control': header(`Always \`${cacheControl}\`.`, { const: cacheControl }),
      ETag: ETAG,
      ...extra,
    },
  };
}

const type = (extension: string) => UI_CONTENT_TYPES[extension]!.split(';', 1)[0]!;
const textBody = (description: string) => ({ schema: { type: 'string', description } });

const PAGE_CACHE = 'no-cache';
const ASSET_CACHE = 'public, max-age=31536000, immutable';

export function uiPaths(): Record<string, Record<string, unknown>> {
  return {
    '/ui': {
      get: operation({
        ...ui,
        operationId: 'uiRedirect',
        summary: 'Redirect to the web UI page (`ui/`)',
        description: "A relative `Location`, so a reverse proxy's path prefix is kept.",
        ok: {
          status: 301,
          description: 'Moved permanently to `ui/`.',
          headers: { Location: header('Always `ui/` (relative).', { const: 'ui/' }) },
          content: { 'text/plain': textBody('Always `Moved Permanently. Redirecting to ui/`.') },
        },
      }),
    },
    '/ui/': {
      get: operation({
        ...ui,
        operationId: 'uiPage',
        summary: 'The web UI page',
        description:
          "An HTML page loading one script and one style sheet from `assets/`. The UI is bundled in memory once per process, on the first request (a failed bundle answers 500 and is retried by the next request). Revalidated on every load: a matching `If-None-Match` answers 304. The page and its code are public; every API call it makes carries the user's credentials.",
        ok: {
          description: 'The page (gzip-encoded when accepted).',
          headers: {
            'Cache-Control': header(`Always \`${PAGE_CACHE}\`.`, { const: PAGE_CACHE }),
            ETag: ETAG,
            ...PAGE_POLICY,
            'X-Content-Type-Options': NOSNIFF,
            Vary: VARY,
            'Content-Encoding': GZIP,
          },
          content: { [type('.html')]: textBody('An HTML page.') },
        },
        also: { 304: notModified(PAGE_CACHE, PAGE_POLICY) },
      }),
    },
    '/ui/assets/{name}': {
      get: operation({
        ...ui,
        operationId: 'uiAsset',
        summary: "The page's script or style sheet, content-hashed and cached for a year",
        description:
          'The names change with the content (the page names the current ones), so each name is cached as immutable.',
        parameters: [
          pathParam(
            'name',
            'An asset the current page names (`app-<hash>.js` or `app-<hash>.css`); any other name answers 404/404.',
            { type: 'string', pattern: '^app-[A-Z0-9]+\\.(js|css)$' },
            'app-5XK2QF3A.js',
          ),
        ],
        ok: {
          description: 'The file (gzip-encoded when accepted).',
          headers: {
            'Cache-Control': header(`Always \`${ASSET_CACHE}\`.`, { const: ASSET_CACHE }),
            ETag: ETAG,
            'X-Content-Type-Options': NOSNIFF,
            Vary: VARY,
            'Content-Encoding': GZIP,
          },
          content: {
            [type('.js')]: textBody('The script (an ES module).'),
            [type('.css')]: textBody('The style sheet.'),
          },
        },
        also: { 304: notModified(ASSET_CACHE) },
        errors: ['BAD_REQUEST', 'ROUTE_NOT_FOUND'],
      }),
    },
  };
}
