/**
 * `/schemas` and `/schemas/ids/{id}/...`: schemas by global id. Ids resolve forever (soft-deleted
 * included) because consumers decode old records with them; the service owns that rule.
 */
import type { Request, Router } from 'express';
import type { SchemaReference } from '../avro/types.js';
import { DomainError } from '../errors.js';
import type { RegistryApi, SchemaStringView, SchemaVersionView } from '../registry/registry-api.js';
import { sendJson, sendRawJson } from './content-type.js';
import { methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { boolQuery, listQuery, parseInt32, pathParam, stringQuery } from './query.js';

/** 7.x shapes: `schemaType` left out for AVRO, `references` when empty (Jackson NON_EMPTY). */
function typeAndReferences(view: { schemaType?: string; references?: SchemaReference[] }): {
  schemaType?: string;
  references?: SchemaReference[];
} {
  const out: { schemaType?: string; references?: SchemaReference[] } = {};
  if (view.schemaType !== undefined && view.schemaType.toUpperCase() !== 'AVRO')
    out.schemaType = view.schemaType;
  if (view.references !== undefined && view.references.length > 0) out.references = view.references;
  return out;
}

/** A subject-version object, exactly the fields (and order) Confluent 7.x sends. */
export function renderSchemaVersion(view: SchemaVersionView): Record<string, unknown> {
  return {
    subject: view.subject,
    version: view.version,
    id: view.id,
    ...typeAndReferences(view),
    schema: view.schema,
  };
}

export function renderSchemaString(view: SchemaStringView): Record<string, unknown> {
  const out: Record<string, unknown> = { ...typeAndReferences(view), schema: view.schema };
  if (view.maxId !== undefined) out.maxId = view.maxId;
  return out;
}

/** Jersey turns a non-integer `{id}` into 404 with the generic body (the route "does not exist"). */
function schemaIdParam(req: Request): string {
  const id = parseInt32(pathParam(req, 'id'));
  if (id === undefined) throw new DomainError('ROUTE_NOT_FOUND', 'HTTP 404 Not Found');
  return String(id);
}

/** The paging and `subject` filter the two id-to-subject listings share. */
function subjectListQuery(req: Request) {
  return { ...listQuery(req.query), subject: stringQuery(req.query, 'subject') };
}

export function schemasRoutes(registry: RegistryApi): Router {
  const router = guardedRouter();

  router
    .route('/schemas')
    .get(async (req, res) => {
      const list = await registry.listSchemas({
        ...listQuery(req.query),
        subjectPrefix: stringQuery(req.query, 'subjectPrefix'),
        latestOnly: boolQuery(req.query, 'latestOnly'),
      });
      sendJson(res, list.map(renderSchemaVersion));
    })
    .all(methodNotAllowed);

  router
    .route('/schemas/ids/:id')
    .get(async (req, res) => {
      const view = await registry.getSchemaById(schemaIdParam(req), {
        subject: stringQuery(req.query, 'subject'),
        fetchMaxId: boolQuery(req.query, 'fetchMaxId'),
        format: stringQuery(req.query, 'format'),
      });
      sendJson(res, renderSchemaString(view));
    })
    .all(methodNotAllowed);

  router
    .route('/schemas/ids/:id/schema')
    .get(async (req, res) => {
      const text = await registry.getSchemaTextById(schemaIdParam(req), {
        subject: stringQuery(req.query, 'subject'),
        format: stringQuery(req.query, 'format'),
      });
      sendRawJson(res, text);
    })
    .all(methodNotAllowed);

  router
    .route('/schemas/ids/:id/subjects')
    .get(async (req, res) => {
      const subjects = await registry.getSubjectsById(schemaIdParam(req), subjectListQuery(req));
      sendJson(res, subjects);
    })
    .all(methodNotAllowed);

  router
    .route('/schemas/ids/:id/versions')
    .get(async (req, res) => {
      const versions = await registry.getVersionsById(schemaIdParam(req), subjectListQuery(req));
      sendJson(
        res,
        versions.map((v) => ({ subject: v.subject, version: v.version })),
      );
    })
    .all(methodNotAllowed);

  return router.router;
}
