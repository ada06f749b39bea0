import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newRegistry, record, rejection } from './helpers.js';

// The v1/v2/v3 scenario of Confluent's AvroCompatibilityTest.
const V1 = record('R', ['f1']);
const V2 = record('R', ['f1', 'f2'], { f2: 'foo' });
const V3 = record('R', ['f1', 'f2']);

async function subjectWith(...schemas: string[]) {
  const fixture = newRegistry({ defaultCompatibility: 'NONE' });
  for (const schema of schemas) await fixture.registry.register('s', { schema }, {});
  await fixture.registry.setConfig('s', { compatibility: 'BACKWARD' });
  return fixture;
}

describe('POST /compatibility/subjects/{s}/versions/{v}', () => {
  test('a missing subject, or latest with nothing live, is compatible', async () => {
    const { registry } = await subjectWith(V1);
    assert.deepEqual(await registry.testCompatibility('nope', 'latest', { schema: V3 }, {}), {
      is_compatible: true,
    });
    assert.deepEqual(await registry.testCompatibility('nope', '-1', { schema: V3 }, {}), {
      is_compatible: true,
    });
    // Only `latest` falls back to "compatible": a numeric version must exist (Confluent: 40402).
    const missing = await rejection(registry.testCompatibility('nope', '3', { schema: V3 }, {}));
    assert.deepEqual([missing.errorCode, missing.message], [40402, 'Version 3 not found.']);
    // The version is resolved before the schema is parsed.
    const first = await rejection(
      registry.testCompatibility('s', '7', { schema: '{bad' }, { verbose: true }),
    );
    assert.equal(first.errorCode, 40402);
    await registry.deleteSubject('s', {});
    assert.deepEqual(await registry.testCompatibility('s', 'latest', { schema: V3 }, { verbose: true }), {
      is_compatible: true,
      messages: [],
    });
  });

  test('a numeric version that does not exist or is soft-deleted is 40402', async () => {
    const { registry } = await subjectWith(V1, V2);
    assert.equal(
      (await rejection(registry.testCompatibility('s', '5', { schema: V3 }, {}))).errorCode,
      40402,
    );
    await registry.deleteVersion('s', '1', {});
    assert.equal(
      (await rejection(registry.testCompatibility('s', '1', { schema: V3 }, {}))).errorCode,
      40402,
    );
    assert.equal(
      (await rejection(registry.testCompatibility('s', 'x', { schema: V3 }, {}))).errorCode,
      42202,
    );
  });

  test('checks exactly the named version, in the direction of the level', async () => {
    const { registry } = await subjectWith(V1, V2);
    assert.deepEqual(await registry.testCompatibility('s', '2', { schema: V3 }, {}), { is_compatible: true });
    assert.deepEqual(await registry.testCompatibility('s', '1', { schema: V3 }, {}), {
      is_compatible: false,
    });
    // Transitivity does not matter with an explicit version.
    await registry.setConfig('s', { compatibility: 'BACKWARD_TRANSITIVE' });
    assert.deepEqual(await registry.testCompatibility('s', 'latest', { schema: V3 }, {}), {
      is_compatible: true,
    });
  });

  test("verbose lists Confluent's messages", async () => {
    const { registry } = await subjectWith(V1);
    const result = await registry.testCompatibility('s', '1', { schema: V3 }, { verbose: true });
    assert.equal(result.is_compatible, false);
    assert.deepEqual(result.messages, [
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'f2'}",
      '{oldSchemaVersion: 1}',
      `{oldSchema: '${V1}'}`,
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]);
  });

  test('an invalid schema is 42201, or with verbose an answer carrying the parse error', async () => {
    const { registry } = await subjectWith(V1);
    const err = await rejection(registry.testCompatibility('s', 'latest', { schema: '{"type":"nope"}' }, {}));
    assert.equal(err.errorCode, 42201);
    const result = await registry.testCompatibility(
      's',
      'latest',
      { schema: '{"type":"nope"}' },
      { verbose: true },
    );
    assert.equal(result.is_compatible, false);
    assert.equal(result.messages?.length, 1);
    assert.match(result.messages?.[0] ?? '', /^Invalid schema /);
  });
});

describe('POST /compatibility/subjects/{s}/versions (the register check)', () => {
  test('runs exactly the check register would run', async () => {
    const { registry } = await subjectWith(V1, V2);
    assert.deepEqual(await registry.testCompatibility('s', undefined, { schema: V3 }, {}), {
      is_compatible: true,
    });
    await registry.setConfig('s', { compatibility: 'BACKWARD_TRANSITIVE' });
    assert.deepEqual(await registry.testCompatibility('s', undefined, { schema: V3 }, {}), {
      is_compatible: false,
    });
    await registry.setConfig('s', { compatibility: 'FULL_TRANSITIVE' });
    const full = await registry.testCompatibility('s', undefined, { schema: V3 }, { verbose: true });
    assert.equal(full.is_compatible, false);
    assert.equal(full.messages?.at(-1), "{validateFields: 'false', compatibility: 'FULL_TRANSITIVE'}");
  });

  test('FORWARD_TRANSITIVE: v1 against [v2, v3] is incompatible', async () => {
    const { registry } = await subjectWith(V2, V3);
    await registry.setConfig('s', { compatibility: 'FORWARD_TRANSITIVE' });
    assert.deepEqual(await registry.testCompatibility('s', undefined, { schema: V1 }, {}), {
      is_compatible: false,
    });
    await registry.setConfig('s', { compatibility: 'FORWARD' });
    assert.deepEqual(await registry.testCompatibility('s', undefined, { schema: V1 }, {}), {
      is_compatible: false,
    });
  });

  test('a shared cache serves repeated checks', async () => {
    const { registry } = await subjectWith(V1, V2);
    await registry.testCompatibility('s', undefined, { schema: V3 }, {});
    const hits = registry.compatibilityCache.hits;
    await registry.testCompatibility('s', undefined, { schema: V3 }, {});
    assert.ok(registry.compatibilityCache.hits > hits);
  });
});
