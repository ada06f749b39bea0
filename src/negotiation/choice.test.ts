import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchema, schemaFingerprints } from '../avro/index.js';
import { DomainError } from '../errors.js';
import { chooseVersion, evaluateSupports, type HeldSchema, type VersionFacts } from './choice.js';
import { compileSupports, parseSupports, type Role, type SupportsSpec } from './supports.js';

const rec = (fields: string) => `{"type":"record","name":"Event","namespace":"proxima","fields":[${fields}]}`;
const V1 = rec('{"name":"id","type":"long"}');
const V2 = rec('{"name":"id","type":"long"},{"name":"tag","type":"string","default":""}');
const V3 = rec(
  '{"name":"id","type":"long"},{"name":"tag","type":"string","default":""},{"name":"n","type":"int","default":0}',
);
/** Needs `tag` in the data: can read V2 and V3 data, not V1's. */
const NEEDS_TAG = rec('{"name":"id","type":"long"},{"name":"tag","type":"string"}');
/** Unrelated: reads none of them. */
const OTHER = '{"type":"record","name":"Other","fields":[{"name":"x","type":"int"}]}';

function facts(version: number, semver: string, text: string, deleted = false): VersionFacts {
  const parsed = parseSchema(text, { mode: 'strict' });
  const fp = schemaFingerprints(parsed);
  return {
    version,
    id: 100 + version,
    semver,
    deleted,
    schemaType: 'AVRO',
    schema: text,
    references: [],
    pcf: fp.pcf,
    crc64: fp.crc64,
    sha256: fp.sha256,
    createdAt: 0,
    parsed,
  };
}

function held(text: string): HeldSchema {
  const parsed = parseSchema(text, { mode: 'lenient' });
  return { parsed, pcf: schemaFingerprints(parsed).pcf, origin: 'schema text' };
}

const HISTORY = [facts(1, '1.0.0', V1), facts(2, '1.1.0', V2), facts(3, '1.2.0', V3)];

function choose(role: Role, spec: SupportsSpec, history: readonly VersionFacts[] = HISTORY) {
  const compiled = compileSupports(spec);
  const fromText = spec.schema === undefined ? undefined : held(spec.schema);
  return chooseVersion('s', role, history, evaluateSupports(compiled, fromText, history));
}

function noCommon(fn: () => unknown): DomainError {
  let caught: unknown;
  assert.throws(fn, (e: unknown) => {
    caught = e;
    return e instanceof DomainError && e.code === 'NO_COMMON_VERSION';
  });
  return caught as DomainError;
}

describe('declared support (range, version list)', () => {
  it('picks the highest version in the range and nothing outside it', () => {
    const c = choose('reader', { range: '~1.1.0' });
    assert.equal(c.chosen.version, 2);
    assert.equal(c.match, 'declared');
    assert.deepEqual(
      c.readable?.map((v) => v.version),
      [2],
    );
  });

  it('picks the highest listed version', () => {
    const c = choose('writer', { versions: [1, 2] });
    assert.equal(c.chosen.version, 2);
    assert.equal(c.match, 'declared');
    assert.equal(c.readable, undefined);
  });

  it('admits a version when any form admits it (union of forms)', () => {
    assert.equal(choose('reader', { range: '1.0.x', versions: [3] }).chosen.version, 3);
  });

  it('does not widen a declaration through resolution', () => {
    // A 1.0.x declaration does not admit 1.1.0, although a 1.0.0 reader could decode it.
    assert.deepEqual(
      choose('reader', { range: '1.0.x' }).readable?.map((v) => v.version),
      [1],
    );
  });
});

describe('held schemas (fingerprints, schema text)', () => {
  it('matches a CRC-64 or SHA-256 fingerprint (any case) exactly', () => {
    const v3 = HISTORY[2]!;
    for (const fp of [v3.crc64, v3.sha256, v3.crc64.toUpperCase()]) {
      const c = choose('writer', parseSupports({ fingerprints: [fp] }));
      assert.equal(c.chosen.version, 3);
      assert.equal(c.match, 'exact');
    }
  });

  it('lets a writer holding an older schema write a newer version that reads its data', () => {
    // V3 reads V2 data (n has a default), so a V2 writer's data fits V3.
    const c = choose('writer', { fingerprints: [HISTORY[1]!.sha256] });
    assert.equal(c.chosen.version, 3);
    assert.equal(c.match, 'resolution');
  });

  it('lets a reader holding an old schema decode newer versions through resolution', () => {
    const c = choose('reader', { schema: V1 });
    // V1 reads V2 and V3 data (extra fields are skipped), so the highest is chosen, by resolution.
    assert.equal(c.chosen.version, 3);
    assert.equal(c.match, 'resolution');
    assert.deepEqual(
      c.readable?.map((v) => v.version),
      [1, 2, 3],
    );
  });

  it('prefers an exact match on the chosen version over resolution', () => {
    const c = choose('reader', { schema: V3 });
    assert.equal(c.chosen.version, 3);
    assert.equal(c.match, 'exact');
  });

  it('reader vs writer vs both differ for the same held schema', () => {
    // NEEDS_TAG reads V2/V3 data but not V1's; V1 can read NEEDS_TAG data, V2/V3 can too.
    const asReader = choose('reader', { schema: NEEDS_TAG });
    assert.deepEqual(
      asReader.readable?.map((v) => v.version),
      [2, 3],
    );
    const writerOnlyOld = choose('writer', { schema: NEEDS_TAG }, [HISTORY[0]!]);
    assert.equal(writerOnlyOld.chosen.version, 1);
    assert.equal(writerOnlyOld.match, 'resolution');
    noCommon(() => choose('both', { schema: NEEDS_TAG }, [HISTORY[0]!]));
    assert.equal(choose('both', { schema: NEEDS_TAG }).chosen.version, 3);
  });

  it('a writer holding a newer schema cannot write an older version whose readers lack its default', () => {
    // V1 readers ignore `tag`: writing V1 from a V2 writer is fine. NEEDS_TAG as a VERSION would not be.
    const history = [facts(1, '1.0.0', V1), facts(2, '2.0.0', NEEDS_TAG)];
    const c = choose('writer', { schema: V1 }, history);
    assert.equal(c.chosen.version, 1, 'NEEDS_TAG cannot read data written with V1 (no tag)');
  });

  it('matches fingerprints of soft-deleted versions as held schemas but never chooses them', () => {
    const history = [facts(1, '1.0.0', V1), facts(2, '1.1.0', V2, true)];
    const c = choose('reader', { fingerprints: [history[1]!.crc64] }, history);
    assert.equal(c.chosen.version, 1);
    assert.equal(c.match, 'resolution');
  });
});

describe('unparseable stored version', () => {
  it('is still matched exactly or by declaration, never through resolution', () => {
    const broken = { ...facts(2, '1.1.0', V2), parsed: undefined };
    const history = [facts(1, '1.0.0', V1), broken];
    assert.deepEqual(
      choose('reader', { schema: V1 }, history).readable?.map((v) => v.version),
      [1],
    );
    assert.equal(choose('reader', { fingerprints: [broken.crc64] }, history).match, 'exact');
    assert.equal(choose('writer', { versions: [2] }, history).chosen.version, 2);
  });
});

describe('no common version', () => {
  it('lists the live versions in the error', () => {
    const history = [facts(1, '1.0.0', V1), facts(2, '1.1.0', V2, true), facts(3, '1.2.0', V3)];
    const e = noCommon(() => choose('reader', { schema: OTHER }, history));
    assert.match(e.message, /can be decoded by this reader/);
    assert.deepEqual(e.extra, {
      available: [
        { version: 1, semver: '1.0.0', crc64: history[0]!.crc64 },
        { version: 3, semver: '1.2.0', crc64: history[2]!.crc64 },
      ],
    });
  });

  it('says when fingerprints matched nothing', () => {
    const e = noCommon(() => choose('writer', { fingerprints: ['0123456789abcdef'] }));
    assert.match(e.message, /1 of the fingerprints sent match no version/);
  });

  it('excludes deleted versions from a range', () => {
    const history = [facts(1, '1.0.0', V1), facts(2, '1.1.0', V2, true)];
    noCommon(() => choose('reader', { range: '~1.1.0' }, history));
  });
});
