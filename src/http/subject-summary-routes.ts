/**
 * `GET /catalog/subjects`: a page of subject summaries (counts, latest version, effective level and
 * mode) filtered by `prefix` or `contains`, for dashboards and any client that lists a large registry.
 * Our own endpoint: Confluent's `GET /subjects` is unchanged.
 */
import type { Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { boolQuery, intQuery, stringQuery } from './query.js';

export function subjectSummaryRoutes(registry: RegistryApi): Router {
  const router = guardedRouter();
  router
    .route('/catalog/subjects')
    .get(async (req, res) => {
      const prefix = stringQuery(req.query, 'prefix');
      const contains = stringQuery(req.query, 'contains');
      const offset = intQuery(req.query, 'offset');
      const limit = intQuery(req.query, 'limit');
      const page = await registry.listSubjectSummaries({
        ...(prefix === undefined ? {} : { prefix }),
        ...(contains === undefined ? {} : { contains }),
        deleted: boolQuery(req.query, 'deleted') === true,
        ...(offset === undefined ? {} : { offset }),
        ...(limit === undefined ? {} : { limit }),
      });
      sendJson(res, page);
    })
    .all(methodNotAllowed);
  return router.router;
}
