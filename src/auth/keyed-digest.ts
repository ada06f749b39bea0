/**
 * Digests for the authentication hot path, computed with one-shot SHA-256 (`crypto.hash`, no Hash or
 * Hmac object per call): in a loaded server a `createHmac` per request cost more than answering the
 * request itself.
 *
 * `KeyedDigest` is HMAC-SHA256 (RFC 2104) under a random per-process key: H((K ⊕ opad) ‖ H((K ⊕ ipad)
 * ‖ m)). The key's 32 bytes are drawn below 0x80 (224 random bits), so both padded keys are ASCII and
 * the inner input can be one string (its UTF-8 is the pad followed by the message's UTF-8, exactly
 * what `createHmac(...).update(m)` hashes); the outer input is a reused 96-byte buffer.
 * keyed-digest.test.ts checks it against `createHmac`.
 */
import { createHash, hash as nodeHash, randomBytes } from 'node:crypto';

type Encoding = 'base64' | 'binary' | 'hex';

/** One-shot SHA-256 (Node ≥ 20.12); a Hash object on older Node 20 releases. */
export const sha256: (data: string | Buffer, encoding: Encoding) => string =
  typeof nodeHash === 'function'
    ? (data, encoding) => nodeHash('sha256', data, encoding)
    : (data, encoding) => createHash('sha256').update(data).digest(encoding);

const BLOCK = 64;

export class KeyedDigest {
  private readonly innerPad: string;
  private readonly outer = Buffer.alloc(BLOCK + 32);

  constructor(key: Buffer = randomAsciiKey()) {
    if (key.length > BLOCK || key.some((b) => b >= 0x80))
      throw new RangeError('key: at most 64 bytes below 0x80');
    const ipad = Buffer.alloc(BLOCK, 0x36);
    for (let i = 0; i < key.length; i++) {
      ipad[i]! ^= key[i]!;
      this.outer[i] = key[i]! ^ 0x5c;
    }
    this.outer.fill(0x5c, key.length, BLOCK);
    this.innerPad = ipad.toString('latin1');
  }

  /** HMAC-SHA256 of the message's UTF-8, base64. */
  digest(message: string): string {
    this.outer.write(sha256(this.innerPad + message, 'binary'), BLOCK, 'latin1');
    return sha256(this.outer, 'base64');
  }
}

function randomAsciiKey(): Buffer {
  const key = randomBytes(32);
  for (let i = 0; i < key.length; i++) key[i]! &= 0x7f;
  return key;
}
