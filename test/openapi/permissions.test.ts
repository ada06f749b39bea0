/**
 * What the document says each route needs (`x-required-permission`, `security`) is what the server
 * enforces with access control on. Every documented operation is called as six callers whose rights
 * separate the six permissions: anonymous; a reader with no access to any subject; a reader; a reader
 * with write access to every subject; a writer; an admin. A caller without the permission must get
 * 401 (anonymous) or 403; one with it must get neither.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { generateToken } from '../../src/auth/credentials.js';
import { freshServer } from '../http/helpers.js';
import { openApiContract } from '../support/openapi-contract.js';
import { documentedOperations } from './operations.js';

const dir = mkdtempSync(join(tmpdir(), 'openapi-auth-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Caller = 'anonymous' | 'blind' | 'reader' | 'subjectWriter' | 'writer' | 'admin';
/** The permissions each caller holds. */
const HOLDS: Record<Caller, readonly string[]> = {
  anonymous: ['public'],
  blind: ['public', 'read'],
  reader: ['public', 'read', 'subject:read'],
  subjectWriter: ['public', 'read', 'subject:read', 'subject:write'],
  writer: ['public', 'read', 'subject:read', 'subject:write', 'write'],
  admin: ['public', 'read', 'subject:read', 'subject:write', 'write', 'admin'],
};
const tokens = {
  blind: generateToken(),
  reader: generateToken(),
  subjectWriter: generateToken(),
  writer: generateToken(),
  admin: generateToken(),
};
const authFile = join(dir, 'credentials.json');
writeFileSync(
  authFile,
  JSON.stringify({
    users: [
      {
        name: 'blind',
        role: 'read',
        tokens: [tokens.blind.hash],
        permissions: [{ prefix: '', access: 'none' }],
      },
      { name: 'reader', role: 'read', tokens: [tokens.reader.hash] },
      {
        name: 'subject-writer',
        role: 'read',
        tokens: [tokens.subjectWriter.hash],
        permissions: [{ prefix: '', access: 'write' }],
      },
      { name: 'writer', role: 'write', tokens: [tokens.writer.hash] },
      { name: 'admin', role: 'admin', tokens: [tokens.admin.hash] },
    ],
  }),
);

const server = await freshServer({ authFile });
after(() => server.close());
const operations = documentedOperations(openApiContract().document);

describe('x-required-permission is what the server enforces', () => {
  for (const caller of Object.keys(HOLDS) as Caller[]) {
    it(`as ${caller}`, async () => {
      const wrong: string[] = [];
      for (const o of operations) {
        let req = request(server.app)[o.method.toLowerCase() as 'get'](o.path);
        if (caller !== 'anonymous') req = req.set('Authorization', `Bearer ${tokens[caller].token}`);
        if (o.hasBody) req = req.set('Content-Type', 'application/vnd.schemaregistry.v1+json').send('{}');
        const res = await req;
        const allowed = HOLDS[caller].includes(o.permission);
        const expected = allowed ? 'neither 401 nor 403' : caller === 'anonymous' ? '401' : '403';
        const ok = allowed
          ? res.status !== 401 && res.status !== 403
          : res.status === (caller === 'anonymous' ? 401 : 403);
        if (!ok)
          wrong.push(`${o.method} ${o.template} (${o.permission}): ${res.status}, expected ${expected}`);
      }
      assert.deepEqual(wrong, []);
    });
  }
});
