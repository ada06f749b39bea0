/** Shared by the end-to-end HTTP tests: a real server on a fresh in-memory database, and assertions. */
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { ManualClock } from '../../src/clock.js';
import type { RegistryConfig } from '../../src/config.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

export const V1 = 'application/vnd.schemaregistry.v1+json';

export async function freshServer(overrides: Partial<RegistryConfig> = {}): Promise<RegistryServer> {
  const server = await createRegistryServer(await testConfig({ ...overrides, databasePath: ':memory:' }), {
    clock: new ManualClock(),
  });
  // Every response is checked against the OpenAPI document (test/support/openapi-responses.ts).
  return checkResponses(server);
}

/** The response is exactly the Confluent error envelope with this status and error_code. */
export function assertError(
  res: Response,
  status: number,
  errorCode: number,
  message?: string | RegExp,
): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.equal(res.headers['content-type'], V1);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['error_code', 'message']);
  assert.equal(body.error_code, errorCode);
  assert.equal(typeof body.message, 'string');
  if (typeof message === 'string') assert.equal(body.message, message);
  else if (message) assert.match(body.message as string, message);
}

/** A compact record schema text; `extra` fields are appended after `a: int`. */
export function record(name: string, extra: object[] = [], namespace = 'ai.proximadb.test'): string {
  return JSON.stringify({ type: 'record', name, namespace, fields: [{ name: 'a', type: 'int' }, ...extra] });
}

/** Two schemas joined by a reference: `Order.total` is the `Money` record of subject `money`, version 1. */
export const MONEY_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Money',
  namespace: 'ai.proximadb.test',
  fields: [{ name: 'cents', type: 'long' }],
});
export const ORDER_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'ai.proximadb.test',
  fields: [{ name: 'total', type: 'ai.proximadb.test.Money' }],
});
export const MONEY_REFERENCE = { name: 'ai.proximadb.test.Money', subject: 'money', version: 1 };
