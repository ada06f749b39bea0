/**
 * The two ways a payload says which schema wrote it.
 *
 * Confluent: `00` + schema id as a big-endian signed int32 + Avro binary. What every Kafka serializer
 * writes; the id is the registry's global id.
 *
 * Avro single-object encoding (spec "Single object encoding"): `C3 01` + the CRC-64-AVRO fingerprint of
 * the writer schema's Parsing Canonical Form, little-endian, + Avro binary. Needs no registry id, only a
 * reader that knows the writer schema by fingerprint.
 */

export const CONFLUENT_MAGIC = 0x00;
export const SINGLE_OBJECT_MARKER: Readonly<Uint8Array> = Uint8Array.of(0xc3, 0x01);
export const CONFLUENT_HEADER_BYTES = 5;
export const SINGLE_OBJECT_HEADER_BYTES = 10;

export type WireFormat = 'confluent' | 'single-object';

/** A payload that is not what its framing claims (wrong marker, too short, bad id). */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}

export function frameConfluent(schemaId: number, body: Uint8Array): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < -0x80000000 || schemaId > 0x7fffffff) {
    throw new WireFormatError(`schema id ${schemaId} does not fit a signed 32-bit integer`);
  }
  const out = Buffer.allocUnsafe(CONFLUENT_HEADER_BYTES + body.length);
  out[0] = CONFLUENT_MAGIC;
  out.writeInt32BE(schemaId, 1);
  out.set(body, CONFLUENT_HEADER_BYTES);
  return out;
}

export function parseConfluent(payload: Uint8Array): { schemaId: number; body: Buffer } {
  const buf = asBuffer(payload);
  if (buf.length < CONFLUENT_HEADER_BYTES) {
    throw new WireFormatError(`payload of ${buf.length} bytes is shorter than the 5-byte Confluent header`);
  }
  if (buf[0] !== CONFLUENT_MAGIC) {
    throw new WireFormatError(
      `not a Confluent payload: magic byte is 0x${hex(buf[0] as number)}, expected 0x00`,
    );
  }
  return { schemaId: buf.readInt32BE(1), body: buf.subarray(CONFLUENT_HEADER_BYTES) };
}

/** `fingerprint` is the 8 CRC-64-AVRO bytes, little-endian, as the spec lays them out. */
export function frameSingleObject(fingerprint: Uint8Array, body: Uint8Array): Buffer {
  if (fingerprint.length !== 8) {
    throw new WireFormatError(`a CRC-64-AVRO fingerprint is 8 bytes, got ${fingerprint.length}`);
  }
  const out = Buffer.allocUnsafe(SINGLE_OBJECT_HEADER_BYTES + body.length);
  out.set(SINGLE_OBJECT_MARKER, 0);
  out.set(fingerprint, 2);
  out.set(body, SINGLE_OBJECT_HEADER_BYTES);
  return out;
}

/** Returns the little-endian fingerprint bytes and the same value as 16 hex digits (most significant first). */
export function parseSingleObject(payload: Uint8Array): {
  fingerprint: Buffer;
  fingerprintHex: string;
  body: Buffer;
} {
  const buf = asBuffer(payload);
  if (buf.length < SINGLE_OBJECT_HEADER_BYTES) {
    throw new WireFormatError(
      `payload of ${buf.length} bytes is shorter than the 10-byte single-object header`,
    );
  }
  if (buf[0] !== 0xc3 || buf[1] !== 0x01) {
    throw new WireFormatError(
      `not an Avro single-object payload: marker is ${hex(buf[0] as number)} ${hex(buf[1] as number)}, expected c3 01`,
    );
  }
  const fingerprint = buf.subarray(2, SINGLE_OBJECT_HEADER_BYTES);
  return {
    fingerprint,
    fingerprintHex: fingerprintHex(fingerprint),
    body: buf.subarray(SINGLE_OBJECT_HEADER_BYTES),
  };
}

/** Which framing a payload carries, by its first bytes; undefined when neither. */
export function detectWireFormat(payload: Uint8Array): WireFormat | undefined {
  if (payload.length >= SINGLE_OBJECT_HEADER_BYTES && payload[0] === 0xc3 && payload[1] === 0x01) {
    return 'single-object';
  }
  if (payload.length >= CONFLUENT_HEADER_BYTES && payload[0] === CONFLUENT_MAGIC) return 'confluent';
  return undefined;
}

/** Little-endian fingerprint bytes → 16 hex digits of the 64-bit value. */
export function fingerprintHex(littleEndian: Uint8Array): string {
  return Buffer.from(littleEndian).reverse().toString('hex');
}

/** 16 hex digits of the 64-bit value → the little-endian bytes single-object encoding writes. */
export function fingerprintBytes(hexValue: string): Buffer {
  if (!/^[0-9a-fA-F]{16}$/.test(hexValue)) {
    throw new WireFormatError(`a CRC-64-AVRO fingerprint is 16 hex digits, got ${JSON.stringify(hexValue)}`);
  }
  return Buffer.from(hexValue, 'hex').reverse();
}

function asBuffer(payload: Uint8Array): Buffer {
  return Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
