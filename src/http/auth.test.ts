import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exposureWarning, requirementFor } from './auth.js';

test('requirements: reads, subject writes, admin-only global config and modes, public health', () => {
  const cases: Array<[string, string, unknown]> = [
    ['GET', '/health/ready', { kind: 'public' }],
    ['GET', '/health/live', { kind: 'public' }],
    ['GET', '/metrics', { kind: 'role', role: 'read' }],
    ['GET', '/schemas/ids/1', { kind: 'role', role: 'read' }],
    ['GET', '/subjects', { kind: 'role', role: 'read' }],
    ['GET', '/subjects/a%2Fb/versions/latest', { kind: 'subject', subject: 'a/b', access: 'read' }],
    ['POST', '/subjects/orders/versions', { kind: 'subject', subject: 'orders', access: 'write' }],
    ['POST', '/subjects/orders/versions/', { kind: 'subject', subject: 'orders', access: 'write' }],
    ['POST', '/subjects/orders', { kind: 'subject', subject: 'orders', access: 'read' }],
    ['POST', '/subjects/orders/versions/3/validate', { kind: 'subject', subject: 'orders', access: 'read' }],
    ['POST', '/negotiation/subjects/orders', { kind: 'subject', subject: 'orders', access: 'read' }],
    [
      'PUT',
      '/negotiation/subjects/orders/participants/p1',
      { kind: 'subject', subject: 'orders', access: 'read' },
    ],
    ['GET', '/negotiation/subjects/orders/agreement', { kind: 'subject', subject: 'orders', access: 'read' }],
    ['DELETE', '/subjects/orders', { kind: 'subject', subject: 'orders', access: 'write' }],
    ['DELETE', '/subjects/orders/versions/2', { kind: 'subject', subject: 'orders', access: 'write' }],
    [
      'POST',
      '/compatibility/subjects/orders/versions/latest',
      { kind: 'subject', subject: 'orders', access: 'read' },
    ],
    ['GET', '/config', { kind: 'role', role: 'read' }],
    ['PUT', '/config', { kind: 'role', role: 'admin' }],
    ['DELETE', '/config', { kind: 'role', role: 'admin' }],
    ['GET', '/config/orders', { kind: 'subject', subject: 'orders', access: 'read' }],
    ['PUT', '/config/orders', { kind: 'subject', subject: 'orders', access: 'write' }],
    ['DELETE', '/config/orders', { kind: 'subject', subject: 'orders', access: 'write' }],
    ['PUT', '/mode', { kind: 'role', role: 'admin' }],
    ['PUT', '/mode/orders', { kind: 'role', role: 'admin' }],
    ['DELETE', '/mode/orders', { kind: 'role', role: 'admin' }],
    ['GET', '/mode/orders', { kind: 'subject', subject: 'orders', access: 'read' }],
    ['GET', '/admin/state', { kind: 'role', role: 'read' }],
    ['PUT', '/admin/max-schema-id', { kind: 'role', role: 'admin' }],
    ['POST', '/somewhere/else', { kind: 'role', role: 'write' }],
    ['POST', '/subjects/%E0%A4%A/versions', { kind: 'role', role: 'write' }],
  ];
  for (const [method, path, want] of cases)
    assert.deepEqual(requirementFor(method, path), want, `${method} ${path}`);
});

test('exposure warning only when listening beyond loopback without auth', () => {
  assert.equal(exposureWarning('127.0.0.1', false), undefined);
  assert.equal(exposureWarning('localhost', false), undefined);
  assert.equal(exposureWarning('::1', false), undefined);
  assert.match(exposureWarning('0.0.0.0', false) ?? '', /AUTH_FILE/);
  assert.match(exposureWarning(undefined, false) ?? '', /all interfaces/);
  assert.equal(exposureWarning('0.0.0.0', true), undefined);
});
