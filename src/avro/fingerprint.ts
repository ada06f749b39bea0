/**
 * Schema fingerprints over the UTF-8 Parsing Canonical Form: CRC-64-AVRO (the Rabin fingerprint the
 * Avro spec defines, used by single-object encoding), MD5 and SHA-256.
 */
import { createHash } from 'node:crypto';
import { parsingCanonicalForm } from './canonical.js';
import type { AvroNode, ParsedSchema } from './types.js';

/** The spec's EMPTY fingerprint, also the polynomial's seed. */
export const CRC64_EMPTY = 0xc15d213aa4d7a795n;

/**
 * The table is split into two 32-bit halves so the hot loop works on plain numbers; BigInt per byte
 * would be ~20x slower.
 */
const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (CRC64_EMPTY & -(fp & 1n));
  TABLE_HI[i] = Number(fp >> 32n);
  TABLE_LO[i] = Number(fp & 0xffffffffn);
}

const encoder = new TextEncoder();

/** CRC-64-AVRO of the bytes (strings are taken as UTF-8). */
export function crc64Avro(data: Uint8Array | string): bigint {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  let hi = Number(CRC64_EMPTY >> 32n);
  let lo = Number(CRC64_EMPTY & 0xffffffffn);
  for (let k = 0; k < bytes.length; k++) {
    // fp = (fp >>> 8) ^ TABLE[(fp ^ b) & 0xff], on the two halves.
    const idx = (lo ^ (bytes[k] as number)) & 0xff;
    const newLo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
    const newHi = hi >>> 8;
    lo = (newLo ^ (TABLE_LO[idx] as number)) >>> 0;
    hi = (newHi ^ (TABLE_HI[idx] as number)) >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** 16 lowercase hex digits, most significant first. */
export function crc64Hex(fp: bigint): string {
  return BigInt.asUintN(64, fp).toString(16).padStart(16, '0');
}

/** The 8 bytes little-endian, as single-object encoding writes the fingerprint after `C3 01`. */
export function crc64LittleEndian(fp: bigint): Uint8Array {
  const out = new Uint8Array(8);
  let v = BigInt.asUintN(64, fp);
  for (let i = 0; i < 8; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The fingerprint as Java's `long` (signed), as Avro's test data lists it. */
export function crc64Signed(fp: bigint): bigint {
  return BigInt.asIntN(64, fp);
}

export function md5Hex(data: Uint8Array | string): string {
  return createHash('md5').update(data).digest('hex');
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface SchemaFingerprints {
  /** The Parsing Canonical Form the fingerprints are computed over. */
  readonly pcf: string;
  /** CRC-64-AVRO as 16 lowercase hex digits (like md5/sha256, a hex string). */
  readonly crc64: string;
  /** The same as `crc64` (kept for callers that name it so). */
  readonly crc64Hex: string;
  /** CRC-64-AVRO as an unsigned 64-bit value. */
  readonly crc64Value: bigint;
  /** CRC-64-AVRO little-endian (single-object encoding). */
  readonly crc64Bytes: Uint8Array;
  readonly md5: string;
  readonly sha256: string;
}

export function schemaFingerprints(parsed: ParsedSchema | AvroNode): SchemaFingerprints {
  const pcf = parsingCanonicalForm(parsed);
  const bytes = encoder.encode(pcf);
  const value = crc64Avro(bytes);
  const hex = crc64Hex(value);
  return {
    pcf,
    crc64: hex,
    crc64Hex: hex,
    crc64Value: value,
    crc64Bytes: crc64LittleEndian(value),
    md5: md5Hex(bytes),
    sha256: sha256Hex(bytes),
  };
}
