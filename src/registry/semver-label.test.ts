import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchema, parsingCanonicalForm } from '../avro/index.js';
import { DomainError } from '../errors.js';
import { assignSemverLabel, highestLabel, type LabelledVersion } from './semver-label.js';

const record = (fields: string) =>
  `{"type":"record","name":"Event","namespace":"proxima","fields":[${fields}]}`;
const A = record('{"name":"id","type":"long"}');
/** A plus a field with a default: mutually compatible with A. */
const AB = record('{"name":"id","type":"long"},{"name":"tag","type":"string","default":""}');
/** A with a doc: same Parsing Canonical Form as A. */
const A_DOC = record('{"name":"id","type":"long","doc":"the key"}');
/** A plus a field WITHOUT default: it cannot read A's data, so not mutually compatible with A. */
const AB_NO_DEFAULT = record('{"name":"id","type":"long"},{"name":"tag","type":"string"}');
/** Mutually compatible with AB, but it cannot read A's data (tag has no default). */
const ABX_NO_DEFAULT = record(
  '{"name":"id","type":"long"},{"name":"tag","type":"string"},{"name":"x","type":"int","default":0}',
);
/** id changes type: incompatible with everything above. */
const S = record('{"name":"id","type":"string"}');
const S2 = record('{"name":"id","type":"string"},{"name":"n","type":"int","default":0}');

function candidate(text: string) {
  const parsed = parseSchema(text, { mode: 'strict' });
  return { parsed, pcf: parsingCanonicalForm(parsed) };
}

function v(version: number, semver: string, text: string, deleted = false): LabelledVersion {
  return { version, semver, deleted, ...candidate(text) };
}

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DomainError);
    assert.equal(e.code, 'INVALID_SEMVER');
    assert.match(e.message, pattern);
    return true;
  });
}

describe('derived labels', () => {
  it('labels the first version 1.0.0', () => {
    assert.equal(assignSemverLabel(candidate(A), [], undefined), '1.0.0');
  });

  it('bumps the patch when the PCF equals the previous live version', () => {
    assert.equal(assignSemverLabel(candidate(A_DOC), [v(1, '1.0.0', A)], undefined), '1.0.1');
  });

  it('treats a PCF-identical schema as a patch even when only reader-side attributes (defaults) differ', () => {
    // PCF strips defaults: the wire format is identical, which is what a patch promises.
    assert.equal(
      assignSemverLabel(candidate(AB_NO_DEFAULT), [v(1, '1.0.0', A), v(2, '1.1.0', AB)], undefined),
      '1.1.1',
    );
  });

  it('bumps the minor for a schema mutually compatible with the whole live major line', () => {
    assert.equal(assignSemverLabel(candidate(AB), [v(1, '1.0.0', A)], undefined), '1.1.0');
  });

  it('bumps the major for an incompatible schema', () => {
    assert.equal(assignSemverLabel(candidate(S), [v(1, '1.0.0', A), v(2, '1.1.0', AB)], undefined), '2.0.0');
  });

  it('bumps the major for a one-way (backward only) compatible schema', () => {
    assert.equal(assignSemverLabel(candidate(AB_NO_DEFAULT), [v(1, '1.0.0', A)], undefined), '2.0.0');
  });

  it('checks every live version of the line, not just the latest', () => {
    const history = [v(1, '1.0.0', A), v(2, '1.1.0', AB)];
    assert.equal(assignSemverLabel(candidate(ABX_NO_DEFAULT), history, undefined), '2.0.0');
  });

  it('ignores soft-deleted versions for compatibility', () => {
    const history = [v(1, '1.0.0', A, true), v(2, '1.1.0', AB)];
    assert.equal(assignSemverLabel(candidate(ABX_NO_DEFAULT), history, undefined), '1.2.0');
  });

  it('never reuses the label of a soft-deleted version', () => {
    const history = [v(1, '1.0.0', A), v(2, '1.1.0', AB, true)];
    assert.equal(assignSemverLabel(candidate(AB), history, undefined), '1.2.0');
    // Patch against the previous LIVE version (1.0.0), bumped from the highest label ever (1.1.0).
    assert.equal(assignSemverLabel(candidate(A_DOC), history, undefined), '1.1.1');
  });

  it('only considers the current major line', () => {
    const history = [v(1, '1.0.0', A), v(2, '2.0.0', S)];
    assert.equal(assignSemverLabel(candidate(S2), history, undefined), '2.1.0');
  });

  it('releases a pre-release top instead of skipping it', () => {
    const history = [v(1, '1.0.0', A), v(2, '2.0.0-rc.1', S)];
    assert.equal(assignSemverLabel(candidate(S2), history, undefined), '2.0.0');
  });

  it('labels a subject whose versions are all soft-deleted from the highest label', () => {
    assert.equal(assignSemverLabel(candidate(S), [v(1, '1.0.0', A, true)], undefined), '1.1.0');
  });
});

describe('stated labels', () => {
  const history = [v(1, '1.0.0', A), v(2, '1.1.0', AB)];

  it('accepts a valid label above every previous one', () => {
    assert.equal(assignSemverLabel(candidate(AB), [v(1, '1.0.0', A)], '1.5.0'), '1.5.0');
    assert.equal(assignSemverLabel(candidate(S), history, '3.0.0'), '3.0.0');
    assert.equal(assignSemverLabel(candidate(A), [], '0.1.0'), '0.1.0');
  });

  it('rejects malformed and non-canonical labels', () => {
    rejects(() => assignSemverLabel(candidate(A), [], 'one'), /not a valid semantic version/);
    rejects(() => assignSemverLabel(candidate(A), [], '1.0'), /not a valid semantic version/);
    rejects(() => assignSemverLabel(candidate(A), [], 'v1.0.0'), /canonical form/);
    rejects(() => assignSemverLabel(candidate(A), [], '1.0.0+build.5'), /canonical form/);
    rejects(() => assignSemverLabel(candidate(A), [], ''), /non-empty/);
  });

  it('rejects a label not greater than the latest', () => {
    rejects(() => assignSemverLabel(candidate(AB), history, '1.1.0'), /greater than every label.*1\.1\.0/);
    rejects(() => assignSemverLabel(candidate(AB), history, '1.0.5'), /greater than/);
  });

  it('rejects a label not greater than a soft-deleted one', () => {
    const withDeleted = [v(1, '1.0.0', A), v(2, '1.4.0', AB, true)];
    rejects(() => assignSemverLabel(candidate(AB), withDeleted, '1.3.0'), /highest: 1\.4\.0/);
    assert.equal(assignSemverLabel(candidate(AB), withDeleted, '1.4.1'), '1.4.1');
  });

  it('rejects claiming the current major line for a schema that is not mutually compatible with it', () => {
    rejects(() => assignSemverLabel(candidate(S), history, '1.2.0'), /major line 1.*version 1 \(1\.0\.0\)/);
    rejects(() => assignSemverLabel(candidate(ABX_NO_DEFAULT), history, '1.9.0'), /version 1 \(1\.0\.0\)/);
  });
});

describe('highestLabel', () => {
  it('orders by semver precedence, not text', () => {
    assert.equal(highestLabel([v(1, '1.9.0', A), v(2, '1.10.0', AB), v(3, '1.10.0-rc.1', AB)]), '1.10.0');
    assert.equal(highestLabel([]), undefined);
  });
});
