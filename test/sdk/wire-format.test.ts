import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import avsc from 'avsc';
import { parseSchema, schemaFingerprints } from '../../src/avro/index.js';
import { AvroSerde, SerdeError } from '../../src/sdk/serde.js';
import {
  detectWireFormat,
  fingerprintBytes,
  fingerprintHex,
  frameConfluent,
  frameSingleObject,
  parseConfluent,
  parseSingleObject,
  WireFormatError,
} from '../../src/sdk/wire-format.js';

const R = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}';
const bytes = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex');

describe('Confluent wire format', () => {
  it('frames {a: 1} under id 42 as 00 00 00 00 2a 02 (golden, from the spec)', () => {
    const body = avsc.Type.forSchema(JSON.parse(R)).toBuffer({ a: 1 });
    assert.deepEqual(frameConfluent(42, body), bytes('00 0000002a 02'));
    assert.deepEqual(parseConfluent(bytes('00 0000002a 02')), { schemaId: 42, body: bytes('02') });
  });

  it('writes the id big-endian and signed, like kafkajs readInt32BE', () => {
    assert.deepEqual(frameConfluent(0x01020304, new Uint8Array()), bytes('00 01020304'));
    assert.deepEqual(frameConfluent(-1, Uint8Array.of(9)), bytes('00 ffffffff 09'));
    assert.equal(parseConfluent(bytes('00 ffffffff')).schemaId, -1);
    assert.throws(() => frameConfluent(2 ** 31, new Uint8Array()), WireFormatError);
  });

  it('rejects a wrong magic byte and a short header', () => {
    assert.throws(() => parseConfluent(bytes('01 0000002a 02')), /magic byte is 0x01, expected 0x00/);
    assert.throws(() => parseConfluent(bytes('00 0000')), /shorter than the 5-byte Confluent header/);
  });
});

describe('Avro single-object encoding', () => {
  it('computes the CRC-64-AVRO of "null" as the Avro test data lists it', () => {
    const fp = schemaFingerprints(parseSchema('"null"', { mode: 'strict' }));
    assert.equal(BigInt.asIntN(64, BigInt(`0x${fp.crc64}`)), 7195948357588979594n);
    assert.deepEqual(Buffer.from(fp.crc64Bytes), fingerprintBytes(fp.crc64));
  });

  it('frames {a: 1} as c3 01 + little-endian CRC-64-AVRO of the PCF + 02 (golden)', () => {
    // The PCF is {"name":"R","type":"record","fields":[{"name":"a","type":"int"}]}; its CRC-64-AVRO,
    // computed by hand from the spec's algorithm, is 0x35b061f31ba01537.
    const expected = bytes('c301 3715a01bf361b035 02');
    assert.deepEqual(frameSingleObject(fingerprintBytes('35b061f31ba01537'), bytes('02')), expected);
    assert.deepEqual(new AvroSerde(undefined).encodeSingleObject(R, { a: 1 }), expected);
    const parsed = parseSingleObject(expected);
    assert.equal(parsed.fingerprintHex, '35b061f31ba01537');
    assert.deepEqual(parsed.body, bytes('02'));
  });

  it('round-trips fingerprints between hex and little-endian bytes', () => {
    assert.equal(fingerprintHex(bytes('8a8f25cce724dd63')), '63dd24e7cc258f8a');
    assert.throws(() => fingerprintBytes('xyz'), WireFormatError);
  });

  it('rejects a wrong marker and a short header', () => {
    assert.throws(() => parseSingleObject(bytes('c302 0000000000000000')), /marker is c3 02, expected c3 01/);
    assert.throws(() => parseSingleObject(bytes('c301 00')), /shorter than the 10-byte/);
    assert.throws(() => frameSingleObject(new Uint8Array(4), new Uint8Array()), /8 bytes, got 4/);
  });

  it('tells the two framings apart', () => {
    assert.equal(detectWireFormat(bytes('c301 3715a01bf361b035 02')), 'single-object');
    assert.equal(detectWireFormat(bytes('00 0000002a 02')), 'confluent');
    assert.equal(detectWireFormat(bytes('7b7d')), undefined);
  });

  it('decodes its own single-object payloads locally and refuses unknown fingerprints', async () => {
    const serde = new AvroSerde(undefined);
    const payload = serde.encodeSingleObject(R, { a: 7 });
    assert.deepEqual({ ...((await serde.decode(payload)) as object) }, { a: 7 });
    const stranger = new AvroSerde(undefined);
    await assert.rejects(
      stranger.decode(payload),
      (e: unknown) => e instanceof SerdeError && e.reason === 'unknown-writer',
    );
    await assert.rejects(
      stranger.decode(bytes('ff00')),
      (e: unknown) => e instanceof SerdeError && e.reason === 'malformed-payload',
    );
  });
});
