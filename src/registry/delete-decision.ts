/**
 * Soft and hard deletes (Confluent §6) as pure decisions over the subject's state read inside the
 * store's transaction: which versions go, or the DomainError that refuses.
 */
import { DomainError } from '../errors.js';
import type { DeletePlan, Referrer, StoredVersion, SubjectState } from './schema-store.js';
import { assertWritable } from './settings.js';
import type { VersionId } from './version-id.js';

export function subjectNotFound(subject: string): DomainError {
  return new DomainError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
}

export function versionNotFound(version: number): DomainError {
  return new DomainError('VERSION_NOT_FOUND', `Version ${version} not found.`);
}

/**
 * Referrers that block deleting `version`. A soft delete is blocked by live referrers only. A hard
 * delete is also blocked by soft-deleted ones: they stay resolvable by id, which needs the reference.
 * Referrers deleted by the same request do not count.
 */
function blockingReferrers(
  state: SubjectState,
  version: number,
  permanent: boolean,
  going: ReadonlySet<number>,
): Referrer[] {
  return (state.referrers.get(version) ?? []).filter(
    (r) => (permanent || !r.deleted) && !(r.subject === state.subject && going.has(r.version)),
  );
}

function assertNotReferenced(state: SubjectState, versions: readonly number[], permanent: boolean): void {
  const going = new Set(versions);
  for (const version of versions) {
    if (blockingReferrers(state, version, permanent, going).length > 0) {
      throw new DomainError(
        'REFERENCE_EXISTS',
        `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${state.subject},version=${version}}`,
      );
    }
  }
}

/**
 * `DELETE /subjects/{s}[?permanent=true][&force=true]`. `force` overrides the negotiation veto on
 * soft-deleting the agreed version, exactly as it does for a version delete.
 */
export function decideSubjectDelete(
  state: SubjectState,
  options: { permanent: boolean; force: boolean },
): DeletePlan {
  const { subject, versions } = state;
  const { permanent } = options;
  if (versions.length === 0) throw subjectNotFound(subject);
  const live = versions.filter((v) => !v.deleted);
  if (!permanent && live.length === 0) {
    throw new DomainError(
      'SUBJECT_SOFT_DELETED',
      `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`,
    );
  }
  if (permanent && live.length > 0) {
    throw new DomainError(
      'SUBJECT_NOT_SOFT_DELETED',
      `Subject '${subject}' was not deleted first before being permanently deleted`,
    );
  }
  assertWritable(subject, state);
  const going = (permanent ? versions : live).map((v) => v.version);
  assertNotReferenced(state, going, permanent);
  return { kind: 'delete-subject', versions: going, permanent, force: options.force };
}

/** `DELETE /subjects/{s}/versions/{v}[?permanent=true]`; `raw` is the path segment (for messages). */
export function decideVersionDelete(
  state: SubjectState,
  id: VersionId,
  raw: string,
  options: { permanent: boolean; force: boolean },
): DeletePlan {
  const { subject, versions } = state;
  const { permanent } = options;
  if (versions.length === 0) throw subjectNotFound(subject);
  let target: StoredVersion | undefined;
  if (id.kind === 'latest') {
    // `latest` is the newest LIVE version for soft and hard deletes alike (Confluent's
    // getLatestVersion), so `latest?permanent=true` never hard-deletes: 40407, or 40402 with none live.
    target = versions.findLast((v) => !v.deleted);
    if (target === undefined) throw versionNotFound(-1);
  } else {
    target = versions.find((v) => v.version === id.version);
    if (target === undefined) throw versionNotFound(id.version);
  }
  if (!permanent && target.deleted) {
    throw new DomainError(
      'VERSION_SOFT_DELETED',
      `Subject '${subject}' Version ${raw} was soft deleted.Set permanent=true to delete permanently`,
    );
  }
  if (permanent && !target.deleted) {
    // Confluent names the resolved version here (40406 above echoes the path segment).
    throw new DomainError(
      'VERSION_NOT_SOFT_DELETED',
      `Subject '${subject}' Version ${target.version} was not deleted first before being permanently deleted`,
    );
  }
  assertWritable(subject, state);
  assertNotReferenced(state, [target.version], permanent);
  return { kind: 'delete-version', versions: [target.version], permanent, force: options.force };
}
