/** Lookups of a subject's versions by semver label (exact) or by range (the highest match). */
import { Range, valid } from 'semver';
import { DomainError } from '../errors.js';
import { compareLabels } from '../registry/semver-label.js';
import type { VersionFacts } from './choice.js';

/**
 * An exact label names at most one version (labels are never reused); anything else must be a semver
 * range, answered with the highest version it admits. Soft-deleted versions count only when asked for.
 */
export function findByLabel(
  history: readonly VersionFacts[],
  label: string,
  includeDeleted: boolean,
): VersionFacts {
  const pool = includeDeleted ? history : history.filter((v) => !v.deleted);
  if (valid(label) === label) {
    const hit = pool.find((v) => v.semver === label);
    if (hit === undefined)
      throw new DomainError('VERSION_NOT_FOUND', `Version with semver label ${label} not found.`);
    return hit;
  }
  let range: Range;
  try {
    range = new Range(label);
  } catch {
    throw new DomainError(
      'INVALID_SEMVER',
      `"${label.slice(0, 100)}" is neither a semver label (e.g. 1.2.0) nor a semver range (e.g. ^1.2.0)`,
    );
  }
  const matches = pool.filter((v) => valid(v.semver) !== null && range.test(v.semver));
  const best = matches.sort((a, b) => compareLabels(a.semver, b.semver)).at(-1);
  if (best === undefined)
    throw new DomainError('VERSION_NOT_FOUND', `No version matches semver range ${label}.`);
  return best;
}
