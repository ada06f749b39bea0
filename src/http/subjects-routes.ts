/**
 * `/subjects/...`: register, lookup, versions, soft/hard deletes. Subjects arrive percent-decoded
 * (`a%2Fb` is the subject `a/b`); version segments are passed raw because `latest`, `-1` and the 42202
 * message are the service's business.
 */
import type { Request, Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson, sendRawJson } from './content-type.js';
import { methodNotAllowed, requireBody } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { boolQuery, listQuery, pathParam, stringQuery } from './query.js';
import { renderSchemaVersion } from './schemas-routes.js';

export function subjectsRoutes(registry: RegistryApi): Router {
  const router = guardedRouter();

  router
    .route('/subjects')
    .get(async (req, res) => {
      const subjects = await registry.listSubjects({
        ...listQuery(req.query),
        subjectPrefix: stringQuery(req.query, 'subjectPrefix'),
      });
      sendJson(res, subjects);
    })
    .all(methodNotAllowed);

  router
    .route('/subjects/:subject')
    .post(async (req, res) => {
      const view = await registry.lookup(pathParam(req, 'subject'), requireBody(req), {
        normalize: boolQuery(req.query, 'normalize'),
        deleted: boolQuery(req.query, 'deleted'),
      });
      sendJson(res, renderSchemaVersion(view));
    })
    .delete(async (req, res) => {
      const versions = await registry.deleteSubject(pathParam(req, 'subject'), deleteOptions(req));
      sendJson(res, versions);
    })
    .all(methodNotAllowed);

  router
    .route('/subjects/:subject/versions')
    .get(async (req, res) => {
      const versions = await registry.listVersions(pathParam(req, 'subject'), {
        ...listQuery(req.query),
        deletedAsNegative: boolQuery(req.query, 'deletedAsNegative'),
      });
      sendJson(res, versions);
    })
    .post(async (req, res) => {
      const { id } = await registry.register(pathParam(req, 'subject'), requireBody(req), {
        normalize: boolQuery(req.query, 'normalize'),
        force: boolQuery(req.query, 'force'),
      });
      // 7.x shape on purpose: older Java/Connect clients reject any other field (see reference §0).
      sendJson(res, { id });
    })
    .all(methodNotAllowed);

  router
    .route('/subjects/:subject/versions/:version')
    .get(async (req, res) => {
      const view = await readVersion(registry, req);
      sendJson(res, renderSchemaVersion(view));
    })
    .delete(async (req, res) => {
      const version = await registry.deleteVersion(
        pathParam(req, 'subject'),
        pathParam(req, 'version'),
        deleteOptions(req),
      );
      sendJson(res, version);
    })
    .all(methodNotAllowed);

  router
    .route('/subjects/:subject/versions/:version/schema')
    .get(async (req, res) => {
      const view = await readVersion(registry, req);
      sendRawJson(res, view.schema);
    })
    .all(methodNotAllowed);

  router
    .route('/subjects/:subject/versions/:version/referencedby')
    .get(async (req, res) => {
      const ids = await registry.getReferencedBy(
        pathParam(req, 'subject'),
        pathParam(req, 'version'),
        listQuery(req.query),
      );
      sendJson(res, ids);
    })
    .all(methodNotAllowed);

  return router.router;
}

/** A version as both `GET .../versions/:version` and `.../schema` read it; only the rendering differs. */
function readVersion(registry: RegistryApi, req: Request) {
  return registry.getVersion(pathParam(req, 'subject'), pathParam(req, 'version'), {
    deleted: boolQuery(req.query, 'deleted'),
    format: stringQuery(req.query, 'format'),
  });
}

/** Subject and version deletes take the same two flags. */
function deleteOptions(req: Request): { permanent: boolean | undefined; force: boolean | undefined } {
  return { permanent: boolQuery(req.query, 'permanent'), force: boolQuery(req.query, 'force') };
}
