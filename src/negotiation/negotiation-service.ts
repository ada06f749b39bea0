/**
 * Version negotiation use cases: the client handshake, participants' leases, the agreed version (with
 * long-poll) and our own label-aware version lookups.
 *
 * Everything that touches the agreement is synchronous so that the same code runs inside the
 * registry's registration/delete transaction (`onSubjectWrite`): an agreement can never be persisted
 * for a history that was rolled back, and a soft delete of the agreed version is vetoed atomically.
 * Leases are judged against the injected Clock whenever the agreement is computed; no timer is needed
 * for correctness.
 *
 * Memos (parsed history, evaluations, handshake answers, agreement views, rosters) are keyed by the
 * subject's change tokens in the database, so they stay correct with several server processes on one
 * file.
 */
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { SchemaVersionDetail } from '../registry/registry-api.js';
import type { SubjectWriteEvent } from '../registry/schema-store.js';
import {
  type AgreementOutcome,
  computeAgreement,
  idleAgreementState,
  type ParticipantInput,
} from './agreement.js';
import { AgreementNotifier } from './agreement-notifier.js';
import { BoundedCache } from './bounded-cache.js';
import { chooseVersion, type VersionFacts } from './choice.js';
import {
  DEFAULT_MAX_WAIT_SECONDS,
  parseHandshakeRequest,
  parseParticipantId,
  parseParticipantRequest,
  parseWaitQuery,
} from './negotiation-requests.js';
import type { NegotiationStore, ParticipantRecord } from './negotiation-store.js';
import {
  type AgreementView,
  agreementView,
  declaredSupports,
  type HandshakeAnswer,
  handshakeAnswer,
  versionDetail,
} from './negotiation-views.js';
import { ParticipantRoster } from './participant-roster.js';
import { findByLabel } from './semver-lookup.js';
import { type SubjectFacts, SubjectFactsCache } from './subject-facts.js';
import { compileSupports } from './supports.js';
import { attempt, type Memo, SupportsEvaluator } from './supports-evaluator.js';

export interface NegotiationServiceOptions {
  readonly store: NegotiationStore;
  readonly clock: Clock;
  /** How often a long-poll re-checks the agreement when nothing wakes it (lease expiry). Default 1000. */
  readonly pollIntervalMs?: number;
  /** Cap on `waitSeconds`. Default 60. */
  readonly maxWaitSeconds?: number;
  /** Entries per memo (handshakes, evaluations, held schemas). Default 10,000. */
  readonly cacheSize?: number;
}

export interface ParticipantAnswer {
  subject: string;
  id: string;
  role: ParticipantRecord['role'];
  ttlSeconds: number;
  expiresAt: number;
  agreement: AgreementView;
}

/** An agreement view, valid while the tokens and epoch match and no live lease has expired. */
interface CachedView {
  readonly history: string;
  readonly participants: string;
  readonly epoch: number;
  readonly computedAt: number;
  readonly validUntil: number;
  readonly view: AgreementView;
}

export class NegotiationService {
  private readonly store: NegotiationStore;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly maxWaitSeconds: number;
  private readonly facts: SubjectFactsCache;
  private readonly notifier = new AgreementNotifier();
  private readonly choices: BoundedCache<string, Memo<HandshakeAnswer>>;
  private readonly evaluator: SupportsEvaluator;
  private readonly views: BoundedCache<string, CachedView>;
  private readonly roster: ParticipantRoster;

  constructor(options: NegotiationServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.maxWaitSeconds = options.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
    const size = options.cacheSize ?? 10_000;
    this.facts = new SubjectFactsCache(this.store);
    this.choices = new BoundedCache(size);
    this.evaluator = new SupportsEvaluator(size);
    this.views = new BoundedCache(size);
    this.roster = new ParticipantRoster(this.store, size);
  }

  /** `POST /negotiation/subjects/{subject}`. Warm path: one indexed read, one map lookup. */
  async handshake(subject: string, body: unknown): Promise<HandshakeAnswer> {
    const request = parseHandshakeRequest(body);
    const compiled = compileSupports(request.supports);
    const tokens = this.store.tokens(subject);
    const key = `${subject}\u0000${tokens.history}\u0000${request.role}\u0000${compiled.key}`;
    let memo = this.choices.get(key);
    if (memo === undefined) {
      memo = attempt(() => {
        const facts = this.liveFacts(subject, tokens.history);
        const evaluation = this.evaluator.evaluate(subject, facts.token, compiled, facts.history, false);
        return handshakeAnswer(subject, chooseVersion(subject, request.role, facts.history, evaluation));
      });
      this.choices.set(key, memo);
    }
    if ('error' in memo) throw memo.error;
    return tokens.epoch === undefined ? memo.ok : { ...memo.ok, epoch: tokens.epoch };
  }

  /** `PUT /negotiation/subjects/{subject}/participants/{id}`: registers or renews a lease. */
  async putParticipant(subject: string, rawId: string, body: unknown): Promise<ParticipantAnswer> {
    const id = parseParticipantId(rawId);
    const request = parseParticipantRequest(body);
    // Validates the schema text now, so a stored lease never holds an unparseable schema.
    this.evaluator.heldFromText(request.supports);
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
    };
    const supports = compileSupports(request.supports);
    const agreement = this.store.transaction(() => {
      const facts = this.liveFacts(subject, this.store.tokens(subject).history);
      this.roster.upsert(record, supports);
      return this.view(subject, facts, this.recompute(subject, facts, now));
    });
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
  ): Promise<{ subject: string; id: string; agreement: AgreementView }> {
    const id = parseParticipantId(rawId);
    const now = this.clock.now();
    const agreement = this.store.transaction(() => {
      if (!this.roster.remove(subject, id)) {
        throw new DomainError(
          'PARTICIPANT_NOT_FOUND',
          `Participant '${id}' not found for subject '${subject}'.`,
        );
      }
      // Not liveFacts: a lease on a subject whose versions were all deleted can still be removed.
      const facts = this.facts.get(subject, this.store.tokens(subject).history);
      return this.view(subject, facts, this.recompute(subject, facts, now));
    });
    return { subject, id, agreement };
  }

  /**
   * `GET /negotiation/subjects/{subject}/agreement[?afterEpoch=N&waitSeconds=S]`. Recomputes with the
   * current time (lease expiry), persisting an epoch change; with `afterEpoch`, waits until the epoch
   * passes it or the wait (measured on the injected clock) ends, then answers the current agreement.
   * Wake-ups come from in-process writes; changes made by other processes or by the clock alone are
   * noticed at the next poll interval.
   */
  async getAgreement(
    subject: string,
    query: { afterEpoch?: string; waitSeconds?: string } = {},
    signal?: AbortSignal,
  ): Promise<AgreementView> {
    const wait = parseWaitQuery(query.afterEpoch, query.waitSeconds, this.maxWaitSeconds);
    let view = this.currentAgreement(subject);
    if (wait.afterEpoch === undefined || view.epoch > wait.afterEpoch || wait.waitMs === 0) return view;
    const deadline = this.clock.now() + wait.waitMs;
    for (;;) {
      const remaining = deadline - this.clock.now();
      if (remaining <= 0 || signal?.aborted) return view;
      await this.notifier.wait(subject, Math.min(this.pollIntervalMs, remaining), signal);
      view = this.currentAgreement(subject);
      if (view.epoch > wait.afterEpoch) return view;
    }
  }

  /** `GET /negotiation/subjects/{subject}/versions[?deleted=true]`: every version with its label. */
  async listVersions(subject: string, opts: { deleted?: boolean } = {}): Promise<SchemaVersionDetail[]> {
    const facts = this.facts.get(subject, this.store.tokens(subject).history);
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
    const facts = this.facts.get(subject, this.store.tokens(subject).history);
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
  readonly onSubjectWrite = (event: SubjectWriteEvent): void => {
    this.store.touchHistory(event.subject);
    const now = this.clock.now();
    // Most subjects have no live participant: then nothing can veto and the agreement is the newest
    // live version, so the history (every schema, parsed) need not be loaded inside the transaction.
    if (!this.hasLiveParticipant(event.subject, now)) {
      this.recomputeIdle(event.subject, now);
      return;
    }
    const facts = this.facts.get(event.subject, this.store.tokens(event.subject).history);
    if (!event.permanent && !event.force && event.kind !== 'register') this.vetoIfInUse(event, facts, now);
    this.recompute(event.subject, facts, now);
  };

  /** For tests and diagnostics: waiters currently parked in a long-poll. */
  get pendingWaiters(): number {
    return this.notifier.pending;
  }

  private liveFacts(subject: string, token: string): SubjectFacts {
    const facts = this.facts.get(subject, token);
    if (facts.live.length === 0)
      throw new DomainError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
    return facts;
  }

  private vetoIfInUse(event: SubjectWriteEvent, facts: SubjectFacts, now: number): void {
    const deleting = new Set(event.versions);
    // The history as it was before this delete, to see which version the agreement was using.
    const before = facts.history.map((v) => (deleting.has(v.version) ? { ...v, deleted: false } : v));
    const inputs = this.participantInputs(event.subject, before, undefined);
    const live = inputs.filter((p) => p.expiresAt > now);
    if (live.length === 0) return;
    const agreed = computeAgreement(before, inputs, now, this.store.getAgreement(event.subject)).agreed;
    if (agreed === undefined || !deleting.has(agreed.version)) return;
    const ids = live.map((p) => p.id);
    const shown = ids.length > 5 ? `${ids.slice(0, 5).join(', ')}, ...` : ids.join(', ');
    throw new DomainError(
      'VERSION_IN_USE',
      `Version ${agreed.version} (${agreed.semver}) of subject '${event.subject}' is the agreed version of ${ids.length} live participant(s) (${shown}); refusing to soft-delete it. Retry with force=true to delete it anyway, or wait until the agreement moves.`,
    );
  }

  /** Computes the agreement now and persists it when it changed. Synchronous: may run in a transaction. */
  private recompute(subject: string, facts: SubjectFacts, now: number): AgreementOutcome {
    const previous = this.store.getAgreement(subject);
    const inputs = this.participantInputs(subject, facts.history, facts.token);
    const outcome = computeAgreement(facts.history, inputs, now, previous);
    if (outcome.changed) {
      this.store.saveAgreement({ subject, ...outcome.state, updatedAt: now });
      if (previous?.epoch !== outcome.state.epoch) queueMicrotask(() => this.notifier.notify(subject));
    }
    return outcome;
  }

  private hasLiveParticipant(subject: string, now: number): boolean {
    return this.roster
      .get(subject, this.store.tokens(subject).participants)
      .some((e) => e.record.expiresAt > now);
  }

  /** `recompute` for a subject without live participants (same state, see idleAgreementState). */
  private recomputeIdle(subject: string, now: number): void {
    const previous = this.store.getAgreement(subject);
    const { state, changed } = idleAgreementState(this.store.latestLiveVersion(subject), previous);
    if (!changed) return;
    this.store.saveAgreement({ subject, ...state, updatedAt: now });
    if (previous?.epoch !== state.epoch) queueMicrotask(() => this.notifier.notify(subject));
  }

  private currentAgreement(subject: string): AgreementView {
    const now = this.clock.now();
    const t = this.store.tokens(subject);
    const c = this.views.get(subject);
    if (
      c !== undefined &&
      c.history === t.history &&
      c.participants === t.participants &&
      c.epoch === t.epoch &&
      now >= c.computedAt &&
      now < c.validUntil
    ) {
      return c.view;
    }
    return this.store.transaction(() => {
      const tokens = this.store.tokens(subject);
      const facts = this.liveFacts(subject, tokens.history);
      const outcome = this.recompute(subject, facts, now);
      const view = this.view(subject, facts, outcome);
      // The outcome only depends on time through which leases are live: valid until the next expiry.
      const validUntil = Math.min(Number.POSITIVE_INFINITY, ...outcome.participants.map((p) => p.expiresAt));
      this.views.set(subject, {
        history: tokens.history,
        participants: tokens.participants,
        epoch: outcome.state.epoch,
        computedAt: now,
        validUntil,
        view,
      });
      return view;
    });
  }

  private view(subject: string, facts: SubjectFacts, outcome: AgreementOutcome): AgreementView {
    return agreementView(subject, outcome, facts.live);
  }

  private participantInputs(
    subject: string,
    history: readonly VersionFacts[],
    token: string | undefined,
  ): ParticipantInput[] {
    const entries = this.roster.get(subject, this.store.tokens(subject).participants);
    return entries.map(({ record, supports }) => ({
      id: record.id,
      role: record.role,
      expiresAt: record.expiresAt,
      evaluation: this.evaluator.evaluate(subject, token, supports, history, true),
      supports: declaredSupports(supports.spec),
    }));
  }
}
