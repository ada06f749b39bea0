/**
 * The shapes the SDK reads and sends. Declared here rather than imported from the server's contract so
 * that the published client never depends on server code; they mirror the Confluent 7.x JSON shapes
 * (schemaType left out for AVRO, references only when non-empty) and our own /negotiation extensions.
 */

import type { CompatibilityLevel, SchemaReference } from '../avro/types.js';

export type { CompatibilityLevel, SchemaReference };

/** `GET /schemas/ids/{id}`. */
export interface SchemaById {
  schema: string;
  schemaType?: string;
  references?: SchemaReference[];
}

/** A subject-version (`GET /subjects/{s}/versions/{v}`, `POST /subjects/{s}`). */
export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType?: string;
  references?: SchemaReference[];
}

/** `POST /compatibility/...` (named apart from the Avro engine's own CompatibilityResult). */
export interface CompatibilityCheck {
  is_compatible: boolean;
  messages?: unknown[];
}

export type Mode = 'READWRITE' | 'READONLY' | 'READONLY_OVERRIDE' | 'IMPORT';

/** What a client can read or write, in any combination (see docs/negotiation.md). */
export interface Supports {
  /** A semver range over the subject's labels, e.g. `^1.2.0`. */
  range?: string;
  /** Registry version numbers. */
  versions?: number[];
  /** CRC-64-AVRO (16 hex) or SHA-256 (64 hex) fingerprints of the Parsing Canonical Forms held. */
  fingerprints?: string[];
  /** The text of the schema compiled into the client. */
  schema?: string;
}

export type Role = 'reader' | 'writer' | 'both';

export interface HandshakeRequest {
  role: Role;
  supports: Supports;
}

/** The server's answer to a handshake. Fields beyond these are passed through untouched. */
export interface HandshakeResult {
  subject: string;
  version: number;
  id: number;
  semver: string;
  fingerprints: { crc64: string; sha256: string };
  match: 'exact' | 'resolution' | 'declared';
  /** Present only when the client does not already hold the chosen schema. */
  schema?: string;
  readable?: Array<{ version: number; semver: string }>;
  epoch?: number;
  [extra: string]: unknown;
}

export interface ParticipantRequest {
  role: Role;
  supports: Supports;
  ttlSeconds: number;
}

/** `GET /negotiation/subjects/{s}/agreement`. Fields beyond these are passed through untouched. */
export interface Agreement {
  subject: string;
  version: number;
  semver: string;
  id: number;
  epoch: number;
  degraded: boolean;
  reason?: string;
  participants?: Array<{ id: string; role: Role; expiresAt: number; canRead?: number[] }>;
  blocked?: Array<{
    version: number;
    semver: string;
    blockers: Array<{ participant: string; reason: string }>;
  }>;
  [extra: string]: unknown;
}

/** `PUT /negotiation/subjects/{s}/participants/{id}`: the lease as stored, and the agreement after it. */
export interface ParticipantAnswer {
  subject: string;
  id: string;
  role: Role;
  ttlSeconds: number;
  /** Server time (ms since the epoch) at which the lease lapses unless renewed. */
  expiresAt: number;
  agreement: Agreement;
}

/** Our own version listing (`GET /negotiation/subjects/{s}/versions`), each version with its label. */
export interface LabelledVersion extends SubjectVersion {
  semver: string;
  deleted: boolean;
  fingerprints: { crc64: string; sha256: string };
  createdAt: number;
}
