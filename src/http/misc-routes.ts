/**
 * Small endpoints clients probe: liveness (`GET /`, `POST /`), supported types, contexts, cluster
 * metadata, and the associations lookup the Confluent JS client (>= 1.9) makes before its first
 * serialization — an empty list makes it fall back to the `<topic>-value` subject.
 */
import type { Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';

export interface ServerIdentity {
  /** The registry's version, reported by `/v1/metadata/version`. */
  readonly version: string;
  readonly commitId: string;
  /** Reported as both cluster ids of `/v1/metadata/id` (there is no Kafka cluster behind us). */
  readonly clusterId: string;
}

export function miscRoutes(registry: RegistryApi, identity: ServerIdentity): Router {
  const router = guardedRouter();

  router
    .route('/')
    .get((_req, res) => sendJson(res, {}))
    .post((_req, res) => sendJson(res, {}))
    .all(methodNotAllowed);

  router
    .route('/schemas/types')
    .get((_req, res) => sendJson(res, registry.schemaTypes()))
    .all(methodNotAllowed);

  router
    .route('/contexts')
    .get((_req, res) => sendJson(res, ['.']))
    .all(methodNotAllowed);

  router
    .route('/v1/metadata/id')
    .get((_req, res) =>
      sendJson(res, {
        id: '',
        scope: {
          path: [],
          clusters: { 'kafka-cluster': identity.clusterId, 'schema-registry-cluster': identity.clusterId },
        },
      }),
    )
    .all(methodNotAllowed);

  router
    .route('/v1/metadata/version')
    .get((_req, res) => sendJson(res, { version: identity.version, commitId: identity.commitId }))
    .all(methodNotAllowed);

  router
    .route('/associations/resources/:namespace/:name')
    .get((_req, res) => sendJson(res, []))
    .all(methodNotAllowed);

  return router.router;
}
