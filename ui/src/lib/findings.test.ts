import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFinding } from './findings.js';

test('each Java incompatibility type reads as a sentence naming reader and writer', () => {
  assert.equal(
    describeFinding(
      { type: 'READER_FIELD_MISSING_DEFAULT_VALUE', location: '/fields/1', message: 'tag' },
      'your schema',
      'version 3',
    ),
    'Field “tag” of your schema has no default value and is missing in version 3.',
  );
  assert.equal(
    describeFinding(
      { type: 'MISSING_ENUM_SYMBOLS', location: '/fields/0/type/symbols', message: '[C]' },
      'version 2',
      'version 3',
    ),
    'Version 2 lacks enum symbols that version 3 can write: [C].',
  );
  assert.equal(
    describeFinding(
      {
        type: 'TYPE_MISMATCH',
        location: '/fields/0/type',
        message: 'reader type: INT not compatible with writer type: STRING',
      },
      'a',
      'b',
    ),
    'The types differ: reader type: INT not compatible with writer type: STRING.',
  );
  assert.equal(
    describeFinding({ type: 'SOMETHING_NEW', location: '/', message: 'as is' }, 'a', 'b'),
    'as is',
  );
});
