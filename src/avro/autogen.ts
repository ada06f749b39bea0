/**
 * Values for fields a schema marks `"proximadb.autogen": <kind>`: the server (and the SDK, for lean
 * records) fills them in when a datum leaves them out. Ids are time-ordered (UUIDv7, ULID) so that
 * records written together sort together, and strictly increasing within one generator even when the
 * clock stands still or steps back, so two ids minted in the same millisecond never collide or reorder.
 */
import { randomFillSync } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { FieldNode, Props } from './types.js';

export const AUTOGEN_PROPERTY = 'proximadb.autogen';

export type AutogenKind = 'uuid' | 'ulid' | 'now_micros' | 'now_millis';
const KINDS: ReadonlySet<string> = new Set<AutogenKind>(['uuid', 'ulid', 'now_micros', 'now_millis']);

export interface AutogenSources {
  /** Milliseconds; when given, timestamps come from it (microseconds as ms × 1000). */
  clock?: Clock;
  /** Fills the buffer with random bytes (injectable for reproducible tests). */
  randomFill?: (bytes: Uint8Array) => void;
}

/** The kind a field asks for: on the field itself, or on its type (or the non-null branch of it). */
export function autogenOf(field: FieldNode): string | undefined {
  const own = stringProp(field.props);
  if (own !== undefined) return own;
  const type = field.type;
  if (type.kind !== 'union') return stringProp(type.props);
  for (const branch of type.branches) {
    if (branch.kind !== 'union') {
      const kind = stringProp(branch.props);
      if (kind !== undefined) return kind;
    }
  }
  return undefined;
}

export function isAutogenKind(value: string): value is AutogenKind {
  return KINDS.has(value);
}

/** Which primitive a kind produces, to check it against the field's type. */
export function autogenPrimitive(kind: AutogenKind): 'string' | 'long' {
  return kind === 'uuid' || kind === 'ulid' ? 'string' : 'long';
}

function stringProp(props: Props): string | undefined {
  for (const [key, value] of props) {
    if (key === AUTOGEN_PROPERTY && typeof value === 'string') return value;
  }
  return undefined;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Mints auto-generated values; keep one per process (or per test) so that ids stay monotonic. */
export class AutoGenerator {
  private readonly clock: Clock | undefined;
  private readonly randomFill: (bytes: Uint8Array) => void;
  private lastUuid = { ms: -1, rand: new Uint8Array(10) };
  private lastUlid = { ms: -1, rand: new Uint8Array(10) };

  constructor(sources: AutogenSources = {}) {
    this.clock = sources.clock;
    this.randomFill = sources.randomFill ?? ((bytes) => randomFillSync(bytes));
  }

  generate(kind: AutogenKind): string | number {
    switch (kind) {
      case 'uuid':
        return this.uuidv7();
      case 'ulid':
        return this.ulid();
      case 'now_micros':
        return this.nowMicros();
      case 'now_millis':
        return this.nowMillis();
    }
  }

  nowMillis(): number {
    return Math.floor(this.clock ? this.clock.now() : Date.now());
  }

  /** Below 2^53 until the year 2255, so a plain number is exact (and what avsc's long expects). */
  nowMicros(): number {
    if (this.clock) return Math.floor(this.clock.now() * 1000);
    return Math.floor((performance.timeOrigin + performance.now()) * 1000);
  }

  /** RFC 9562 UUIDv7: 48-bit ms timestamp, version 7, 74 random bits (incremented within one ms). */
  uuidv7(): string {
    const { ms, rand } = this.next(this.lastUuid);
    const b = new Uint8Array(16);
    writeMillis48(b, ms);
    b.set(rand, 6);
    b[6] = 0x70 | ((b[6] as number) & 0x0f);
    b[8] = 0x80 | ((b[8] as number) & 0x3f);
    const hex = Buffer.from(b).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** ULID: 48-bit ms timestamp + 80 random bits, Crockford base32, 26 characters, monotonic. */
  ulid(): string {
    const { ms, rand } = this.next(this.lastUlid);
    const b = new Uint8Array(16);
    writeMillis48(b, ms);
    b.set(rand, 6);
    let value = 0n;
    for (const byte of b) value = (value << 8n) | BigInt(byte);
    let out = '';
    for (let i = 0; i < 26; i++) {
      out = (CROCKFORD[Number(value & 31n)] as string) + out;
      value >>= 5n;
    }
    return out;
  }

  /**
   * A fresh (ms, 80 random bits) pair, or, when the clock has not moved past the previous one, the
   * previous pair plus one, so ids from one generator are strictly increasing.
   */
  private next(last: { ms: number; rand: Uint8Array }): { ms: number; rand: Uint8Array } {
    const now = this.nowMillis();
    if (now > last.ms) {
      last.ms = now;
      this.randomFill(last.rand);
      // UUIDv7 keeps 74 of the 80 bits; clearing the top bit of the counter area leaves room to count up.
      last.rand[0] = (last.rand[0] as number) & 0x0f;
      last.rand[2] = (last.rand[2] as number) & 0x3f;
    } else {
      increment(last.rand);
    }
    return { ms: last.ms, rand: last.rand.slice() };
  }
}

function writeMillis48(bytes: Uint8Array, ms: number): void {
  let rest = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

/**
 * Adds one to the random bits, skipping the UUID version/variant positions (high nibble of byte 0,
 * two high bits of byte 2) so that the same counter serves both formats.
 */
function increment(rand: Uint8Array): void {
  for (let i = rand.length - 1; i >= 0; i--) {
    const limit = i === 0 ? 0x0f : i === 2 ? 0x3f : 0xff;
    const value = rand[i] as number;
    if (value < limit) {
      rand[i] = value + 1;
      return;
    }
    rand[i] = 0;
  }
}
