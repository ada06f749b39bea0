/** The JSON shapes of our /negotiation endpoints. Every version shown carries its semver label. */
import type { SchemaVersionDetail } from '../registry/registry-api.js';
import type {
  AgreementDecision,
  AgreementOutcome,
  BlockedVersion,
  DeclaredSupports,
  ParticipantView,
} from './agreement.js';
import type { Choice, Match, VersionFacts } from './choice.js';
import type { SupportsSpec } from './supports.js';

/** A participant's declaration for the agreement view; a schema text can be megabytes, so only flagged. */
export function declaredSupports(spec: SupportsSpec): DeclaredSupports {
  const { schema, ...rest } = spec;
  return schema === undefined ? { ...rest } : { ...rest, schema: true };
}

export function versionDetail(subject: string, v: VersionFacts): SchemaVersionDetail {
  const detail: SchemaVersionDetail = {
    subject,
    version: v.version,
    id: v.id,
    schema: v.schema,
    semver: v.semver,
    deleted: v.deleted,
    fingerprints: { crc64: v.crc64, sha256: v.sha256 },
    createdAt: v.createdAt,
  };
  // Confluent 7.x conventions: schemaType only when not AVRO, references only when non-empty.
  if (v.schemaType !== 'AVRO') detail.schemaType = v.schemaType;
  if (v.references.length > 0) detail.references = [...v.references];
  return detail;
}

export interface HandshakeAnswer {
  subject: string;
  version: number;
  id: number;
  semver: string;
  fingerprints: { crc64: string; sha256: string };
  match: Match;
  /** Only when the client does not hold the chosen schema (anything but an exact PCF match). */
  schema?: string;
  references?: VersionFacts['references'][number][];
  /** Readers (and `both`): the live versions the client can decode, ascending. */
  readable?: Array<{ version: number; semver: string }>;
  /** The subject's agreement epoch, so a client can tell when to handshake again. */
  epoch?: number;
}

export function handshakeAnswer(subject: string, choice: Choice): HandshakeAnswer {
  const v = choice.chosen;
  const answer: HandshakeAnswer = {
    subject,
    version: v.version,
    id: v.id,
    semver: v.semver,
    fingerprints: { crc64: v.crc64, sha256: v.sha256 },
    match: choice.match,
  };
  if (choice.match !== 'exact') {
    answer.schema = v.schema;
    if (v.references.length > 0) answer.references = [...v.references];
  }
  if (choice.readable !== undefined) {
    answer.readable = choice.readable.map((r) => ({ version: r.version, semver: r.semver }));
  }
  return answer;
}

export interface AgreementView {
  subject: string;
  /** Null only while the subject has no live version (then the endpoints answer 404 instead). */
  version: number | null;
  semver: string | null;
  id: number | null;
  epoch: number;
  degraded: boolean;
  reason?: string;
  /** The version the agreement fell back from, while it stays below it. */
  fallbackFrom?: { version: number; semver: string };
  participants: ParticipantView[];
  blocked: BlockedVersion[];
}

export function agreementView(
  subject: string,
  outcome: AgreementOutcome,
  live: readonly VersionFacts[],
): AgreementView {
  const from = live.find((v) => v.version === outcome.state.fallbackFrom);
  return {
    subject,
    version: outcome.agreed?.version ?? null,
    semver: outcome.agreed?.semver ?? null,
    id: outcome.agreed?.id ?? null,
    epoch: outcome.state.epoch,
    degraded: outcome.degraded,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    ...(from === undefined ? {} : { fallbackFrom: { version: from.version, semver: from.semver } }),
    participants: outcome.participants,
    blocked: outcome.blocked,
  };
}

/**
 * The agreement as a lease write answers it: what the participant needs to act on (the agreed
 * version, its epoch, whether it is degraded), without the per-participant views, so that the answer
 * to a renewal does not grow with the number of participants.
 */
export interface AgreementSummary {
  subject: string;
  version: number | null;
  semver: string | null;
  id: number | null;
  epoch: number;
  degraded: boolean;
  reason?: string;
  fallbackFrom?: { version: number; semver: string };
  /** How many participants hold a live lease. */
  liveParticipants: number;
}

export function agreementSummary(
  subject: string,
  decision: AgreementDecision,
  live: readonly VersionFacts[],
): AgreementSummary {
  const from = live.find((v) => v.version === decision.state.fallbackFrom);
  const agreed = decision.agreed;
  const reason =
    decision.conflictReason ??
    (from !== undefined && agreed !== undefined
      ? `fell back from ${from.semver} (version ${from.version}) to ${agreed.semver} (version ${agreed.version}) because a live participant cannot handle it; GET the agreement to see who blocks it`
      : undefined);
  return {
    subject,
    version: agreed?.version ?? null,
    semver: agreed?.semver ?? null,
    id: agreed?.id ?? null,
    epoch: decision.state.epoch,
    degraded: decision.degraded,
    ...(reason === undefined ? {} : { reason }),
    ...(from === undefined ? {} : { fallbackFrom: { version: from.version, semver: from.semver } }),
    liveParticipants: decision.live.length,
  };
}
