/**
 * Who may write a participant entry. A lease is owned by the identity that created it: only that
 * identity or an admin may renew, change or delete it, so a read user can neither evict the WAL writer
 * an admin registered nor hijack its lease. Joining as a writer (`writer` or `both`) declares what the
 * subject's producers will write, so it needs write access to the subject; reading needs only read
 * access, which the route already checked.
 */
import { DomainError } from '../errors.js';
import type { ParticipantRecord } from './negotiation-store.js';
import type { Role } from './supports.js';

/** The authenticated caller; undefined everywhere when access control is off. */
export interface Caller {
  readonly name: string;
  readonly admin: boolean;
  /** Whether the caller may write the subject at hand (role and prefix rules). */
  readonly mayWrite: boolean;
}

export function ownerOf(caller: Caller | undefined): string | null {
  return caller?.name ?? null;
}

/**
 * Throws FORBIDDEN when `caller` may not touch `existing`. An entry created while access control was
 * off has no owner: only an admin may change it once access control is on (it runs out with its lease).
 */
export function assertMayChange(
  caller: Caller | undefined,
  subject: string,
  existing: ParticipantRecord | undefined,
): void {
  if (caller === undefined || caller.admin || existing === undefined) return;
  if (existing.owner === caller.name) return;
  const whose = existing.owner === null ? 'created without access control' : 'owned by another user';
  throw new DomainError(
    'FORBIDDEN',
    `User '${caller.name}' may not change participant '${existing.id}' of subject '${subject}': it is ${whose}; only its owner or an admin may renew or remove it`,
  );
}

/** Throws FORBIDDEN when `caller` may not join with `role`. */
export function assertMayJoinAs(caller: Caller | undefined, subject: string, role: Role): void {
  if (caller === undefined || caller.admin || role === 'reader' || caller.mayWrite) return;
  throw new DomainError(
    'FORBIDDEN',
    `User '${caller.name}' may not join subject '${subject}' as a ${role}: that needs write access to the subject`,
  );
}
