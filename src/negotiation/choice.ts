/**
 * The handshake choice rules: which of a subject's versions a client can read or write, and which one
 * it should use.
 *
 * - A client HOLDS a version when it has a schema with the same Parsing Canonical Form (by fingerprint
 *   or schema text): wire-identical, so it can read and write it (`exact`).
 * - A range or version list DECLARES exactly the supported versions, for reading and writing
 *   (`declared`); no resolution widens a declaration.
 * - A reader holding X can decode V's data iff `checkReaderWriter(X, V)` (X reads V) (`resolution`).
 * - A writer holding X "can write V" iff data written with X is readable by V's schema,
 *   i.e. `checkReaderWriter(V, X)`: anything it produces can be re-encoded as, or read by, V.
 * - `both` needs both directions.
 * The choice is the highest LIVE version that satisfies the role.
 */
import { checkReaderWriter } from '../avro/compatibility.js';
import type { ParsedSchema, SchemaReference } from '../avro/types.js';
import { DomainError } from '../errors.js';
import type { CompiledSupports, Role } from './supports.js';
import { declares, describeDeclared } from './supports.js';

export type Match = 'exact' | 'declared' | 'resolution';

/** One subject version with everything negotiation needs, parsed once per history token. */
export interface VersionFacts {
  readonly version: number;
  readonly id: number;
  readonly semver: string;
  readonly deleted: boolean;
  readonly schemaType: string;
  readonly schema: string;
  readonly references: readonly SchemaReference[];
  readonly pcf: string;
  readonly crc64: string;
  readonly sha256: string;
  readonly createdAt: number;
  /**
   * Undefined only if a stored schema no longer parses (e.g. a reference target vanished): the version
   * can then be matched exactly or by declaration, never through resolution, and negotiation keeps
   * working for the rest of the subject instead of failing every registration.
   */
  readonly parsed: ParsedSchema | undefined;
}

/** A schema the client holds, and how we learnt it (`parsed` undefined: exact matches only). */
export interface HeldSchema {
  readonly pcf: string;
  readonly parsed: ParsedSchema | undefined;
  readonly origin: string;
}

export interface Capability {
  readonly version: number;
  readonly read: Match | undefined;
  readonly write: Match | undefined;
  readonly whyNotRead: string | undefined;
  readonly whyNotWrite: string | undefined;
}

/** What a compiled `supports` admits, version by version (live versions only). */
export interface Evaluation {
  readonly byVersion: ReadonlyMap<number, Capability>;
  /** Fingerprints that match no version of the subject (reported when nothing matches). */
  readonly unknownFingerprints: readonly string[];
}

/**
 * The schemas a client holds: its schema text (already parsed by the caller) plus every version,
 * soft-deleted included, whose fingerprint it sent. Deduplicated by PCF.
 */
export function heldSchemas(
  supports: CompiledSupports,
  fromText: HeldSchema | undefined,
  history: readonly VersionFacts[],
): { held: HeldSchema[]; unknownFingerprints: string[] } {
  const byPcf = new Map<string, HeldSchema>();
  if (fromText !== undefined) byPcf.set(fromText.pcf, fromText);
  const unknown: string[] = [];
  for (const fp of supports.fingerprints ?? []) {
    const hit = history.find((v) => v.crc64 === fp || v.sha256 === fp);
    if (hit === undefined) {
      unknown.push(fp);
    } else if (!byPcf.has(hit.pcf)) {
      byPcf.set(hit.pcf, { pcf: hit.pcf, parsed: hit.parsed, origin: `fingerprint ${fp}` });
    }
  }
  return { held: [...byPcf.values()], unknownFingerprints: unknown };
}

function firstProblem(result: ReturnType<typeof checkReaderWriter>): string {
  const first = result.incompatibilities[0];
  if (first !== undefined) return `${first.type} at ${first.location}`;
  return result.exception ?? 'incompatible';
}

function capabilityOf(supports: CompiledSupports, held: readonly HeldSchema[], v: VersionFacts): Capability {
  if (held.some((h) => h.pcf === v.pcf)) {
    return {
      version: v.version,
      read: 'exact',
      write: 'exact',
      whyNotRead: undefined,
      whyNotWrite: undefined,
    };
  }
  if (declares(supports, v.version, v.semver)) {
    return {
      version: v.version,
      read: 'declared',
      write: 'declared',
      whyNotRead: undefined,
      whyNotWrite: undefined,
    };
  }
  let read: Match | undefined;
  let write: Match | undefined;
  let readProblem: string | undefined;
  let writeProblem: string | undefined;
  const parsed = v.parsed;
  if (parsed === undefined && held.length > 0) {
    readProblem = writeProblem = `the stored schema of ${v.semver} cannot be parsed for resolution`;
  }
  for (const h of held) {
    if (parsed === undefined || h.parsed === undefined) continue;
    if (read === undefined) {
      const r = checkReaderWriter(h.parsed.root, parsed.root);
      if (r.compatible) read = 'resolution';
      else readProblem ??= `its schema (${h.origin}) cannot read ${v.semver}: ${firstProblem(r)}`;
    }
    if (write === undefined) {
      const w = checkReaderWriter(parsed.root, h.parsed.root);
      if (w.compatible) write = 'resolution';
      else
        writeProblem ??= `${v.semver} cannot read data written with its schema (${h.origin}): ${firstProblem(w)}`;
    }
  }
  const notDeclared = `${v.semver} (version ${v.version}) is outside what it declares (${describeDeclared(supports.spec)})`;
  return {
    version: v.version,
    read,
    write,
    whyNotRead: read === undefined ? (readProblem ?? notDeclared) : undefined,
    whyNotWrite: write === undefined ? (writeProblem ?? notDeclared) : undefined,
  };
}

/** Evaluates `supports` against every live version of the subject. */
export function evaluateSupports(
  supports: CompiledSupports,
  fromText: HeldSchema | undefined,
  history: readonly VersionFacts[],
): Evaluation {
  const { held, unknownFingerprints } = heldSchemas(supports, fromText, history);
  const byVersion = new Map<number, Capability>();
  for (const v of history) {
    if (!v.deleted) byVersion.set(v.version, capabilityOf(supports, held, v));
  }
  return { byVersion, unknownFingerprints };
}

/** How the role is satisfied for this version, or undefined when it is not. */
export function matchFor(role: Role, cap: Capability | undefined): Match | undefined {
  if (cap === undefined) return undefined;
  if (role === 'reader') return cap.read;
  if (role === 'writer') return cap.write;
  // Exact and declared always hold in both directions, so when both are set they agree.
  return cap.read !== undefined && cap.write !== undefined ? cap.read : undefined;
}

export function whyNot(role: Role, cap: Capability | undefined): string {
  if (cap === undefined) return 'the version is not live';
  if (role === 'reader') return `cannot decode: ${cap.whyNotRead ?? 'unknown'}`;
  if (role === 'writer') return `cannot write: ${cap.whyNotWrite ?? 'unknown'}`;
  if (cap.read === undefined) return `cannot decode: ${cap.whyNotRead ?? 'unknown'}`;
  return `cannot write: ${cap.whyNotWrite ?? 'unknown'}`;
}

export interface Choice {
  readonly chosen: VersionFacts;
  readonly match: Match;
  /** Live versions the client can decode (readers and `both` only), ascending. */
  readonly readable: readonly VersionFacts[] | undefined;
}

const ROLE_PHRASE: Record<Role, string> = {
  reader: 'decoded by this reader',
  writer: 'written by this writer',
  both: 'both decoded and written by this client',
};

/**
 * The highest live version satisfying the role. Throws NO_COMMON_VERSION, listing what the server
 * has, when none does, so the client can report or degrade.
 */
export function chooseVersion(
  subject: string,
  role: Role,
  history: readonly VersionFacts[],
  evaluation: Evaluation,
): Choice {
  const live = history.filter((v) => !v.deleted);
  let chosen: VersionFacts | undefined;
  let match: Match | undefined;
  for (let i = live.length - 1; i >= 0 && chosen === undefined; i--) {
    const v = live[i]!;
    const m = matchFor(role, evaluation.byVersion.get(v.version));
    if (m !== undefined) {
      chosen = v;
      match = m;
    }
  }
  if (chosen === undefined || match === undefined) {
    const hint =
      evaluation.unknownFingerprints.length > 0
        ? `; ${evaluation.unknownFingerprints.length} of the fingerprints sent match no version of the subject`
        : '';
    throw new DomainError(
      'NO_COMMON_VERSION',
      `No live version of subject "${subject}" can be ${ROLE_PHRASE[role]}${hint}`,
      { available: live.map((v) => ({ version: v.version, semver: v.semver, crc64: v.crc64 })) },
    );
  }
  const readable =
    role === 'writer'
      ? undefined
      : live.filter((v) => evaluation.byVersion.get(v.version)?.read !== undefined);
  return { chosen, match, readable };
}
