/**
 * Fingerprints against Avro's own vectors: share/test/data/schema-tests.txt (Parsing Canonical Form and
 * CRC-64-AVRO) and lang/py's FINGERPRINT_EXAMPLES (CRC-64 little-endian bytes, MD5, SHA-256).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { crc64Hex, crc64Signed, md5Hex, schemaFingerprints, sha256Hex } from '../../src/avro/fingerprint.js';
import { parseSchema } from '../../src/avro/parser.js';
import { readSchemaTests } from './testdata/schema-tests.js';

const here = new URL('./testdata/', import.meta.url);
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('Avro share/test/data/schema-tests.txt fingerprints', () => {
  const cases = readSchemaTests(new URL('schema-tests.txt', here).pathname).filter((c) => c.fingerprint);
  it('has the vectors', () => assert.ok(cases.length >= 20));
  for (const c of cases) {
    it(`case ${c.id}`, () => {
      // Avro's own data includes invalid defaults (case 026), so parse as a stored schema.
      const fp = schemaFingerprints(parseSchema(c.input, { mode: 'lenient' }));
      assert.equal(fp.pcf, c.canonical);
      assert.equal(crc64Signed(fp.crc64Value), c.fingerprint);
    });
  }
});

describe('Avro lang/py FINGERPRINT_EXAMPLES', () => {
  const data = JSON.parse(readFileSync(new URL('fingerprint-examples.json', here), 'utf8')) as {
    examples: Array<{ schema: string; crc64le: string; md5: string; sha256: string; skip?: string }>;
  };
  it('has the vectors', () => assert.ok(data.examples.length >= 30));
  for (const ex of data.examples) {
    const name = ex.schema.length > 60 ? `${ex.schema.slice(0, 60)}…` : ex.schema;
    it(name, { skip: ex.skip }, () => {
      const fp = schemaFingerprints(parseSchema(ex.schema, { mode: 'strict' }));
      assert.equal(hexOf(fp.crc64Bytes), ex.crc64le);
      assert.equal(fp.md5, ex.md5);
      assert.equal(fp.sha256, ex.sha256);
      assert.equal(fp.crc64, crc64Hex(fp.crc64Value));
      assert.equal(fp.md5, md5Hex(fp.pcf));
      assert.equal(fp.sha256, sha256Hex(fp.pcf));
    });
  }
});
