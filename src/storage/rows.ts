/**
 * Row shapes and mappers both stores share: a schema row (the same columns in both dialects), a
 * participant row and an agreement row, plus the random change tokens both write.
 */
import { randomBytes } from 'node:crypto';
import type { CompatibilityLevel, SchemaReference } from '../avro/types.js';
import type { ParticipantRecord, StoredAgreement } from '../negotiation/negotiation-store.js';
import type { Role, SupportsSpec } from '../negotiation/supports.js';
import type { Mode } from '../registry/registry-api.js';
import type { SchemaRecord, SubjectSummaryRecord } from '../registry/schema-store.js';

export interface SchemaRow {
  id: number;
  identity: string;
  schemaType: string;
  canonical: string;
  original: string;
  referencesJson: string;
  pcf: string;
  crc64: string;
  md5: string;
  sha256: string;
  createdAt: number;
}

export function toSchemaRecord(row: SchemaRow): SchemaRecord {
  return {
    id: row.id,
    identity: row.identity,
    schemaType: row.schemaType,
    schema: row.canonical,
    original: row.original,
    references: JSON.parse(row.referencesJson) as SchemaReference[],
    pcf: row.pcf,
    crc64: row.crc64,
    md5: row.md5,
    sha256: row.sha256,
    createdAt: row.createdAt,
  };
}

export interface ParticipantRow {
  subject: string;
  participant_id: string;
  role: string;
  supports_json: string;
  ttl_seconds: number;
  expires_at: number;
  created_at: number;
  updated_at: number;
  owner: string | null;
}

export function toParticipant(row: ParticipantRow): ParticipantRecord {
  return {
    subject: row.subject,
    id: row.participant_id,
    role: row.role as Role,
    supports: JSON.parse(row.supports_json) as SupportsSpec,
    ttlSeconds: row.ttl_seconds,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    owner: row.owner,
  };
}

/** 96 random bits: unique across processes and instances, and across rolled-back transactions. */
export function newToken(): string {
  return randomBytes(12).toString('base64url');
}

/** One row of a subject summary page (both dialects select these columns). */
export interface SubjectSummaryRow {
  subject: string;
  live: number;
  deleted: number;
  latest: number | null;
  schemaId: number | null;
  semver: string | null;
  createdAt: number | null;
  compatibility: string | null;
  mode: string | null;
}

export function toSubjectSummary(row: SubjectSummaryRow): SubjectSummaryRecord {
  return {
    subject: row.subject,
    live: row.live,
    deleted: row.deleted,
    latest:
      row.latest === null || row.schemaId === null
        ? undefined
        : {
            version: row.latest,
            schemaId: row.schemaId,
            semver: row.semver ?? '',
            createdAt: row.createdAt ?? 0,
          },
    compatibility: row.compatibility as CompatibilityLevel | null,
    mode: row.mode as Mode | null,
  };
}

/** A `negotiation_agreements` row (the same columns in both dialects). */
export interface AgreementRow {
  subject: string;
  version: number | null;
  epoch: number;
  fallback_from: number | null;
  updated_at: number;
}

export function toStoredAgreement(row: AgreementRow): StoredAgreement {
  return {
    subject: row.subject,
    version: row.version,
    epoch: row.epoch,
    fallbackFrom: row.fallback_from,
    updatedAt: row.updated_at,
  };
}
