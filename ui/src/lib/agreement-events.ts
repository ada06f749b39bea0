/**
 * What changed between two successive views of a subject's agreement, as sentences for the rollout
 * page's activity log (and its screen-reader announcements).
 */
export interface AgreementLike {
  version: number | null;
  semver: string | null;
  epoch: number;
  degraded: boolean;
  participants: ReadonlyArray<{ id: string; role: string }>;
  blocked: ReadonlyArray<{
    version: number;
    semver: string;
    blockers: ReadonlyArray<{ participant: string }>;
  }>;
}

function agreed(a: AgreementLike): string {
  return a.version === null ? 'no version' : `${a.semver} (version ${a.version})`;
}

export function agreementEvents(before: AgreementLike, after: AgreementLike): string[] {
  const events: string[] = [];
  if (after.epoch !== before.epoch || after.version !== before.version) {
    events.push(`The agreement moved from ${agreed(before)} to ${agreed(after)}, epoch ${after.epoch}.`);
  }
  if (after.degraded !== before.degraded) {
    events.push(after.degraded ? 'The agreement is degraded.' : 'The agreement is no longer degraded.');
  }
  const was = new Map(before.participants.map((p) => [p.id, p]));
  const now = new Map(after.participants.map((p) => [p.id, p]));
  for (const [id, p] of now) if (!was.has(id)) events.push(`Participant ${id} (${p.role}) joined.`);
  for (const id of was.keys()) if (!now.has(id)) events.push(`Participant ${id} left or its lease expired.`);
  const blockedBefore = new Set(before.blocked.map((b) => b.version));
  for (const b of after.blocked) {
    if (!blockedBefore.has(b.version)) {
      const who = b.blockers.map((x) => x.participant).join(', ');
      events.push(`Version ${b.version} (${b.semver}) is blocked by ${who}.`);
    }
  }
  return events;
}
