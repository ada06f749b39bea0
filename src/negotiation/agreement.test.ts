import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchema } from '../avro/index.js';
import {
  type AgreementState,
  computeAgreement,
  idleAgreementState,
  type ParticipantInput,
} from './agreement.js';
import type { Capability, Evaluation, VersionFacts } from './choice.js';
import type { Role } from './supports.js';

const PARSED = parseSchema('"long"', { mode: 'strict' });
const NOW = 1_000_000;

function version(n: number, deleted = false): VersionFacts {
  return {
    version: n,
    id: n,
    semver: `1.${n - 1}.0`,
    deleted,
    schemaType: 'AVRO',
    schema: '"long"',
    references: [],
    pcf: `pcf${n}`,
    crc64: `crc${n}`,
    sha256: `sha${n}`,
    createdAt: 0,
    parsed: PARSED,
  };
}

/** An evaluation that reads `read` and writes `write` (version numbers), independent of Avro. */
function evaluation(history: readonly VersionFacts[], read: number[], write: number[]): Evaluation {
  const byVersion = new Map<number, Capability>();
  for (const v of history) {
    if (v.deleted) continue;
    byVersion.set(v.version, {
      version: v.version,
      read: read.includes(v.version) ? 'declared' : undefined,
      write: write.includes(v.version) ? 'declared' : undefined,
      whyNotRead: read.includes(v.version) ? undefined : `${v.semver} is outside its range`,
      whyNotWrite: write.includes(v.version) ? undefined : `${v.semver} is outside its range`,
    });
  }
  return { byVersion, unknownFingerprints: [] };
}

function participant(
  history: readonly VersionFacts[],
  id: string,
  role: Role,
  handles: number[],
  expiresAt = NOW + 60_000,
): ParticipantInput {
  return { id, role, expiresAt, evaluation: evaluation(history, handles, handles) };
}

const H3 = [version(1), version(2), version(3)];

describe('computeAgreement', () => {
  it('agrees on the latest live version when nobody participates, epoch 1 the first time', () => {
    const first = computeAgreement(H3, [], NOW, undefined);
    assert.equal(first.agreed?.version, 3);
    assert.deepEqual(first.state, { version: 3, epoch: 1, fallbackFrom: null });
    assert.equal(first.changed, true);
    const again = computeAgreement(H3, [], NOW, first.state);
    assert.equal(again.changed, false);
    assert.equal(again.state.epoch, 1);
  });

  it('picks the highest version every reader decodes and every writer supports', () => {
    const ps = [
      participant(H3, 'wal', 'writer', [1, 2, 3]),
      participant(H3, 'old', 'reader', [1, 2]),
      participant(H3, 'new', 'both', [2, 3]),
    ];
    const out = computeAgreement(H3, ps, NOW, { version: 2, epoch: 4, fallbackFrom: null });
    assert.equal(out.agreed?.version, 2);
    assert.equal(out.state.epoch, 4, 'unchanged version keeps the epoch');
    assert.equal(out.degraded, false);
    assert.deepEqual(out.blocked, [
      {
        version: 3,
        semver: '1.2.0',
        blockers: [{ participant: 'old', reason: 'cannot decode: 1.2.0 is outside its range' }],
      },
    ]);
    assert.deepEqual(
      out.participants.map((p) => [p.id, p.canRead, p.canWrite]),
      [
        ['new', [2, 3], [2, 3]],
        ['old', [1, 2], []],
        ['wal', [], [1, 2, 3]],
      ],
    );
  });

  it('increases the epoch by exactly one when the version changes', () => {
    const out = computeAgreement(H3, [participant(H3, 'r', 'reader', [1])], NOW, {
      version: 1,
      epoch: 7,
      fallbackFrom: null,
    });
    assert.equal(out.state.epoch, 7);
    const moved = computeAgreement(H3, [participant(H3, 'r', 'reader', [1, 2])], NOW, out.state);
    assert.deepEqual(moved.state, { version: 2, epoch: 8, fallbackFrom: null });
  });

  it('falls back for a joining reader, stays degraded, and recovers when its lease expires', () => {
    const before: AgreementState = { version: 3, epoch: 5, fallbackFrom: null };
    const old = participant(H3, 'old', 'reader', [1], NOW + 10_000);
    const fell = computeAgreement(H3, [old], NOW, before);
    assert.deepEqual(fell.state, { version: 1, epoch: 6, fallbackFrom: 3 });
    assert.equal(fell.degraded, true);
    assert.match(
      fell.reason ?? '',
      /fell back from 1\.2\.0 \(version 3\) to 1\.0\.0 \(version 1\) because old/,
    );

    const renewedSame = computeAgreement(H3, [old], NOW + 5_000, fell.state);
    assert.equal(renewedSame.changed, false);
    assert.equal(renewedSame.degraded, true, 'still below where it fell from');

    const widened = computeAgreement(H3, [participant(H3, 'old', 'reader', [1, 2])], NOW, fell.state);
    assert.deepEqual(
      widened.state,
      { version: 2, epoch: 7, fallbackFrom: 3 },
      'partial recovery stays degraded',
    );

    const expired = computeAgreement(H3, [old], NOW + 10_000, fell.state);
    assert.deepEqual(expired.state, { version: 3, epoch: 7, fallbackFrom: null });
    assert.equal(expired.degraded, false);
    assert.deepEqual(expired.participants, [], 'expired leases are not listed');
  });

  it('is not degraded when the agreement merely holds back (nothing fell)', () => {
    const out = computeAgreement(H3, [participant(H3, 'old', 'reader', [1])], NOW, {
      version: 1,
      epoch: 1,
      fallbackFrom: null,
    });
    assert.equal(out.degraded, false);
    assert.equal(out.blocked.length, 2);
  });

  it('lets readers win when no version satisfies everyone', () => {
    const ps = [participant(H3, 'wal', 'writer', [3]), participant(H3, 'old', 'reader', [1, 2])];
    const out = computeAgreement(H3, ps, NOW, { version: 2, epoch: 1, fallbackFrom: null });
    assert.equal(out.agreed?.version, 2);
    assert.equal(out.degraded, true);
    assert.match(out.reason ?? '', /writer\(s\) wal cannot write/);
  });

  it('never goes above the lowest reader newest decodable version when readers share nothing', () => {
    const ps = [participant(H3, 'a', 'reader', [1]), participant(H3, 'b', 'reader', [2, 3])];
    const out = computeAgreement(H3, ps, NOW, undefined);
    assert.equal(out.agreed?.version, 1);
    assert.equal(out.degraded, true);
  });

  it('ignores soft-deleted versions and agrees on nothing without live versions', () => {
    const h = [version(1), version(2, true)];
    assert.equal(computeAgreement(h, [], NOW, undefined).agreed?.version, 1);
    const none = computeAgreement([version(1, true)], [], NOW, { version: 1, epoch: 2, fallbackFrom: null });
    assert.equal(none.agreed, undefined);
    assert.deepEqual(none.state, { version: null, epoch: 3, fallbackFrom: null });
  });

  it('property: the agreed version never exceeds what a live reader can decode', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const roles: Role[] = ['reader', 'writer', 'both'];
    let state: AgreementState | undefined;
    for (let round = 0; round < 500; round++) {
      const count = 1 + rand(6);
      const history = Array.from({ length: count }, (_, i) => version(i + 1, rand(5) === 0));
      const ps = Array.from({ length: rand(5) }, (_, i) => {
        const handles = history.filter(() => rand(2) === 0).map((v) => v.version);
        return participant(history, `p${i}`, roles[rand(3)]!, handles, NOW + (rand(3) - 1) * 1000);
      });
      const out = computeAgreement(history, ps, NOW, state);
      const liveReaders = ps.filter((p) => p.expiresAt > NOW && p.role !== 'writer');
      const agreed = out.agreed?.version;
      if (agreed !== undefined) {
        for (const r of liveReaders) {
          const readable = [...r.evaluation.byVersion.values()].filter((c) => c.read).map((c) => c.version);
          if (readable.length > 0)
            assert.ok(agreed <= Math.max(...readable), `round ${round}: ${agreed} > ${r.id}`);
        }
      }
      const live = ps.filter((p) => p.expiresAt > NOW);
      const ok = (p: ParticipantInput, v: number) => {
        const c = p.evaluation.byVersion.get(v);
        return (
          (p.role === 'writer' || c?.read !== undefined) && (p.role === 'reader' || c?.write !== undefined)
        );
      };
      const everyone = history.filter((v) => !v.deleted && live.every((p) => ok(p, v.version))).at(-1);
      if (everyone !== undefined)
        assert.equal(agreed, everyone.version, `round ${round}: not the highest common`);
      const expectedEpoch =
        state === undefined ? 1 : state.version === out.state.version ? state.epoch : state.epoch + 1;
      assert.equal(out.state.epoch, expectedEpoch);
      state = out.state;
    }
  });
});

describe('idleAgreementState', () => {
  // Every small history shape (each of 4 versions live, soft-deleted or absent) against every previous
  // state over those numbers, with no participant or only expired ones: the same state and `changed`.
  it('matches computeAgreement whenever no participant is live', () => {
    const previousStates: Array<AgreementState | undefined> = [undefined];
    for (const v of [null, 1, 2, 3, 4])
      for (const from of [null, 1, 2, 3, 4])
        for (const epoch of [1, 7]) previousStates.push({ version: v, epoch, fallbackFrom: from });
    let compared = 0;
    for (let shape = 0; shape < 3 ** 4; shape++) {
      const history: VersionFacts[] = [];
      for (let n = 1, rest = shape; n <= 4; n++, rest = Math.floor(rest / 3)) {
        if (rest % 3 !== 2) history.push(version(n, rest % 3 === 1));
      }
      const latestLive = history.filter((v) => !v.deleted).at(-1)?.version;
      const expired = [participant(history, 'old', 'reader', [1], NOW - 1)];
      for (const previous of previousStates) {
        for (const participants of [[], expired]) {
          const full = computeAgreement(history, participants, NOW, previous);
          const idle = idleAgreementState(latestLive, previous);
          assert.deepEqual(idle.state, full.state, JSON.stringify({ shape, previous }));
          assert.equal(idle.changed, full.changed, JSON.stringify({ shape, previous }));
          compared++;
        }
      }
    }
    assert.equal(compared, 81 * 51 * 2);
  });
});
