import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAcceptedRequestType, mediaTypeOf, negotiateResponseType } from './content-type.js';

describe('request types', () => {
  it('accepts the four Confluent types, with parameters and any case, and a missing type', () => {
    for (const type of [
      'application/vnd.schemaregistry.v1+json',
      'application/vnd.schemaregistry+json',
      'Application/JSON; charset=UTF-8',
      'application/octet-stream',
      undefined,
      '',
    ]) {
      assert.equal(isAcceptedRequestType(type), true, String(type));
    }
  });

  it('refuses anything else', () => {
    for (const type of [
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ]) {
      assert.equal(isAcceptedRequestType(type), false, type);
    }
  });

  it('mediaTypeOf drops parameters', () => {
    assert.equal(mediaTypeOf(' Application/Json ;charset=utf-8'), 'application/json');
    assert.equal(mediaTypeOf(undefined), undefined);
  });
});

describe('Accept negotiation', () => {
  const cases: Array<[string | undefined, string | null]> = [
    [undefined, 'application/vnd.schemaregistry.v1+json'],
    ['', 'application/vnd.schemaregistry.v1+json'],
    ['garbage', 'application/vnd.schemaregistry.v1+json'],
    ['*/*', 'application/vnd.schemaregistry.v1+json'],
    ['application/json', 'application/json'],
    // qs weighting: equal client q, the server's preference wins.
    ['application/json, application/vnd.schemaregistry+json', 'application/vnd.schemaregistry+json'],
    // client q beats server qs when the product says so: 1*0.5 > 0.4*1.
    ['application/json, application/vnd.schemaregistry.v1+json;q=0.4', 'application/json'],
    // the most specific range decides: json excluded though */* allows it.
    ['application/json;q=0, */*;q=0.1', 'application/vnd.schemaregistry.v1+json'],
    ['application/*;q=0.2, application/json', 'application/json'],
    ['text/plain', null],
    ['application/json;q=0', null],
    ['*/*;q=0', null],
  ];
  for (const [accept, expected] of cases) {
    it(`${JSON.stringify(accept)} → ${expected}`, () => {
      assert.equal(negotiateResponseType(accept), expected);
    });
  }
});
