/**
 * Cross-instance change announcements on PostgreSQL: every write publishes what it changed on the
 * `registry_changes` channel (pg_notify inside the writing transaction, so the notice is delivered
 * only if and when the transaction commits, in commit order), and every instance LISTENs on a
 * dedicated connection and invalidates what changed.
 *
 * A notice is only ever a hint to drop caches or wake long-polls. What makes the caches safe is the
 * reconnect rule: PostgreSQL queues nothing for a session that is not connected, so after the
 * listening connection drops, the instance must assume it missed changes. The feed therefore marks
 * itself `down` at once (the caches stop answering from memory: the token reads fail), flushes on
 * every reconnect, and only then reports itself live again.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { ChangeToken } from '../../registry/read-cache.js';
import type { PgDatabase } from './database.js';

export const CHANNEL = 'registry_changes';

/** What a write changed: the versions of a subject, settings, leases, an agreement, the id mark. */
export type ChangeKind = 'versions' | 'config' | 'mode' | 'participants' | 'agreement' | 'ids';

export interface Change {
  readonly kind: ChangeKind;
  /** The subject concerned; absent for global changes. */
  readonly subject?: string;
}

/**
 * Publishes a change from inside the writing transaction (delivered on commit), signed with the
 * writing instance's id: that instance moved its own caches at commit already.
 */
export async function announce(db: PgDatabase, kind: ChangeKind, subject?: string | null): Promise<void> {
  const base = { i: db.instanceId, k: kind };
  const payload = JSON.stringify(subject === null || subject === undefined ? base : { ...base, s: subject });
  // Notices are capped at 8,000 bytes; a subject that long (none is) is announced as a global change.
  await db.notify(CHANNEL, Buffer.byteLength(payload) < 7_900 ? payload : JSON.stringify(base));
}

export interface ChangeFeedOptions {
  readonly url: string;
  /** This instance's id (PgDatabase.instanceId): its own notices do not move the token again. */
  readonly instanceId: string;
  /** Delay before re-listening after the connection dropped (doubles up to 2 s). */
  readonly retryMs?: number;
}

/**
 * The listening side. `token` moves on every notice and every reconnect, and throws while the feed
 * is down, so a CachingSchemaStore in front of the PostgreSQL store never answers from memory what
 * may have changed unseen.
 */
export class ChangeFeed extends EventEmitter<{ change: [Change]; up: []; down: [Error] }> {
  private client: pg.Client | undefined;
  private counter = 0;
  private live = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ChangeFeedOptions) {
    super();
  }

  readonly token: ChangeToken = {
    read: () => {
      if (!this.live) throw new Error('the change feed is reconnecting');
      return this.counter;
    },
  };

  get isLive(): boolean {
    return this.live;
  }

  /** Connects and LISTENs; resolves once listening (throws if the first attempt fails). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Moves the token: this instance's own writes call it right after they commit. */
  bump(): void {
    this.counter++;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.live = false;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      // Names the listening connection in pg_stat_activity, per instance.
      application_name: `proximadb-registry feed ${this.options.instanceId}`,
    });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL) return;
      const { change, from } = parseChange(message.payload);
      // Our own commit moved the token already; moving it again would only drop what was cached since.
      // The notice still wakes long-polls: it is the moment the change became visible to others.
      if (from !== this.options.instanceId) this.counter++;
      this.emit('change', change);
    });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, new Error('the listening connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      // Not this.client yet, so its handlers ignore it: close it here or every failed retry leaks one.
      await client.end().catch(() => {});
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    // Whatever happened while nobody listened is unknown: everything cached may be stale.
    this.counter++;
    this.live = true;
    this.emit('up');
  }

  private lost(client: pg.Client, error: Error): void {
    if (client !== this.client || this.closed) return;
    this.client = undefined;
    this.live = false;
    this.counter++;
    this.emit('down', error);
    client.end().catch(() => {});
    this.scheduleReconnect(this.options.retryMs ?? 100);
  }

  private scheduleReconnect(delay: number): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.connect().catch(() => this.scheduleReconnect(Math.min(delay * 2, 2_000)));
    }, delay);
    this.retryTimer.unref();
  }
}

function parseChange(payload: string | undefined): { change: Change; from: string | undefined } {
  try {
    const parsed = JSON.parse(payload ?? '{}') as { i?: unknown; k?: unknown; s?: unknown };
    const kind = typeof parsed.k === 'string' ? (parsed.k as ChangeKind) : 'versions';
    const from = typeof parsed.i === 'string' ? parsed.i : undefined;
    return { change: typeof parsed.s === 'string' ? { kind, subject: parsed.s } : { kind }, from };
  } catch {
    return { change: { kind: 'versions' }, from: undefined };
  }
}
