/**
 * The OpenAPI document itself: valid OpenAPI 3.1 (a well-kept validator, not ours), every response
 * schema compiles as JSON Schema 2020-12 in Ajv's strict mode, `docs/openapi.json` is exactly what
 * `GET /openapi.json` serves, and the parts the other checks rely on are there (operation ids,
 * permissions, the error envelope on every error answer).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { ERROR_TABLE } from '../../src/errors.js';
import { freshServer } from '../http/helpers.js';
import { OpenApiContract } from '../support/openapi-contract.js';
import { DOCUMENT_FILE, documentText } from './document-file.js';
import { documentedOperations } from './operations.js';

type Json = Record<string, unknown>;
const text = documentText();
const document = JSON.parse(text) as Json;

/** A `#/components/schemas/X` reference resolved (one level is all the error bodies use). */
function resolve(schema: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  return ((document.components as Json).schemas as Record<string, Json>)[name]!;
}

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(validator.version, '3.1');
  });

  it('the validator refuses a broken document (the check above can fail)', async () => {
    const broken = structuredClone(document) as { paths: Record<string, Json> };
    broken.paths['/subjects']!.get = { responses: 'none' };
    const result = await new Validator().validate(broken);
    assert.equal(result.valid, false);
  });

  it('every JSON response schema compiles under Ajv 2020-12 strict mode', () => {
    const compiled = new OpenApiContract(document).compileAll();
    assert.ok(compiled > 100, `compiled ${compiled} response schemas`);
  });

  it('docs/openapi.json is identical to what the server serves (run `npm run openapi:write`)', async () => {
    const stored = readFileSync(DOCUMENT_FILE, 'utf8');
    assert.ok(stored === text, 'docs/openapi.json is stale: run `npm run openapi:write` and commit it');
    const server = await freshServer();
    try {
      const res = await request(server.app).get('/openapi.json').buffer(true);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal(res.text, stored);
    } finally {
      await server.close();
    }
  });

  it('every operation has a unique operationId, a permission, a success answer and security', () => {
    const ids = new Set<string>();
    for (const { method, template, op } of documentedOperations(document)) {
      const where = `${method} ${template}`;
      assert.equal(typeof op.operationId, 'string', where);
      assert.ok(
        !ids.has(op.operationId as string),
        `${where}: duplicate operationId ${String(op.operationId)}`,
      );
      ids.add(op.operationId as string);
      assert.ok(
        ['public', 'read', 'write', 'admin', 'subject:read', 'subject:write'].includes(
          op['x-required-permission'] as string,
        ),
        where,
      );
      assert.ok(Array.isArray(op.security), where);
      assert.equal((op.security as unknown[]).length === 0, op['x-required-permission'] === 'public', where);
      // 200, or the web UI's redirect (301).
      const success = Object.keys(op.responses as Json).filter((s) => /^[23]\d\d$/.test(s) && s !== '304');
      assert.equal(success.length, 1, `${where}: one success answer, got ${success.join(', ')}`);
      assert.ok(['200', '301'].includes(success[0]!), where);
    }
    assert.ok(ids.size >= 50, `${ids.size} operations`);
  });

  it('every error answer is the envelope, with error_codes of its own status from the error table', () => {
    const responses = (document.components as Json).responses as Record<string, Json>;
    const codesByStatus = new Map<number, Set<number>>();
    for (const spec of Object.values(ERROR_TABLE)) {
      const set = codesByStatus.get(spec.status) ?? new Set<number>();
      set.add(spec.errorCode);
      codesByStatus.set(spec.status, set);
    }
    for (const [name, answer] of Object.entries(responses)) {
      const status = Number(/^Error(\d{3})/.exec(name)?.[1]);
      for (const [type, media] of Object.entries(answer.content as Record<string, Json>)) {
        const schema = media.schema as Json;
        const branches = (schema.oneOf as Json[] | undefined) ?? [schema];
        for (const listed of branches) {
          const branch = resolve(listed);
          const codes = ((branch.properties as Json).error_code as Json).enum ?? [
            ((branch.properties as Json).error_code as Json).const,
          ];
          for (const code of codes as number[]) {
            assert.ok(
              codesByStatus.get(status)?.has(code),
              `${name} ${type}: ${code} is not a ${status} code`,
            );
          }
        }
      }
    }
  });
});
