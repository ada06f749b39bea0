/**
 * The registry use cases export/import need, over HTTP against a running server (so they work with
 * auth, behind a proxy, and without touching the database file). Errors arrive as the SDK's
 * RegistryError, whose stable `code` the export/import logic switches on.
 */
import type { ExportSource, ImportTarget } from '../../registry/export-import.js';
import type { HttpTransport } from '../../sdk/http-transport.js';

const enc = encodeURIComponent;
const scoped = (root: string, subject: string | null) =>
  subject === null ? root : `${root}/${enc(subject)}`;

export function httpRegistryAdapter(http: HttpTransport): ExportSource & ImportTarget {
  return {
    listSubjects: (opts) => http.request('GET', '/subjects', { query: { deleted: opts.deleted } }),
    listVersions: (subject, opts) =>
      http.request('GET', `/subjects/${enc(subject)}/versions`, { query: { deleted: opts.deleted } }),
    getVersion: (subject, version, opts) =>
      http.request('GET', `/subjects/${enc(subject)}/versions/${enc(version)}`, {
        query: { deleted: opts.deleted },
      }),
    getConfig: (subject, opts) =>
      http.request('GET', scoped('/config', subject), { query: { defaultToGlobal: opts.defaultToGlobal } }),
    getMode: (subject, opts) =>
      http.request('GET', scoped('/mode', subject), { query: { defaultToGlobal: opts.defaultToGlobal } }),
    // Registering with an explicit id is idempotent: the same id and content again is a no-op.
    register: (subject, body) =>
      http.request('POST', `/subjects/${enc(subject)}/versions`, { body, idempotent: true }),
    deleteVersion: (subject, version) =>
      http.request('DELETE', `/subjects/${enc(subject)}/versions/${enc(version)}`, { idempotent: false }),
    setConfig: (subject, body) => http.request('PUT', scoped('/config', subject), { body }),
    setMode: (subject, body, opts) =>
      http.request('PUT', scoped('/mode', subject), { body, query: { force: opts.force } }),
    getRegistryState: () => http.request('GET', '/admin/state'),
    raiseMaxSchemaId: (body) => http.request('PUT', '/admin/max-schema-id', { body }),
  };
}
