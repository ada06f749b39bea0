import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AgreementLike, agreementEvents } from './agreement-events.js';

const base: AgreementLike = {
  version: 1,
  semver: '1.0.0',
  epoch: 1,
  degraded: false,
  participants: [],
  blocked: [],
};

test('nothing changed, nothing to say', () => {
  assert.deepEqual(agreementEvents(base, { ...base }), []);
});

test('joins, leaves, new blocked versions and a move of the agreement are all told', () => {
  const joined: AgreementLike = {
    ...base,
    participants: [{ id: 'reader-a', role: 'reader' }],
    blocked: [{ version: 2, semver: '1.1.0', blockers: [{ participant: 'reader-a' }] }],
  };
  assert.deepEqual(agreementEvents(base, joined), [
    'Participant reader-a (reader) joined.',
    'Version 2 (1.1.0) is blocked by reader-a.',
  ]);
  const moved: AgreementLike = { ...base, version: 2, semver: '1.1.0', epoch: 2, degraded: true };
  assert.deepEqual(agreementEvents(joined, moved), [
    'The agreement moved from 1.0.0 (version 1) to 1.1.0 (version 2), epoch 2.',
    'The agreement is degraded.',
    'Participant reader-a left or its lease expired.',
  ]);
});
