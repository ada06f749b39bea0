/**
 * Keeps a subject's stored agreement in step with its history and leases, always inside the subject's
 * transaction (a participant write, or the registry's registration/delete through `onSubjectWrite`):
 * decides the agreement for the current roster, persists it when it changed (waking long-polls when the
 * epoch moved), and vetoes soft-deleting the version live participants agreed on.
 */
import { DomainError } from '../errors.js';
import type { SubjectWriteEvent } from '../registry/schema-store.js';
import {
  type AgreementDecision,
  type AgreementState,
  decideAgreement,
  idleAgreementState,
} from './agreement.js';
import type { AgreementNotifier } from './agreement-notifier.js';
import type { NegotiationStore } from './negotiation-store.js';
import { declaredSupports } from './negotiation-views.js';
import type { ParticipantRoster } from './participant-roster.js';
import type { SubjectFacts } from './subject-facts.js';
import type { SupportsEvaluator } from './supports-evaluator.js';

export interface AgreementKeeperDeps {
  readonly store: NegotiationStore;
  readonly roster: ParticipantRoster;
  readonly evaluator: SupportsEvaluator;
  readonly notifier: AgreementNotifier;
}

export class AgreementKeeper {
  private readonly store: NegotiationStore;
  private readonly roster: ParticipantRoster;
  private readonly evaluator: SupportsEvaluator;
  private readonly notifier: AgreementNotifier;

  constructor(deps: AgreementKeeperDeps) {
    this.store = deps.store;
    this.roster = deps.roster;
    this.evaluator = deps.evaluator;
    this.notifier = deps.notifier;
  }

  /** Refuses a soft delete of the version the live participants agreed on (VERSION_IN_USE). */
  async vetoIfInUse(
    event: SubjectWriteEvent,
    facts: SubjectFacts,
    now: number,
    participantsToken: string,
  ): Promise<void> {
    const deleting = new Set(event.versions);
    // The history as it was before this delete, to see which version the agreement was using.
    const before = facts.history.map((v) => (deleting.has(v.version) ? { ...v, deleted: false } : v));
    const roster = await this.roster.get(event.subject, participantsToken);
    const inputs = [...roster.values()].map(({ record, supports }) => ({
      id: record.id,
      role: record.role,
      expiresAt: record.expiresAt,
      evaluation: this.evaluator.evaluate(event.subject, undefined, supports, before, true),
    }));
    const live = inputs.filter((p) => p.expiresAt > now);
    if (live.length === 0) return;
    const previous = await this.store.getAgreement(event.subject);
    const agreed = decideAgreement(before, inputs, now, previous).agreed;
    if (agreed === undefined || !deleting.has(agreed.version)) return;
    const ids = live.map((p) => p.id).sort();
    const shown = ids.length > 5 ? `${ids.slice(0, 5).join(', ')}, ...` : ids.join(', ');
    throw new DomainError(
      'VERSION_IN_USE',
      `Version ${agreed.version} (${agreed.semver}) of subject '${event.subject}' is the agreed version of ${ids.length} live participant(s) (${shown}); refusing to soft-delete it. Retry with force=true to delete it anyway, or wait until the agreement moves.`,
    );
  }

  /**
   * The agreement for the subject's current participants (read under `participantsToken`, or afresh
   * when undefined), decided per distinct declaration.
   */
  async decide(
    subject: string,
    facts: SubjectFacts,
    now: number,
    participantsToken: string | undefined,
  ): Promise<AgreementDecision> {
    const token = participantsToken ?? (await this.store.tokens(subject)).participants;
    const roster = await this.roster.get(subject, token);
    const inputs = [];
    for (const { record, supports } of roster.values()) {
      inputs.push({
        id: record.id,
        role: record.role,
        expiresAt: record.expiresAt,
        supports: declaredSupports(supports.spec),
        evaluation: this.evaluator.evaluate(subject, facts.token, supports, facts.history, true),
      });
    }
    return decideAgreement(facts.history, inputs, now, await this.store.getAgreement(subject));
  }

  /**
   * Persists a decision that changed the stored state (decided in this same transaction, so from the
   * stored state as it still is); wakes long-polls when the epoch moved.
   */
  async persist(subject: string, decision: AgreementDecision, now: number): Promise<void> {
    if (decision.changed) await this.save(subject, decision.state, decision.epochMoved, now);
  }

  /** `persist` for a subject without live participants (same state, see idleAgreementState). */
  async recomputeIdle(subject: string, now: number): Promise<void> {
    const previous = await this.store.getAgreement(subject);
    const { state, changed } = idleAgreementState(await this.store.latestLiveVersion(subject), previous);
    if (changed) await this.save(subject, state, previous?.epoch !== state.epoch, now);
  }

  private async save(subject: string, state: AgreementState, epochMoved: boolean, now: number) {
    await this.store.saveAgreement({ subject, ...state, updatedAt: now });
    if (epochMoved) queueMicrotask(() => this.notifier.notify(subject));
  }
}
