/**
 * Negotiation answers the fast path serves without the service: the handshake `POST
 * /negotiation/subjects/{s}` (by subject and the hash of the body's bytes) and `GET …/agreement`
 * without a wait. The Express routes fill it: before the service reads anything they take a ticket,
 * which holds the database's change token of that moment (the read cache's, re-read for the request);
 * the answer they then send is remembered under that token. The fast path serves an entry only while
 * the token it reads for its own request is still that one, so an answer is never older than the last
 * commit that finished before the request began:
 *
 * - a handshake answer is a function of the subject's versions, their labels and the stored agreement
 *   epoch, all in the database: any write (registration, delete, config, mode, lease, agreement) is a
 *   commit and moves the token (SQLite: the WAL-index header, whoever wrote; PostgreSQL: this
 *   instance's commits at once, others' with their change notice, and no token at all while the
 *   change feed is down);
 * - an agreement also depends on the clock, through lease expiry: it holds from when it was computed
 *   until the earliest live lease runs out (AgreementAnswer.validUntil), and is served only inside that
 *   interval. After it, the service recomputes (and persists an epoch change, which moves the token).
 *
 * Entries are bounded by bytes (its share of the fast path's budget) and all dropped when the token moves.
 */
import { ByteLru } from '../cache/byte-lru.js';
import { stringBytes } from '../cache/size-estimate.js';
import { parseWaitQuery, type WaitRequest } from '../negotiation/negotiation-requests.js';
import { queryValue } from './fast-routes.js';

interface Entry {
  readonly body: Buffer;
  /** The interval of the clock the answer holds in (handshakes: always). */
  readonly from: number;
  readonly until: number;
  /** The agreement's epoch (for `afterEpoch`); 0 for handshakes. */
  readonly epoch: number;
}

/** Remembers the answer the route is about to send, if the token has not moved since the ticket. */
export type Fill = (
  json: string,
  validity?: { computedAt: number; validUntil: number; epoch: number },
) => void;

/** What the negotiation routes hand their answers to (see negotiation-routes.ts). */
export interface NegotiationAnswerMemo {
  /** A ticket for a handshake whose body the fast path read (else nothing is remembered). */
  handshake(req: object, subject: string): Fill | undefined;
  agreement(subject: string): Fill | undefined;
}

const DIGEST = Symbol('body digest');

/** The fast path marks a request whose body it read with the body's hash (the memo key). */
export function markDigest(req: object, digest: string): void {
  (req as { [DIGEST]?: string })[DIGEST] = digest;
}

function digestOf(req: object): string | undefined {
  return (req as { [DIGEST]?: string })[DIGEST];
}

export class NegotiationAnswers implements NegotiationAnswerMemo {
  private readonly entries: ByteLru<string, Entry>;
  private token = Number.NaN;

  constructor(
    private readonly changeToken: () => number,
    maxBytes: number,
  ) {
    this.entries = new ByteLru({ maxBytes, sizeOf: (e, key) => e.body.length + stringBytes(key) + 128 });
  }

  get cachedBytes(): number {
    return this.entries.bytes;
  }

  handshake(req: object, subject: string): Fill | undefined {
    const digest = digestOf(req);
    return digest === undefined ? undefined : this.ticket(handshakeKey(subject, digest));
  }

  agreement(subject: string): Fill | undefined {
    return this.ticket(agreementKey(subject));
  }

  /** A handshake answer for this token, if remembered. */
  peekHandshake(subject: string, digest: string, token: number): Buffer | undefined {
    return this.current(token)?.get(handshakeKey(subject, digest))?.body;
  }

  /** The agreement remembered for this token, if it holds at `now` (with the interval it holds in). */
  peekAgreement(
    subject: string,
    token: number,
    now: number,
  ): { body: Buffer; epoch: number; from: number; until: number } | undefined {
    const entry = this.current(token)?.get(agreementKey(subject));
    if (entry === undefined) return undefined;
    return now >= entry.from && now < entry.until ? entry : undefined;
  }

  /**
   * The agreement answer for `GET …/agreement?<query>` at `now`, when it may be given at once: the
   * query parses (else the route's 422) and, as AgreementBoard.read, no wait for a later epoch is asked
   * for or the remembered epoch is already past it.
   */
  agreementNow(
    subject: string,
    query: string | undefined,
    token: number,
    now: number,
  ): { body: Buffer; from: number; until: number } | undefined {
    const wait = waitOf(query);
    if (wait === undefined) return undefined;
    const memo = this.peekAgreement(subject, token, now);
    if (memo === undefined) return undefined;
    return wait.afterEpoch === undefined || wait.waitMs === 0 || memo.epoch > wait.afterEpoch
      ? memo
      : undefined;
  }

  /** The entries valid for `token` (dropping all of them when it moved); undefined for no token. */
  private current(token: number): ByteLru<string, Entry> | undefined {
    if (Number.isNaN(token)) return undefined;
    if (token !== this.token) {
      this.entries.clear();
      this.token = token;
    }
    return this.entries;
  }

  private ticket(key: string): Fill {
    const token = this.changeToken();
    return (json, validity) => {
      // Whatever committed since the ticket may be in the answer or not: remember nothing then.
      const entries = this.current(this.changeToken());
      if (entries === undefined || this.token !== token) return;
      entries.set(key, {
        body: Buffer.from(json, 'utf8'),
        from: validity?.computedAt ?? Number.NEGATIVE_INFINITY,
        until: validity?.validUntil ?? Number.POSITIVE_INFINITY,
        epoch: validity?.epoch ?? 0,
      });
    };
  }
}

/** A 200 the fast path sent, kept for the same request under the same change token. */
export interface Recent {
  readonly token: number;
  readonly body: Buffer;
  /** The clock interval it holds in (agreements: until the earliest live lease runs out). */
  readonly from: number;
  readonly until: number;
}

/**
 * The 200s of the current change-token scope by request (GET: the URL; POST: the URL and the body's
 * hash), each with what else it needs (`T`: the parsed route, its metrics series), so that a repeated
 * request costs one Map lookup. Entries carry their token and are served only under it (and inside
 * their clock interval); the first entry stored under a new token drops the others. Bounded by bytes.
 */
export class RecentAnswers<T> {
  private readonly map: ByteLru<string, Recent & T>;
  private token = Number.NaN;

  constructor(maxBytes: number) {
    this.map = new ByteLru({ maxBytes, sizeOf: (e, key) => stringBytes(key) + e.body.length + 160 });
  }

  get cachedBytes(): number {
    return this.map.bytes;
  }

  /** The entry stored for `key`, whatever its token (check it with `holds`). */
  find(key: string): (Recent & T) | undefined {
    return this.map.peek(key);
  }

  holds(entry: Recent, token: number, now: number): boolean {
    return entry.token === token && now >= entry.from && now < entry.until;
  }

  store(key: string, entry: Recent & T): void {
    if (Number.isNaN(entry.token)) return;
    if (entry.token !== this.token) {
      this.map.clear();
      this.token = entry.token;
    }
    this.map.set(key, entry);
  }
}

function handshakeKey(subject: string, digest: string): string {
  return `h${digest}${subject}`;
}

function agreementKey(subject: string): string {
  return `a${subject}`;
}

/** The agreement route's `afterEpoch`/`waitSeconds`, read by the service's own parser; undefined: 422. */
function waitOf(query: string | undefined): WaitRequest | undefined {
  if (query === undefined) return { afterEpoch: undefined, waitMs: 0 };
  try {
    return parseWaitQuery(queryValue(query, 'afterEpoch'), queryValue(query, 'waitSeconds'));
  } catch {
    return undefined;
  }
}
