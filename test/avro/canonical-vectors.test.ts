/** Parsing Canonical Form against Avro's own vectors (share/test/data/schema-tests.txt). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsingCanonicalForm } from '../../src/avro/canonical.js';
import { parseSchema } from '../../src/avro/parser.js';
import { readSchemaTests } from './testdata/schema-tests.js';

describe('parsingCanonicalForm', () => {
  const cases = readSchemaTests(new URL('./testdata/schema-tests.txt', import.meta.url).pathname);
  it('has the Avro vectors', () => assert.ok(cases.length >= 30));
  for (const c of cases) {
    it(`Avro schema-tests.txt case ${c.id}`, () =>
      assert.equal(parsingCanonicalForm(parseSchema(c.input, { mode: 'lenient' })), c.canonical));
  }
});
