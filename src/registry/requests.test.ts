import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDomainError } from '../errors.js';
import { parseConfigUpdate, parseModeUpdate, parseRegisterRequest } from './requests.js';
import { isValidSubject } from './subjects.js';
import { parseVersionId } from './version-id.js';

function errorCode(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return e.errorCode;
    throw e;
  }
  return undefined;
}

describe('parseVersionId', () => {
  test('latest, -1, and ints in [1, 2^31-1] (Java Integer.valueOf syntax)', () => {
    assert.deepEqual(parseVersionId('latest'), { kind: 'latest' });
    assert.deepEqual(parseVersionId(' Latest '), { kind: 'latest' });
    assert.deepEqual(parseVersionId('-1'), { kind: 'latest' });
    assert.deepEqual(parseVersionId('007'), { kind: 'number', version: 7 });
    assert.deepEqual(parseVersionId('+3'), { kind: 'number', version: 3 });
    assert.deepEqual(parseVersionId('2147483647'), { kind: 'number', version: 2147483647 });
  });

  test('everything else is 42202', () => {
    for (const bad of ['0', '-2', '2147483648', '1e3', '0x10', 'one', '', ' ']) {
      assert.equal(
        errorCode(() => parseVersionId(bad)),
        42202,
        bad,
      );
    }
  });
});

describe('isValidSubject', () => {
  test('control characters, __GLOBAL, __EMPTY and the global context are invalid; the empty subject is not', () => {
    assert.equal(isValidSubject(''), true);
    assert.equal(isValidSubject('topic-value'), true);
    assert.equal(isValidSubject('a/b:c'), true);
    assert.equal(isValidSubject('__GLOBAL'), false);
    assert.equal(isValidSubject('__EMPTY'), false);
    assert.equal(isValidSubject(':.__GLOBAL:x'), false);
    assert.equal(isValidSubject('tab\there'), false);
    assert.equal(isValidSubject('c1\u0085'), false);
    assert.equal(isValidSubject('é'), true);
  });
});

describe('parseRegisterRequest', () => {
  test('defaults: AVRO, no references; unknown fields are ignored', () => {
    assert.deepEqual(parseRegisterRequest({ schema: '"int"', whatever: true }), {
      schema: '"int"',
      schemaType: 'AVRO',
      references: [],
      id: undefined,
      version: undefined,
      statedSemver: undefined,
    });
  });

  test('id -1 means none, 0 and above are explicit; version 0 and -1 mean none', () => {
    assert.equal(parseRegisterRequest({ schema: 'x', id: -1 }).id, undefined);
    assert.equal(parseRegisterRequest({ schema: 'x', id: 0 }).id, 0);
    assert.equal(parseRegisterRequest({ schema: 'x', version: -1 }).version, undefined);
    assert.equal(parseRegisterRequest({ schema: 'x', version: 4 }).version, 4);
  });

  test('the stated semver label comes from metadata.properties.semver', () => {
    assert.equal(
      parseRegisterRequest({ schema: 'x', metadata: { properties: { semver: '1.2.3' } } }).statedSemver,
      '1.2.3',
    );
    assert.equal(
      errorCode(() => parseRegisterRequest({ schema: 'x', metadata: { properties: { semver: 1 } } })),
      42251,
    );
  });

  test('references need a name, a subject and a version >= 1', () => {
    const ok = parseRegisterRequest({ schema: 'x', references: [{ name: 'a.B', subject: 's', version: 2 }] });
    assert.deepEqual(ok.references, [{ name: 'a.B', subject: 's', version: 2 }]);
    assert.equal(
      errorCode(() => parseRegisterRequest({ schema: 'x', references: [{ subject: 's', version: 1 }] })),
      42201,
    );
    assert.equal(
      errorCode(() =>
        parseRegisterRequest({ schema: 'x', references: [{ name: 'n', subject: 's', version: 0 }] }),
      ),
      42201,
    );
    assert.equal(
      errorCode(() => parseRegisterRequest({ schema: 'x', references: ['n'] })),
      400,
    );
  });

  test('a missing body is 422, a non-object 400', () => {
    assert.equal(
      errorCode(() => parseRegisterRequest(undefined)),
      422,
    );
    assert.equal(
      errorCode(() => parseRegisterRequest(null)),
      422,
    );
    assert.equal(
      errorCode(() => parseRegisterRequest('{"schema":"x"}')),
      400,
    );
    assert.equal(
      errorCode(() => parseRegisterRequest({ schema: 'x', ruleSet: [] })),
      42210,
    );
  });
});

describe('config and mode bodies', () => {
  test('config: level case-insensitive, null leaves unchanged', () => {
    assert.deepEqual(parseConfigUpdate({ compatibility: 'backward' }), {
      compatibility: 'BACKWARD',
      normalize: null,
    });
    assert.deepEqual(parseConfigUpdate({ compatibility: null, normalize: true }), {
      compatibility: null,
      normalize: true,
    });
    assert.equal(
      errorCode(() => parseConfigUpdate({ compatibility: 'LOOSE' })),
      42203,
    );
    assert.equal(
      errorCode(() => parseConfigUpdate({ compatibility: 3 })),
      42203,
    );
  });

  test('mode: case-insensitive; unknown 42204; FORWARD refused', () => {
    assert.equal(parseModeUpdate({ mode: 'import' }, false), 'IMPORT');
    assert.equal(parseModeUpdate({ mode: 'READONLY_OVERRIDE' }, true), 'READONLY_OVERRIDE');
    assert.equal(
      errorCode(() => parseModeUpdate({ mode: 'nope' }, true)),
      42204,
    );
    assert.equal(
      errorCode(() => parseModeUpdate({}, true)),
      42204,
    );
    assert.equal(
      errorCode(() => parseModeUpdate({ mode: 'FORWARD' }, false)),
      42204,
    );
  });
});
