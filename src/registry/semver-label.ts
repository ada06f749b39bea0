/**
 * Semantic version labels for subject versions. The registry derives a label for every new version
 * (or checks the one a registrant states) from how the new schema relates to the subject's history:
 * same Parsing Canonical Form as the previous live version → patch, mutually compatible with every
 * live version of the current major line → minor, anything else → major.
 *
 * Labels are never reused: bumps start from the highest label the subject EVER had, soft-deleted
 * versions included, so a lookup by label always names at most one version.
 */
import { compare, gt, inc, parse, type SemVer, valid } from 'semver';
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

export interface LabelOptions {
  /** The registry's shared compatibility cache (see `LabelledVersion.key`). */
  readonly cache?: CompatibilityCache;
  /**
   * The caller has just established that the candidate and every live version of `history` are
   * mutually compatible (a passed FULL_TRANSITIVE check: a pair is incompatible exactly when it
   * reports an incompatibility or an exception, which would have failed the check), so no major line
   * can hold a conflict and the per-version checks are skipped.
   */
  readonly mutuallyCompatibleWithLive?: boolean;
}

/**
 * Parsed labels (null when not valid semver), shared read-only: a registration reads every label of
 * the subject, and parsing them all each time was a visible share of it on long histories.
 */
const parsedLabels = new Map<string, SemVer | null>();
const PARSED_LABELS_CAPACITY = 10_000;

function parsedLabel(label: string): SemVer | null {
  let parsed = parsedLabels.get(label);
  if (parsed === undefined) {
    parsed = parse(label);
    if (parsedLabels.size >= PARSED_LABELS_CAPACITY) parsedLabels.clear();
    parsedLabels.set(label, parsed);
  }
  return parsed;
}

/** The highest valid label among `history` (soft-deleted included), or undefined for a fresh subject. */
export function highestLabel(history: readonly LabelledVersion[]): string | undefined {
  let best: string | undefined;
  let bestParsed: SemVer | undefined;
  for (const entry of history) {
    const parsed = parsedLabel(entry.semver);
    if (parsed === null) continue;
    if (bestParsed === undefined || parsed.compare(bestParsed) > 0) {
      best = entry.semver;
      bestParsed = parsed;
    }
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
  options: LabelOptions,
): LabelledVersion | undefined {
  if (options.mutuallyCompatibleWithLive === true) return undefined;
  for (const entry of history) {
    if (entry.deleted) continue;
    if (parsedLabel(entry.semver)?.major !== major) continue;
    if (!mutuallyCompatibleCached(candidate, entry, options.cache)) return entry;
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
  options: CompatibilityCache | LabelOptions = {},
): string {
  const opts: LabelOptions = isCache(options) ? { cache: options } : options;
  const highest = highestLabel(history);
  if (stated !== undefined) return checkStatedLabel(candidate, history, stated, highest, opts);
  if (highest === undefined) return FIRST_LABEL;

  let previousLive: LabelledVersion | undefined;
  for (const entry of history) if (!entry.deleted) previousLive = entry;

  // `inc` takes a pre-release top (2.1.0-rc.1) to its release (2.1.0) rather than skipping past it;
  // a major bump always leaves the line, since the candidate conflicts with it.
  if (previousLive !== undefined && previousLive.pcf === candidate.pcf) return inc(highest, 'patch')!;
  const major = parse(highest)!.major;
  if (firstConflictInLine(candidate, history, major, opts) === undefined) return inc(highest, 'minor')!;
  return `${major + 1}.0.0`;
}

function checkStatedLabel(
  candidate: LabelCandidate,
  history: readonly LabelledVersion[],
  stated: string,
  highest: string | undefined,
  options: LabelOptions,
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
    const conflict = firstConflictInLine(candidate, history, major, options);
    if (conflict !== undefined) {
      throw new DomainError(
        'INVALID_SEMVER',
        `The stated label ${stated} claims major line ${major}, but the schema is not mutually compatible with version ${conflict.version} (${conflict.semver}); state ${major + 1}.0.0 or higher`,
      );
    }
  }
  return stated;
}

function isCache(options: CompatibilityCache | LabelOptions): options is CompatibilityCache {
  return typeof (options as CompatibilityCache).getPair === 'function';
}
