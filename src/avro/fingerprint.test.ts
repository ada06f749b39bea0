import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CRC64_EMPTY, crc64Avro, crc64Hex, crc64LittleEndian, crc64Signed } from './fingerprint.js';

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
