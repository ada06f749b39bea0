/**
 * The agreed writer version of a subject, computed from its history and its participants' leases.
 *
 * Rule: the highest live version that every live reader can decode and every live writer supports;
 * with no live participants, the latest live version. The epoch grows by exactly one whenever the
 * agreed version changes.
 *
 * Safety beats progress:
 * - When a joining (or renewing) participant cannot handle the agreed version, the agreement falls
 *   back to one it can (`degraded`, `fallbackFrom` remembers where it fell from) and moves forward
 *   again only when the blocker widens what it supports or its lease runs out.
 * - When no live version satisfies everyone, readers win over writers (a writer that cannot write
 *   the agreed version must pause, which loses nothing; a reader that cannot decode would); if even
 *   the readers share no version, the agreement never goes above the lowest reader's newest readable
 *   version, so it never exceeds what some live reader can decode.
 */
import type { Evaluation, VersionFacts } from './choice.js';
import { whyNot } from './choice.js';
import type { Role, SupportsSpec } from './supports.js';

/** What a participant declared, as views show it: the schema text itself is only flagged. */
export type DeclaredSupports = Omit<SupportsSpec, 'schema'> & { schema?: true };

export interface ParticipantInput {
  readonly id: string;
  readonly role: Role;
  readonly expiresAt: number;
  readonly evaluation: Evaluation;
  /** Shown in views only (the evaluation decides). */
  readonly supports?: DeclaredSupports;
}

/** What is persisted per subject between computations. */
export interface AgreementState {
  readonly version: number | null;
  readonly epoch: number;
  /** The version the agreement fell back from, while it stays below it; null when not degraded by a fallback. */
  readonly fallbackFrom: number | null;
}

export interface ParticipantView {
  id: string;
  role: Role;
  /** Milliseconds since the Unix epoch, like every other timestamp of the API. */
  expiresAt: number;
  canRead: number[];
  canWrite: number[];
  /** What it declared it supports (range, versions, fingerprints; `schema: true` if it sent its schema). */
  supports?: DeclaredSupports;
}

export interface BlockedVersion {
  version: number;
  semver: string;
  blockers: Array<{ participant: string; reason: string }>;
}

const reads = (r: Role) => r === 'reader' || r === 'both';
const writes = (r: Role) => r === 'writer' || r === 'both';

function canRead(p: ParticipantInput, v: VersionFacts): boolean {
  return p.evaluation.byVersion.get(v.version)?.read !== undefined;
}

function canWrite(p: ParticipantInput, v: VersionFacts): boolean {
  return p.evaluation.byVersion.get(v.version)?.write !== undefined;
}

function satisfied(p: ParticipantInput, v: VersionFacts): boolean {
  return (!reads(p.role) || canRead(p, v)) && (!writes(p.role) || canWrite(p, v));
}

function label(v: VersionFacts): string {
  return `${v.semver} (version ${v.version})`;
}

function listIds(ps: readonly ParticipantInput[]): string {
  return shortList(ps.map((p) => p.id));
}

/** Picks the target when no live version satisfies every live participant. */
function resolveConflict(
  live: readonly VersionFacts[],
  readers: readonly ParticipantInput[],
  writers: readonly ParticipantInput[],
  previous: AgreementState | undefined,
): { target: VersionFacts; reason: string } {
  const readableByAll = live.filter((v) => readers.every((p) => canRead(p, v)));
  const top = readableByAll.at(-1);
  if (top !== undefined) {
    const stuck = writers.filter((p) => !canWrite(p, top));
    return {
      target: top,
      reason: `no live version satisfies every live participant; kept the newest version every reader can decode, ${label(top)}, which writer(s) ${listIds(stuck)} cannot write`,
    };
  }
  let lowestTop: VersionFacts | undefined;
  for (const p of readers) {
    const newest = live.filter((v) => canRead(p, v)).at(-1);
    if (newest !== undefined && (lowestTop === undefined || newest.version < lowestTop.version))
      lowestTop = newest;
  }
  const hopeless = readers.filter((p) => !live.some((v) => canRead(p, v)));
  const note =
    hopeless.length > 0 ? `; reader(s) ${listIds(hopeless)} can decode no live version at all` : '';
  if (lowestTop !== undefined) {
    return {
      target: lowestTop,
      reason: `live readers share no decodable version; held at ${label(lowestTop)}, the lowest of the readers' newest decodable versions${note}`,
    };
  }
  const kept = live.find((v) => v.version === previous?.version) ?? live.at(-1)!;
  return { target: kept, reason: `no live reader can decode any live version; kept ${label(kept)}${note}` };
}

/**
 * The state `computeAgreement` reaches when no participant is live, from the newest live version alone
 * (undefined when none is live): the agreement is then that version, nothing is degraded (no live
 * version is above it, so no fallback is remembered) and the epoch moves only if the version does.
 * Lets a registry write into a subject nobody negotiates on skip loading and parsing its history.
 */
export function idleAgreementState(
  latestLive: number | undefined,
  previous: AgreementState | undefined,
): { state: AgreementState; changed: boolean } {
  const version = latestLive ?? null;
  const epoch =
    previous === undefined ? 1 : previous.version === version ? previous.epoch : previous.epoch + 1;
  const state: AgreementState = { version, epoch, fallbackFrom: null };
  const changed =
    previous === undefined ||
    previous.version !== version ||
    previous.epoch !== epoch ||
    previous.fallbackFrom !== null;
  return { state, changed };
}

/** What decides the agreement (no per-participant views): cheap enough for every lease write. */
export interface AgreementDecision {
  readonly agreed: VersionFacts | undefined;
  readonly state: AgreementState;
  /** True when `state` differs from the previous one and must be persisted. */
  readonly changed: boolean;
  /** True when the epoch differs from the previous one (long-polls waiting on it must wake). */
  readonly epochMoved: boolean;
  readonly degraded: boolean;
  /** Set when no live version satisfies every live participant (the conflict rule's explanation). */
  readonly conflictReason: string | undefined;
  /** Live participants, in roster order. */
  readonly live: readonly ParticipantInput[];
  /** When the earliest live lease runs out (Infinity with none): the decision holds until then. */
  readonly validUntil: number;
  readonly history: readonly VersionFacts[];
}

export interface AgreementOutcome extends AgreementDecision {
  readonly reason: string | undefined;
  readonly participants: ParticipantView[];
  readonly blocked: BlockedVersion[];
}

/** A distinct (role, evaluation) pair: participants declaring the same thing are judged once. */
interface Kind {
  reads: boolean;
  writes: boolean;
  readonly evaluation: Evaluation;
}

function kindsOf(participants: readonly ParticipantInput[]): Kind[] {
  const kinds = new Map<Evaluation, Kind>();
  for (const p of participants) {
    let kind = kinds.get(p.evaluation);
    if (kind === undefined) {
      kind = { reads: false, writes: false, evaluation: p.evaluation };
      kinds.set(p.evaluation, kind);
    }
    kind.reads ||= reads(p.role);
    kind.writes ||= writes(p.role);
  }
  return [...kinds.values()];
}

function kindSatisfied(k: Kind, v: VersionFacts): boolean {
  const cap = k.evaluation.byVersion.get(v.version);
  return (!k.reads || cap?.read !== undefined) && (!k.writes || cap?.write !== undefined);
}

/**
 * The agreed version and its persisted state. Linear in the participants only through one filter
 * and one grouping pass: versions are judged per distinct declaration, not per participant, so a
 * lease write costs the same with 10 participants or 5,000 that declare a handful of ranges.
 */
export function decideAgreement(
  history: readonly VersionFacts[],
  allParticipants: readonly ParticipantInput[],
  now: number,
  previous: AgreementState | undefined,
): AgreementDecision {
  const live = history.filter((v) => !v.deleted);
  let validUntil = Number.POSITIVE_INFINITY;
  const participants: ParticipantInput[] = [];
  for (const p of allParticipants) {
    if (p.expiresAt <= now) continue;
    participants.push(p);
    if (p.expiresAt < validUntil) validUntil = p.expiresAt;
  }

  let target: VersionFacts | undefined;
  let conflictReason: string | undefined;
  if (live.length > 0) {
    if (participants.length === 0) {
      target = live.at(-1);
    } else {
      const kinds = kindsOf(participants);
      target = live.filter((v) => kinds.every((k) => kindSatisfied(k, v))).at(-1);
      if (target === undefined) {
        const sorted = [...participants].sort(byId);
        ({ target, reason: conflictReason } = resolveConflict(
          live,
          sorted.filter((p) => reads(p.role)),
          sorted.filter((p) => writes(p.role)),
          previous,
        ));
      }
    }
  }
  const targetVersion = target?.version ?? null;

  // Remember the highest live version we fell back from, until the agreement reaches it again.
  let fallbackFrom: number | null = null;
  if (target !== undefined && previous !== undefined) {
    const isLive = (n: number | null) => n !== null && live.some((v) => v.version === n);
    const candidates = [previous.fallbackFrom, previous.version].filter(isLive) as number[];
    const high = candidates.length > 0 ? Math.max(...candidates) : undefined;
    if (high !== undefined && target.version < high) fallbackFrom = high;
  }

  const epoch =
    previous === undefined ? 1 : previous.version === targetVersion ? previous.epoch : previous.epoch + 1;
  const state: AgreementState = { version: targetVersion, epoch, fallbackFrom };
  const changed =
    previous === undefined ||
    previous.version !== state.version ||
    previous.epoch !== state.epoch ||
    previous.fallbackFrom !== state.fallbackFrom;
  return {
    agreed: target,
    state,
    changed,
    epochMoved: previous?.epoch !== epoch,
    degraded: conflictReason !== undefined || fallbackFrom !== null,
    conflictReason,
    live: participants,
    validUntil,
    history,
  };
}

const byId = (a: ParticipantInput, b: ParticipantInput) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Ids for a message: the first few, then how many more (a 5,000-id sentence helps nobody). */
function shortList(ids: readonly string[], max = 10): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

/** The per-participant explanation of a decision (views, who blocks which newer version, why). */
export function describeAgreement(decision: AgreementDecision): AgreementOutcome {
  const live = decision.history.filter((v) => !v.deleted);
  const participants = [...decision.live].sort(byId);
  const target = decision.agreed;
  const blockersOf = (v: VersionFacts) =>
    participants
      .filter((p) => !satisfied(p, v))
      .map((p) => ({ participant: p.id, reason: whyNot(p.role, p.evaluation.byVersion.get(v.version)) }));

  let reason = decision.conflictReason;
  const fallbackFrom = decision.state.fallbackFrom;
  if (reason === undefined && fallbackFrom !== null && target !== undefined) {
    const from = live.find((v) => v.version === fallbackFrom)!;
    const ids = blockersOf(from).map((b) => b.participant);
    reason = `fell back from ${label(from)} to ${label(target)} because ${shortList(ids)} cannot handle it; the agreement moves forward when they renew with a wider range or their leases expire`;
  }

  const blocked: BlockedVersion[] = live
    .filter((v) => target !== undefined && v.version > target.version)
    .map((v) => ({ version: v.version, semver: v.semver, blockers: blockersOf(v) }));

  const views: ParticipantView[] = participants.map((p) => ({
    id: p.id,
    role: p.role,
    expiresAt: p.expiresAt,
    canRead: reads(p.role) ? live.filter((v) => canRead(p, v)).map((v) => v.version) : [],
    canWrite: writes(p.role) ? live.filter((v) => canWrite(p, v)).map((v) => v.version) : [],
    ...(p.supports === undefined ? {} : { supports: p.supports }),
  }));
  return { ...decision, reason, participants: views, blocked };
}

export function computeAgreement(
  history: readonly VersionFacts[],
  allParticipants: readonly ParticipantInput[],
  now: number,
  previous: AgreementState | undefined,
): AgreementOutcome {
  return describeAgreement(decideAgreement(history, allParticipants, now, previous));
}
