/**
 * Fingerprints against Avro's own vectors: share/test/data/schema-tests.txt (Parsing Canonical Form and
 * CRC-64-AVRO) and lang/py's FINGERPRINT_EXAMPLES (CRC-64 little-endian bytes, MD5, SHA-256).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  crc64Avro,
  crc64Hex,
  crc64LittleEndian,
  crc64Signed,
  md5Hex,
  schemaFingerprints,
  sha256Hex,
} from '../../src/avro/fingerprint.js';
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
    examples: Array<{ schema: string; crc64le: string; md5: string; sha256: string; divergence?: string }>;
  };
  it('has the vectors', () => assert.ok(data.examples.length >= 30));
  for (const ex of data.examples) {
    const name = ex.schema.length > 60 ? `${ex.schema.slice(0, 60)}…` : ex.schema;
    if (ex.divergence !== undefined) {
      // A vector lang/py got wrong: we follow the spec and Java, and the vector is exactly what the
      // described mistake produces, so the explanation itself is checked.
      it(`${name} (lang/py diverges from the spec: ${ex.divergence.slice(0, 40)}…)`, () => {
        const fp = schemaFingerprints(parseSchema(ex.schema, { mode: 'strict' }));
        const definition = '{"name":"org.apache.avro.ipc.MD5","type":"fixed","size":16}';
        assert.equal(
          fp.pcf.split(definition).length - 1,
          1,
          'the named type is defined once, then referenced',
        );
        assert.notEqual(hexOf(fp.crc64Bytes), ex.crc64le);
        const expanded = fp.pcf.replace('"type":"org.apache.avro.ipc.MD5"', `"type":${definition}`);
        assert.equal(hexOf(crc64LittleEndian(crc64Avro(expanded))), ex.crc64le);
        assert.equal(md5Hex(expanded), ex.md5);
        assert.equal(sha256Hex(expanded), ex.sha256);
      });
      continue;
    }
    it(name, () => {
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
