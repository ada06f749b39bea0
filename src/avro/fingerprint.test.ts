import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  CRC64_EMPTY,
  crc64Avro,
  crc64Hex,
  crc64LittleEndian,
  crc64Signed,
  md5Hex,
  schemaFingerprints,
  sha256Hex,
} from './fingerprint.js';
import { parseSchema } from './parser.js';
import { readSchemaTests } from './testdata/schema-tests.js';

const here = new URL('./testdata/', import.meta.url);
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The spec's bit-by-bit definition, independent of the table-driven implementation. */
function slowRabin(bytes: Uint8Array): bigint {
  let fp = CRC64_EMPTY;
  for (const b of bytes) {
    fp ^= BigInt(b);
    for (let k = 0; k < 8; k++) fp = (fp >> 1n) ^ (CRC64_EMPTY & -(fp & 1n));
  }
  return fp;
}

describe('crc64Avro', () => {
  it('of no bytes is the EMPTY constant', () => {
    assert.equal(crc64Avro(new Uint8Array()), 0xc15d213aa4d7a795n);
    assert.equal(crc64Hex(crc64Avro('')), 'c15d213aa4d7a795');
  });

  it('agrees with the bit-by-bit definition on varied input', () => {
    const bytes = new Uint8Array(1000).map((_, i) => (i * 131 + 7) & 0xff);
    for (const n of [1, 2, 7, 8, 9, 255, 1000]) {
      assert.equal(crc64Avro(bytes.subarray(0, n)), slowRabin(bytes.subarray(0, n)), `length ${n}`);
    }
  });

  it('takes strings as UTF-8', () => {
    assert.equal(crc64Avro('"é"'), crc64Avro(new Uint8Array([0x22, 0xc3, 0xa9, 0x22])));
  });

  it('formats as 16 hex digits, big-endian text and little-endian bytes', () => {
    const fp = 0x0102030405060708n;
    assert.equal(crc64Hex(fp), '0102030405060708');
    assert.deepEqual([...crc64LittleEndian(fp)], [8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal(crc64Hex(crc64Signed(0xffffffffffffffffn)), 'ffffffffffffffff');
    assert.equal(crc64Signed(0xffffffffffffffffn), -1n);
  });
});

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
