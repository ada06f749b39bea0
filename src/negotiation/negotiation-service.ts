/**
 * Version negotiation use cases: the client handshake, participants' leases, the agreed version (with
 * long-poll) and our own label-aware version lookups.
 *
 * Everything that touches the agreement runs inside the subject's transaction, which the registry's
 * registration/delete transaction also is when it calls `onSubjectWrite`: an agreement can never be
 * persisted for a history that was rolled back, and a soft delete of the agreed version is vetoed
 * atomically. Leases are judged against the injected Clock whenever the agreement is computed; no
 * timer is needed for correctness.
 *
 * Memos (parsed history, evaluations, handshake answers, agreement views, rosters) are keyed by the
 * subject's change tokens in the database, so they stay correct with several server processes or
 * instances on one database.
 */

import { ByteLru } from '../cache/byte-lru.js';
import { stringBytes } from '../cache/size-estimate.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { SchemaVersionDetail } from '../registry/registry-api.js';
import type { SubjectWriteEvent } from '../registry/schema-store.js';
import { type AgreementAnswer, AgreementBoard } from './agreement-board.js';
import { AgreementKeeper } from './agreement-keeper.js';
import { AgreementNotifier, DEFAULT_WAITER_LIMITS, type WaiterLimits } from './agreement-notifier.js';
import { chooseVersion } from './choice.js';
import { answerBytes, memoBudget } from './memo-budget.js';
import {
  DEFAULT_MAX_WAIT_SECONDS,
  parseHandshakeRequest,
  parseParticipantId,
  parseParticipantRequest,
  parseWaitQuery,
} from './negotiation-requests.js';
import type { NegotiationStore, ParticipantRecord } from './negotiation-store.js';
import {
  type AgreementSummary,
  agreementSummary,
  type HandshakeAnswer,
  handshakeAnswer,
  versionDetail,
} from './negotiation-views.js';
import { assertMayChange, assertMayJoinAs, type Caller, ownerOf } from './participant-access.js';
import { ParticipantRoster } from './participant-roster.js';
import { findByLabel } from './semver-lookup.js';
import { type StoredParser, type SubjectFacts, SubjectFactsCache } from './subject-facts.js';
import { compileSupports } from './supports.js';
import { attempt, type Memo, SupportsEvaluator } from './supports-evaluator.js';

export type { Caller } from './participant-access.js';

export interface NegotiationServiceOptions {
  readonly store: NegotiationStore;
  readonly clock: Clock;
  /** How often a long-poll re-checks the agreement when nothing wakes it (lease expiry). Default 1000. */
  readonly pollIntervalMs?: number;
  /** Cap on `waitSeconds`. Default 60. */
  readonly maxWaitSeconds?: number;
  /** Bytes all the service's memos may hold together (its share of CACHE_MAX_BYTES). Default 32 MiB. */
  readonly maxBytes?: number;
  /** The registry's memoised parse of stored schemas (shared instead of a second memo). */
  readonly parseStored?: StoredParser;
  /** Live participants per subject (expired leases are purged on the next write). Default 1,000. */
  readonly maxParticipants?: number;
  /** Parked long-polls per subject and in total. */
  readonly waiterLimits?: WaiterLimits;
}

export const DEFAULT_MAX_PARTICIPANTS = 1_000;

export interface ParticipantAnswer {
  subject: string;
  id: string;
  role: ParticipantRecord['role'];
  ttlSeconds: number;
  expiresAt: number;
  agreement: AgreementSummary;
}

export class NegotiationService {
  private readonly store: NegotiationStore;
  private readonly clock: Clock;
  private readonly maxWaitSeconds: number;
  private readonly maxParticipants: number;
  private readonly facts: SubjectFactsCache;
  private readonly notifier: AgreementNotifier;
  private readonly choices: ByteLru<string, Memo<HandshakeAnswer>>;
  private readonly evaluator: SupportsEvaluator;
  private readonly roster: ParticipantRoster;
  private readonly board: AgreementBoard;
  private readonly keeper: AgreementKeeper;

  constructor(options: NegotiationServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.maxWaitSeconds = options.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
    this.maxParticipants = options.maxParticipants ?? DEFAULT_MAX_PARTICIPANTS;
    const budget = memoBudget(options.maxBytes);
    this.facts = new SubjectFactsCache(this.store, budget.facts, options.parseStored);
    this.notifier = new AgreementNotifier(options.waiterLimits ?? DEFAULT_WAITER_LIMITS);
    this.choices = new ByteLru({
      maxBytes: budget.choices,
      // The key holds the declared supports, schema text included: it counts as much as the answer.
      sizeOf: (m, key) => answerBytes('ok' in m ? m.ok : undefined) + stringBytes(key),
    });
    this.evaluator = new SupportsEvaluator(budget);
    this.roster = new ParticipantRoster(this.store, budget.rosters);
    this.keeper = new AgreementKeeper({
      store: this.store,
      roster: this.roster,
      evaluator: this.evaluator,
      notifier: this.notifier,
    });
    this.board = new AgreementBoard({
      store: this.store,
      clock: this.clock,
      notifier: this.notifier,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      maxBytes: budget.views,
      liveFacts: (subject, token) => this.liveFacts(subject, token),
      decide: (subject, facts, now, participantsToken) =>
        this.keeper.decide(subject, facts, now, participantsToken),
      persist: (subject, decision, now) => this.keeper.persist(subject, decision, now),
    });
  }

  /** `POST /negotiation/subjects/{subject}`. Warm path: one indexed read, one map lookup. */
  async handshake(subject: string, body: unknown): Promise<HandshakeAnswer> {
    const request = parseHandshakeRequest(body);
    const compiled = compileSupports(request.supports);
    const tokens = await this.store.tokens(subject);
    const key = `${subject}\u0000${tokens.history}\u0000${request.role}\u0000${compiled.key}`;
    let memo = this.choices.get(key);
    if (memo === undefined) {
      const facts = await this.liveFacts(subject, tokens.history);
      memo = attempt(() => {
        const evaluation = this.evaluator.evaluate(subject, facts.token, compiled, facts.history, false);
        return handshakeAnswer(subject, chooseVersion(subject, request.role, facts.history, evaluation));
      });
      this.choices.set(key, memo);
    }
    if ('error' in memo) throw memo.error;
    return tokens.epoch === undefined ? memo.ok : { ...memo.ok, epoch: tokens.epoch };
  }

  /**
   * `PUT /negotiation/subjects/{subject}/participants/{id}`: registers or renews a lease. The answer
   * carries the agreement's summary, not its per-participant views: a renewal is a heartbeat, and its
   * cost must not grow with the number of participants (`GET …/agreement` has the full view).
   */
  async putParticipant(
    subject: string,
    rawId: string,
    body: unknown,
    caller?: Caller,
  ): Promise<ParticipantAnswer> {
    const id = parseParticipantId(rawId);
    const request = parseParticipantRequest(body);
    assertMayJoinAs(caller, subject, request.role);
    // Validates the schema text now, so a stored lease never holds an unparseable schema.
    this.evaluator.heldFromText(request.supports);
    const supports = compileSupports(request.supports);
    const now = this.clock.now();
    const record: ParticipantRecord = {
      subject,
      id,
      role: request.role,
      supports: request.supports,
      ttlSeconds: request.ttlSeconds,
      expiresAt: now + request.ttlSeconds * 1000,
      createdAt: now,
      updatedAt: now,
      owner: ownerOf(caller),
    };
    const agreement = await this.store.transaction(subject, async () => {
      const tokens = await this.store.tokens(subject);
      const facts = await this.liveFacts(subject, tokens.history);
      let roster = await this.roster.get(subject, tokens.participants);
      const existing = roster.get(id);
      assertMayChange(caller, subject, existing?.record);
      let token = tokens.participants;
      if (existing === undefined && roster.size >= this.maxParticipants) {
        await this.roster.purgeExpired(subject, now, token);
        token = (await this.store.tokens(subject)).participants;
        roster = await this.roster.get(subject, token);
        if (roster.size >= this.maxParticipants) throw this.participantLimit(subject, roster, now);
      }
      await this.roster.upsert(record, supports, token);
      const decision = await this.keeper.decide(subject, facts, now, undefined);
      await this.keeper.persist(subject, decision, now);
      return agreementSummary(subject, decision, facts.live);
    });
    this.board.changedLocally();
    return {
      subject,
      id,
      role: record.role,
      ttlSeconds: record.ttlSeconds,
      expiresAt: record.expiresAt,
      agreement,
    };
  }

  /** `DELETE /negotiation/subjects/{subject}/participants/{id}`. */
  async deleteParticipant(
    subject: string,
    rawId: string,
    caller?: Caller,
  ): Promise<{ subject: string; id: string; agreement: AgreementSummary }> {
    const id = parseParticipantId(rawId);
    const now = this.clock.now();
    const agreement = await this.store.transaction(subject, async () => {
      const tokens = await this.store.tokens(subject);
      const existing = (await this.roster.get(subject, tokens.participants)).get(id);
      if (existing === undefined) {
        throw new DomainError(
          'PARTICIPANT_NOT_FOUND',
          `Participant '${id}' not found for subject '${subject}'.`,
        );
      }
      assertMayChange(caller, subject, existing.record);
      await this.roster.remove(subject, id, tokens.participants);
      // Not liveFacts: a lease on a subject whose versions were all deleted can still be removed.
      const facts = await this.facts.get(subject, tokens.history);
      const decision = await this.keeper.decide(subject, facts, now, undefined);
      await this.keeper.persist(subject, decision, now);
      return agreementSummary(subject, decision, facts.live);
    });
    this.board.changedLocally();
    return { subject, id, agreement };
  }

  /**
   * `GET /negotiation/subjects/{subject}/agreement[?afterEpoch=N&waitSeconds=S]`: the current agreement
   * (persisting an epoch change that lease expiry caused); with `afterEpoch`, waits until the epoch
   * passes it or the wait (measured on the injected clock) ends. Every waiter of a subject is answered
   * from one shared, already-serialised view.
   */
  getAgreement(
    subject: string,
    query: { afterEpoch?: string; waitSeconds?: string } = {},
    signal?: AbortSignal,
  ): Promise<AgreementAnswer> {
    const wait = parseWaitQuery(query.afterEpoch, query.waitSeconds, this.maxWaitSeconds);
    return this.board.read(subject, wait, signal);
  }

  /** `GET /negotiation/subjects/{subject}/versions[?deleted=true]`: every version with its label. */
  async listVersions(subject: string, opts: { deleted?: boolean } = {}): Promise<SchemaVersionDetail[]> {
    const facts = await this.facts.get(subject, (await this.store.tokens(subject)).history);
    const shown = opts.deleted ? facts.history : facts.live;
    if (shown.length === 0) throw new DomainError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
    return shown.map((v) => versionDetail(subject, v));
  }

  /** `GET /negotiation/subjects/{subject}/semver/{label}[?deleted=true]`: by label, or a range's highest. */
  async getBySemver(
    subject: string,
    label: string,
    opts: { deleted?: boolean } = {},
  ): Promise<SchemaVersionDetail> {
    const facts = await this.facts.get(subject, (await this.store.tokens(subject)).history);
    if ((opts.deleted ? facts.history : facts.live).length === 0) {
      throw new DomainError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
    }
    return versionDetail(subject, findByLabel(facts.history, label, opts.deleted === true));
  }

  /**
   * The registry store's onSubjectWrite listener, run INSIDE the registration/delete transaction:
   * marks the history changed, vetoes soft-deleting the agreed version while live participants use it
   * (unless forced), then recomputes and persists the agreement for the new history. Memos filled here
   * are keyed by the new random token, which a rollback makes unreachable.
   */
  readonly onSubjectWrite = async (event: SubjectWriteEvent): Promise<void> => {
    const tokens = await this.store.touchHistory(event.subject);
    const now = this.clock.now();
    this.board.changedLocally();
    // Most subjects have no live participant: then nothing can veto and the agreement is the newest
    // live version, so the history (every schema, parsed) need not be loaded inside the transaction.
    const roster = await this.roster.get(event.subject, tokens.participants);
    if (![...roster.values()].some((e) => e.record.expiresAt > now)) {
      await this.keeper.recomputeIdle(event.subject, now);
      return;
    }
    const facts = await this.facts.get(event.subject, tokens.history);
    if (!event.permanent && !event.force && event.kind !== 'register') {
      await this.keeper.vetoIfInUse(event, facts, now, tokens.participants);
    }
    await this.keeper.persist(
      event.subject,
      await this.keeper.decide(event.subject, facts, now, tokens.participants),
      now,
    );
  };

  /**
   * Another process or instance changed the subject (a hint from the store's change feed): wake its
   * long-polls so they re-read at once.
   */
  wake(subject: string): void {
    this.notifier.notify(subject);
  }

  /** Estimated bytes all the service's memos hold (bounded by `maxBytes`; for metrics and tests). */
  get cachedBytes(): number {
    return (
      this.facts.bytes + this.choices.bytes + this.evaluator.bytes + this.roster.bytes + this.board.bytes
    );
  }

  /** Shutdown: every parked long-poll answers the current agreement now, and none parks any more. */
  drain(): void {
    this.notifier.close();
  }

  /** For tests and diagnostics: waiters currently parked in a long-poll. */
  get pendingWaiters(): number {
    return this.notifier.pending;
  }

  private async liveFacts(subject: string, token: string): Promise<SubjectFacts> {
    const facts = await this.facts.get(subject, token);
    if (facts.live.length === 0)
      throw new DomainError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
    return facts;
  }

  private participantLimit(
    subject: string,
    roster: ReadonlyMap<string, { record: ParticipantRecord }>,
    now: number,
  ): DomainError {
    let earliest = Number.POSITIVE_INFINITY;
    for (const { record } of roster.values()) earliest = Math.min(earliest, record.expiresAt);
    return new DomainError(
      'TOO_MANY_PARTICIPANTS',
      `Subject '${subject}' already has ${roster.size} participants (limit ${this.maxParticipants}, NEGOTIATION_MAX_PARTICIPANTS); a new one can join when a lease is removed or runs out`,
      undefined,
      Math.max(1, (earliest - now) / 1000),
    );
  }
}
