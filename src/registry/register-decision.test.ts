/** The register decision on hand-built states: no database, no I/O. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompatibilityCache } from '../avro/levels.js';
import { isDomainError } from '../errors.js';
import { SchemaPreparer } from './prepare-schema.js';
import { type DecisionDeps, decideRegistration, type RegisterCandidate } from './register-decision.js';
import type { RegisterState, SchemaRecord, StoredVersion } from './schema-store.js';

const preparer = new SchemaPreparer(undefined);
const deps: DecisionDeps = {
  defaultCompatibility: 'BACKWARD',
  cache: new CompatibilityCache(),
  parseStored: (v, targets) => preparer.parseStored(v, targets),
};

function text(fields: string[]): string {
  return JSON.stringify({
    type: 'record',
    name: 'R',
    fields: fields.map((name) => ({ name, type: 'string' })),
  });
}

function candidate(
  fields: string[],
  extra: Partial<RegisterCandidate> = {},
  requestedId?: number,
): RegisterCandidate {
  const { prepared, parsed } = preparer.prepare({
    text: text(fields),
    schemaType: 'AVRO',
    references: [],
    mode: 'strict',
    normalize: false,
    referenceTargets: new Map(),
    ...(requestedId === undefined ? {} : { requestedId }),
  });
  return {
    subject: 's',
    prepared,
    parsed,
    requestedVersion: undefined,
    statedSemver: undefined,
    force: false,
    referenceTargets: new Map(),
    ...extra,
  };
}

function stored(
  version: number,
  schemaId: number,
  fields: string[],
  deleted = false,
  semver = `1.${version - 1}.0`,
): StoredVersion {
  const { prepared } = candidate(fields);
  return {
    subject: 's',
    version,
    schemaId,
    deleted,
    semver,
    schema: prepared.canonical,
    schemaType: 'AVRO',
    references: [],
    identity: prepared.identity,
    pcf: prepared.pcf,
    crc64: prepared.crc64,
    md5: prepared.md5,
    sha256: prepared.sha256,
    createdAt: 0,
  };
}

function state(versions: StoredVersion[], extra: Partial<RegisterState> = {}): RegisterState {
  return {
    subject: 's',
    versions,
    subjectConfig: undefined,
    globalConfig: undefined,
    subjectMode: undefined,
    globalMode: undefined,
    identityMatch: undefined,
    requestedIdSchema: undefined,
    highWaterId: Math.max(0, ...versions.map((v) => v.schemaId)),
    referenceTargets: new Map(),
    ...extra,
  };
}

/** The schema row a candidate's content would have under `id` (registered before, elsewhere). */
function rowOf(c: RegisterCandidate, id: number): SchemaRecord {
  return {
    id,
    identity: c.prepared.identity,
    schemaType: 'AVRO',
    schema: c.prepared.canonical,
    original: c.prepared.original,
    references: [],
    pcf: c.prepared.pcf,
    crc64: c.prepared.crc64,
    md5: c.prepared.md5,
    sha256: c.prepared.sha256,
    createdAt: 0,
  };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return `${e.errorCode}`;
    throw e;
  }
  return 'no error';
}

describe('decideRegistration', () => {
  test('a fresh subject: next id after the high-water mark, version 1, label 1.0.0', () => {
    const outcome = decideRegistration(candidate(['a']), state([], { highWaterId: 41 }), deps);
    assert.deepEqual(outcome, {
      kind: 'create',
      schemaId: 42,
      insertSchema: true,
      version: 1,
      semver: '1.0.0',
      tombstones: [],
      highWaterId: 42,
    });
  });

  test('the id space ends at 2^31-1: a new schema past it is refused (42254), known content keeps its id', () => {
    const last = decideRegistration(candidate(['a']), state([], { highWaterId: 2 ** 31 - 2 }), deps);
    assert.equal(last.kind === 'create' && last.schemaId, 2 ** 31 - 1);
    for (const highWaterId of [2 ** 31 - 1, 2 ** 31 + 5]) {
      assert.throws(
        () => decideRegistration(candidate(['a']), state([], { highWaterId }), deps),
        (e: unknown) =>
          isDomainError(e) &&
          e.code === 'SCHEMA_ID_EXHAUSTED' &&
          e.status === 422 &&
          e.errorCode === 42254 &&
          /No schema id is left: ids are integers in \[1, 2\^31-1\]/.test(e.message),
      );
    }
    // Also with force (the check is not a compatibility check).
    const full = { highWaterId: 2 ** 31 - 1 };
    assert.equal(
      code(() => decideRegistration(candidate(['a'], { force: true }), state([], full), deps)),
      '42254',
    );
    // An explicit id past the range is refused in IMPORT mode; the last id itself may be imported.
    const importing = { ...full, globalMode: 'IMPORT' as const, highWaterId: 0 };
    assert.equal(
      code(() => decideRegistration(candidate(['a'], {}, 2 ** 31), state([], importing), deps)),
      '42201',
    );
    const imported = decideRegistration(candidate(['a'], {}, 2 ** 31 - 1), state([], importing), deps);
    assert.equal(imported.kind === 'create' && imported.highWaterId, 2 ** 31 - 1);
    // Content registered before keeps its id: the same schema under another subject is not refused.
    const c = candidate(['a']);
    const identityMatch = rowOf(c, 5);
    const reused = decideRegistration(c, state([], { ...full, identityMatch }), deps);
    assert.equal(reused.kind === 'create' && reused.schemaId, 5);
  });

  test('an identical live version answers its id even when read-only', () => {
    const s = state([stored(1, 7, ['a'])], { subjectMode: 'READONLY' });
    assert.deepEqual(decideRegistration(candidate(['a']), s, deps), { kind: 'existing', id: 7, version: 1 });
    assert.equal(
      code(() => decideRegistration(candidate(['a', 'b'], {}), s, deps)),
      '42205',
    );
  });

  test('content known under another subject reuses that id without inserting a schema row', () => {
    const c = candidate(['a']);
    const identityMatch = rowOf(c, 3);
    const outcome = decideRegistration(c, state([], { identityMatch, highWaterId: 9 }), deps);
    assert.equal(outcome.kind, 'create');
    if (outcome.kind !== 'create') return;
    assert.equal(outcome.schemaId, 3);
    assert.equal(outcome.insertSchema, false);
    assert.equal(outcome.highWaterId, 9);
  });

  test('the version follows the highest one, soft-deleted included; the same id soft-deleted is tombstoned', () => {
    const versions = [stored(1, 1, ['a'], true), stored(2, 2, ['b'], false), stored(3, 3, ['c'], true)];
    const c = candidate(['a']);
    const identityMatch = {
      id: 1,
      identity: c.prepared.identity,
      schemaType: 'AVRO',
      schema: '',
      original: '',
      references: [],
      pcf: '',
      crc64: '',
      md5: '',
      sha256: '',
      createdAt: 0,
    };
    const outcome = decideRegistration(
      c,
      state(versions, { identityMatch, subjectConfig: { compatibility: 'NONE', normalize: null } }),
      deps,
    );
    assert.equal(outcome.kind === 'create' && outcome.version, 4);
    assert.deepEqual(outcome.kind === 'create' && outcome.tombstones, [1]);
  });

  test('incompatible with the latest live version: 409, unless forced', () => {
    const s = state([stored(1, 1, ['a'])]);
    assert.equal(
      code(() => decideRegistration(candidate(['a', 'b']), s, deps)),
      '409',
    );
    const forced = decideRegistration(candidate(['a', 'b'], { force: true }), s, deps);
    assert.equal(forced.kind === 'create' && forced.semver, '2.0.0');
  });

  test('IMPORT takes the id and version verbatim and moves the high-water mark', () => {
    const s = state([stored(1, 1, ['a'])], { globalMode: 'IMPORT', highWaterId: 1 });
    const outcome = decideRegistration(candidate(['z'], { requestedVersion: 10 }, 50), s, deps);
    assert.equal(outcome.kind === 'create' && outcome.schemaId, 50);
    assert.equal(outcome.kind === 'create' && outcome.version, 10);
    assert.equal(outcome.kind === 'create' && outcome.highWaterId, 50);
  });

  test('IMPORT refuses to overwrite an id holding other content', () => {
    const other = candidate(['other']).prepared;
    const requestedIdSchema = {
      id: 50,
      identity: other.identity,
      schemaType: 'AVRO',
      schema: other.canonical,
      original: '',
      references: [],
      pcf: '',
      crc64: '',
      md5: '',
      sha256: '',
      createdAt: 0,
    };
    const s = state([], { globalMode: 'IMPORT', requestedIdSchema });
    assert.equal(
      code(() => decideRegistration(candidate(['z'], {}, 50), s, deps)),
      '42205',
    );
  });

  test('a reference deleted or replaced between parse and lock is refused', () => {
    const used = new Map([['lib\u00001', { schema: '"string"', references: [] }]]);
    const c = candidate(['a'], { referenceTargets: used });
    assert.equal(
      code(() => decideRegistration(c, state([]), deps)),
      '42201',
    );
    const replaced = new Map([['lib\u00001', { schema: '"int"', references: [] }]]);
    assert.equal(
      code(() => decideRegistration(c, state([], { referenceTargets: replaced }), deps)),
      '42201',
    );
    assert.equal(decideRegistration(c, state([], { referenceTargets: used }), deps).kind, 'create');
  });
});
