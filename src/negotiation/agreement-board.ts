/**
 * The current agreement of each subject as readers see it (`GET …/agreement`, long-polls included):
 * computed once per change, viewed and serialised at most once, and shared by every request that
 * asks for it meanwhile.
 *
 * Why: one write wakes every long-poll of the subject. If each waiter recomputed and serialised its
 * own copy of a view that grows with the participants, 2,000 waiters on 2,000 participants froze the
 * server for seconds. Here concurrent reads of a subject join one computation, and the view's JSON
 * text is built lazily, once per computed state.
 *
 * A cached state stays valid while the subject's change tokens match and no live lease has run out;
 * it is recomputed (and an epoch change that lease expiry caused is persisted, in the subject's
 * transaction) otherwise.
 */

import { ByteLru } from '../cache/byte-lru.js';
import { OBJECT_OVERHEAD } from '../cache/size-estimate.js';
import type { Clock } from '../clock.js';
import { type AgreementDecision, describeAgreement } from './agreement.js';
import type { AgreementNotifier } from './agreement-notifier.js';
import type { WaitRequest } from './negotiation-requests.js';
import type { NegotiationStore } from './negotiation-store.js';
import { type AgreementView, agreementView } from './negotiation-views.js';
import type { SubjectFacts } from './subject-facts.js';

/** The agreement as a reader gets it: the view, and its JSON text shared by every request. */
export interface AgreementAnswer {
  readonly view: AgreementView;
  readonly json: string;
  /**
   * The clock interval the answer holds in while the stored state stays as it was: from when it was
   * computed until the earliest live lease runs out (Infinity with none). Memos of it need both.
   */
  readonly computedAt: number;
  readonly validUntil: number;
}

export interface AgreementBoardDeps {
  readonly store: NegotiationStore;
  readonly clock: Clock;
  readonly notifier: AgreementNotifier;
  readonly pollIntervalMs: number;
  readonly maxBytes: number;
  liveFacts(subject: string, token: string): Promise<SubjectFacts>;
  decide(
    subject: string,
    facts: SubjectFacts,
    now: number,
    participantsToken: string,
  ): Promise<AgreementDecision>;
  persist(subject: string, decision: AgreementDecision, now: number): Promise<void>;
}

class Posted {
  private answer: AgreementAnswer | undefined;

  constructor(
    readonly subject: string,
    readonly history: string,
    readonly participants: string,
    readonly computedAt: number,
    readonly decision: AgreementDecision,
    private readonly facts: SubjectFacts,
  ) {}

  get epoch(): number {
    return this.decision.state.epoch;
  }

  validAt(now: number, tokens: { history: string; participants: string; epoch: number | undefined }) {
    return (
      tokens.history === this.history &&
      tokens.participants === this.participants &&
      tokens.epoch === this.epoch &&
      now >= this.computedAt &&
      now < this.decision.validUntil
    );
  }

  get json(): AgreementAnswer {
    if (this.answer === undefined) {
      const view = agreementView(this.subject, describeAgreement(this.decision), this.facts.live);
      this.answer = {
        view,
        json: JSON.stringify(view),
        computedAt: this.computedAt,
        validUntil: this.decision.validUntil,
      };
    }
    return this.answer;
  }
}

export class AgreementBoard {
  private readonly posted: ByteLru<string, Posted>;
  /** One computation per subject at a time; joined only if no local write happened since it began. */
  private readonly inflight = new Map<string, { generation: number; promise: Promise<Posted> }>();
  private generation = 0;

  constructor(private readonly deps: AgreementBoardDeps) {
    // A view grows with the participants and the live versions; its JSON is about as large again.
    this.posted = new ByteLru({
      maxBytes: deps.maxBytes,
      sizeOf: (p) => OBJECT_OVERHEAD * (8 + 8 * p.decision.live.length + 4 * p.decision.history.length),
    });
  }

  /** Estimated bytes of the views held. */
  get bytes(): number {
    return this.posted.bytes;
  }

  /** Called after every local write that may move an agreement, so no read joins an older computation. */
  changedLocally(): void {
    this.generation++;
  }

  async read(subject: string, wait: WaitRequest, signal?: AbortSignal): Promise<AgreementAnswer> {
    let posted = await this.current(subject);
    const after = wait.afterEpoch;
    if (after === undefined || posted.epoch > after || wait.waitMs === 0) return posted.json;
    this.deps.notifier.admit(subject);
    const { clock } = this.deps;
    const deadline = clock.now() + wait.waitMs;
    for (;;) {
      const remaining = deadline - clock.now();
      if (remaining <= 0 || signal?.aborted || this.deps.notifier.isClosed) return posted.json;
      await this.deps.notifier.wait(subject, Math.min(this.deps.pollIntervalMs, remaining), signal);
      posted = await this.current(subject);
      if (posted.epoch > after) return posted.json;
    }
  }

  private current(subject: string): Promise<Posted> {
    const running = this.inflight.get(subject);
    if (running !== undefined && running.generation === this.generation) return running.promise;
    const promise = this.compute(subject).finally(() => {
      if (this.inflight.get(subject)?.promise === promise) this.inflight.delete(subject);
    });
    this.inflight.set(subject, { generation: this.generation, promise });
    return promise;
  }

  private async compute(subject: string): Promise<Posted> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const tokens = await store.tokens(subject);
    const cached = this.posted.get(subject);
    if (cached?.validAt(now, tokens)) return cached;
    // Most reads change nothing: decide outside a transaction, and only open one to persist a change.
    let posted = await this.post(subject, tokens.history, tokens.participants, now);
    if (posted.decision.changed) {
      posted = await store.transaction(subject, async () => {
        const t = await store.tokens(subject);
        const fresh = await this.post(subject, t.history, t.participants, now);
        await this.deps.persist(subject, fresh.decision, now);
        return fresh;
      });
    }
    this.posted.set(subject, posted);
    return posted;
  }

  private async post(subject: string, history: string, participants: string, now: number): Promise<Posted> {
    const facts = await this.deps.liveFacts(subject, history);
    const decision = await this.deps.decide(subject, facts, now, participants);
    return new Posted(subject, history, participants, now, decision, facts);
  }
}
