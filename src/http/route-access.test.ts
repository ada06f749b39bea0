import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Credentials, parseCredentials } from '../auth/credentials.js';
import { accessFor, accessRuleFor, isAllowed, ROUTE_ACCESS, requirementFor } from './route-access.js';

test('requirements by route template: reads, subject writes, admin-only global config and modes', () => {
  const cases: Array<[string, string, Record<string, string>, unknown]> = [
    ['GET', '/health/ready', {}, { kind: 'public' }],
    ['GET', '/metrics', {}, { kind: 'role', role: 'read' }],
    ['GET', '/schemas/ids/:id', { id: '1' }, { kind: 'role', role: 'read' }],
    ['HEAD', '/schemas/ids/:id', { id: '1' }, { kind: 'role', role: 'read' }],
    ['GET', '/subjects', {}, { kind: 'role', role: 'read' }],
    [
      'GET',
      '/subjects/:subject/versions/:version',
      { subject: 'a/b', version: 'latest' },
      { kind: 'subject', subject: 'a/b', access: 'read' },
    ],
    [
      'POST',
      '/subjects/:subject/versions',
      { subject: 'orders' },
      { kind: 'subject', subject: 'orders', access: 'write' },
    ],
    [
      'POST',
      '/subjects/:subject',
      { subject: 'orders' },
      { kind: 'subject', subject: 'orders', access: 'read' },
    ],
    [
      'POST',
      '/subjects/:subject/versions/:version/validate',
      { subject: 'orders', version: '3' },
      { kind: 'subject', subject: 'orders', access: 'read' },
    ],
    [
      'PUT',
      '/negotiation/subjects/:subject/participants/:participantId',
      { subject: 'orders', participantId: 'p1' },
      { kind: 'subject', subject: 'orders', access: 'read' },
    ],
    [
      'DELETE',
      '/subjects/:subject',
      { subject: 'orders' },
      { kind: 'subject', subject: 'orders', access: 'write' },
    ],
    [
      'POST',
      '/compatibility/subjects/:subject/versions/:version',
      { subject: 'orders', version: 'latest' },
      { kind: 'subject', subject: 'orders', access: 'read' },
    ],
    ['GET', '/config', {}, { kind: 'role', role: 'read' }],
    ['PUT', '/config', {}, { kind: 'role', role: 'admin' }],
    ['DELETE', '/config', {}, { kind: 'role', role: 'admin' }],
    [
      'PUT',
      '/config/:subject',
      { subject: 'orders' },
      { kind: 'subject', subject: 'orders', access: 'write' },
    ],
    ['PUT', '/mode', {}, { kind: 'role', role: 'admin' }],
    ['PUT', '/mode/:subject', { subject: 'orders' }, { kind: 'role', role: 'admin' }],
    ['DELETE', '/mode/:subject', { subject: 'orders' }, { kind: 'role', role: 'admin' }],
    ['GET', '/mode/:subject', { subject: 'orders' }, { kind: 'subject', subject: 'orders', access: 'read' }],
    ['GET', '/admin/state', {}, { kind: 'role', role: 'read' }],
    ['PUT', '/admin/max-schema-id', {}, { kind: 'role', role: 'admin' }],
    ['POST', '/', {}, { kind: 'role', role: 'write' }],
  ];
  for (const [method, template, params, want] of cases)
    assert.deepEqual(requirementFor(method, template, params), want, `${method} ${template}`);
});

test('deny by default: an unknown template or method, a subject rule without a subject, other spellings', () => {
  assert.equal(requirementFor('POST', '/somewhere/else', {}), undefined);
  assert.equal(requirementFor('PATCH', '/subjects/:subject', { subject: 'x' }), undefined);
  assert.equal(requirementFor('GET', '/subjects/:subject/versions', {}), undefined);
  // The table is looked up by the exact template, never by a case-folded or decoded variant.
  assert.equal(accessRuleFor('PUT', '/Mode'), undefined);
  assert.equal(accessRuleFor('PUT', '/mode/'), undefined);
  assert.equal(accessRuleFor('GET', 'constructor'), undefined);
  assert.equal(accessRuleFor('GET', '__proto__'), undefined);
});

test('the decision: roles rank, prefix rules decide subjects, nothing is allowed without a requirement', () => {
  const creds: Credentials = parseCredentials({
    users: [
      { name: 'r', role: 'read', tokens: [`sha256$${'a'.repeat(64)}`] },
      {
        name: 'w',
        role: 'write',
        tokens: [`sha256$${'b'.repeat(64)}`],
        permissions: [{ prefix: 'secret-', access: 'none' }],
      },
      { name: 'a', role: 'admin', tokens: [`sha256$${'c'.repeat(64)}`] },
    ],
  });
  const [r, w, a] = creds.users as [never, never, never];
  const sub = (subject: string, access: 'read' | 'write') => ({ kind: 'subject', subject, access }) as const;
  assert.equal(isAllowed(creds, r, { kind: 'role', role: 'read' }), true);
  assert.equal(isAllowed(creds, r, { kind: 'role', role: 'write' }), false);
  assert.equal(isAllowed(creds, w, { kind: 'role', role: 'admin' }), false);
  assert.equal(isAllowed(creds, a, { kind: 'role', role: 'admin' }), true);
  assert.equal(isAllowed(creds, r, sub('orders', 'read')), true);
  assert.equal(isAllowed(creds, r, sub('orders', 'write')), false);
  assert.equal(isAllowed(creds, w, sub('secret-x', 'read')), false);
  assert.equal(isAllowed(creds, w, sub('SECRET-x', 'write')), true, 'subjects are case-sensitive names');
  assert.equal(isAllowed(creds, a, sub('secret-x', 'write')), true);
  for (const user of [r, w, a]) assert.equal(isAllowed(creds, user, undefined), false);
  const access = accessFor(creds, w);
  assert.match(access.denial(sub('secret-x', 'read')), /User 'w' may not read subject 'secret-x'/);
  assert.match(access.denial({ kind: 'role', role: 'admin' }), /needs the admin role/);
});

test('every rule in the table names a method Express routes and a template in the table form', () => {
  for (const [template, byMethod] of Object.entries(ROUTE_ACCESS)) {
    assert.match(template, /^\/[a-z0-9/:_.-]*$/i, template);
    for (const method of Object.keys(byMethod)) assert.match(method, /^(GET|POST|PUT|DELETE)$/);
  }
});
