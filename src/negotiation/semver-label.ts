/**
 * Semantic version labels for subject versions. The registry derives a label for every new version
 * (or checks the one a registrant states) from how the new schema relates to the subject's history:
 * same Parsing Canonical Form as the previous live version → patch, mutually compatible with every
 * live version of the current major line → minor, anything else → major.
 *
 * Labels are never reused: bumps start from the highest label the subject EVER had, soft-deleted
 * versions included, so a lookup by label always names at most one version.
 */
import { compare, gt, inc, parse, valid } from 'semver';
import { checkReaderWriter } from '../avro/compatibility.js';
import { type CompatibilityCache, checkPair } from '../avro/levels.js';
import type { ParsedSchema } from '../avro/types.js';
import { DomainError } from '../errors.js';

export interface LabelledVersion {
  version: number;
  semver: string;
  pcf: string;
  parsed: ParsedSchema;
  deleted: boolean;
  /** Schema identity; with a shared cache, pairs the level check already decided are not re-checked. */
  key?: string;
}

/** The candidate being labelled; `key` (its identity) enables the shared compatibility cache. */
export interface LabelCandidate {
  parsed: ParsedSchema;
  pcf: string;
  key?: string;
}

export const FIRST_LABEL = '1.0.0';

/** The highest valid label among `history` (soft-deleted included), or undefined for a fresh subject. */
export function highestLabel(history: readonly LabelledVersion[]): string | undefined {
  let best: string | undefined;
  for (const entry of history) {
    if (valid(entry.semver) === null) continue;
    if (best === undefined || gt(entry.semver, best)) best = entry.semver;
  }
  return best;
}

/** Sorts labels ascending by semver precedence (invalid ones last, so they never win a "highest"). */
export function compareLabels(a: string, b: string): number {
  const va = valid(a) !== null;
  const vb = valid(b) !== null;
  if (va && vb) return compare(a, b);
  return va ? -1 : vb ? 1 : 0;
}

/** True when each schema can read data written with the other (Avro resolution, Java rules). */
export function mutuallyCompatible(a: ParsedSchema, b: ParsedSchema): boolean {
  return checkReaderWriter(a.root, b.root).compatible && checkReaderWriter(b.root, a.root).compatible;
}

/**
 * Mutual compatibility through the registry's shared cache when both sides carry an identity: under
 * FULL_TRANSITIVE the level check has just decided every pair, so labelling then costs lookups only.
 */
function mutuallyCompatibleCached(
  candidate: LabelCandidate,
  entry: LabelledVersion,
  cache: CompatibilityCache | undefined,
): boolean {
  if (cache === undefined || candidate.key === undefined || entry.key === undefined) {
    return mutuallyCompatible(candidate.parsed, entry.parsed);
  }
  const a = { parsed: candidate.parsed, key: candidate.key };
  const b = { parsed: entry.parsed, key: entry.key };
  return checkPair(a, b, { cache }).compatible && checkPair(b, a, { cache }).compatible;
}

/**
 * The first live version of major line `major` that is not mutually compatible with `candidate`,
 * or undefined when the candidate may join that line.
 */
function firstConflictInLine(
  candidate: LabelCandidate,
  history: readonly LabelledVersion[],
  major: number,
  cache: CompatibilityCache | undefined,
): LabelledVersion | undefined {
  for (const entry of history) {
    if (entry.deleted) continue;
    const label = parse(entry.semver);
    if (label === null || label.major !== major) continue;
    if (!mutuallyCompatibleCached(candidate, entry, cache)) return entry;
  }
  return undefined;
}

/**
 * The label for a new version. `history` is every version the subject has, ascending, soft-deleted
 * included; `stated` is the registrant's `metadata.properties.semver`, if any.
 * Throws DomainError('INVALID_SEMVER') when a stated label is malformed, not above every label the
 * subject ever had, or claims the current major line for a schema that does not belong in it.
 */
export function assignSemverLabel(
  candidate: LabelCandidate,
  history: readonly LabelledVersion[],
  stated: string | undefined,
  cache?: CompatibilityCache,
): string {
  const highest = highestLabel(history);
  if (stated !== undefined) return checkStatedLabel(candidate, history, stated, highest, cache);
  if (highest === undefined) return FIRST_LABEL;

  let previousLive: LabelledVersion | undefined;
  for (const entry of history) if (!entry.deleted) previousLive = entry;

  // `inc` takes a pre-release top (2.1.0-rc.1) to its release (2.1.0) rather than skipping past it;
  // a major bump always leaves the line, since the candidate conflicts with it.
  if (previousLive !== undefined && previousLive.pcf === candidate.pcf) return inc(highest, 'patch')!;
  const major = parse(highest)!.major;
  if (firstConflictInLine(candidate, history, major, cache) === undefined) return inc(highest, 'minor')!;
  return `${major + 1}.0.0`;
}

function checkStatedLabel(
  candidate: LabelCandidate,
  history: readonly LabelledVersion[],
  stated: string,
  highest: string | undefined,
  cache: CompatibilityCache | undefined,
): string {
  if (typeof stated !== 'string' || stated.length === 0) {
    throw new DomainError('INVALID_SEMVER', 'The stated semver label must be a non-empty string');
  }
  const canonical = valid(stated);
  if (canonical === null) {
    throw new DomainError('INVALID_SEMVER', `The stated label "${stated}" is not a valid semantic version`);
  }
  if (canonical !== stated) {
    // Build metadata and a leading "v" do not take part in precedence, so two labels could then
    // name the same precedence; only the canonical spelling is accepted.
    throw new DomainError(
      'INVALID_SEMVER',
      `The stated label "${stated}" must be written in canonical form MAJOR.MINOR.PATCH[-PRERELEASE] (e.g. "${canonical}")`,
    );
  }
  if (highest === undefined) return stated;
  if (!gt(stated, highest)) {
    throw new DomainError(
      'INVALID_SEMVER',
      `The stated label ${stated} must be greater than every label the subject ever had (highest: ${highest}, soft-deleted versions included)`,
    );
  }
  const major = parse(stated)!.major;
  if (major === parse(highest)!.major) {
    const conflict = firstConflictInLine(candidate, history, major, cache);
    if (conflict !== undefined) {
      throw new DomainError(
        'INVALID_SEMVER',
        `The stated label ${stated} claims major line ${major}, but the schema is not mutually compatible with version ${conflict.version} (${conflict.semver}); state ${major + 1}.0.0 or higher`,
      );
    }
  }
  return stated;
}
