import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exposureWarning } from './auth.js';

test('exposure warning only when listening beyond loopback without auth', () => {
  assert.equal(exposureWarning('127.0.0.1', false), undefined);
  assert.equal(exposureWarning('localhost', false), undefined);
  assert.equal(exposureWarning('::1', false), undefined);
  assert.match(exposureWarning('0.0.0.0', false) ?? '', /AUTH_FILE/);
  assert.match(exposureWarning(undefined, false) ?? '', /all interfaces/);
  assert.equal(exposureWarning('0.0.0.0', true), undefined);
});
